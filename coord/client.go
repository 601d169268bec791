// Package coord coordinates the instances of a distributed jsload test (each
// running one segment, `--segment I/N`) through a Redis-compatible server
// (Redis, Valkey; `--coordinator redis://host:port/db`): a start barrier, the
// test-wide `shared` store, rendezvous points across instances, aborts that
// stop every instance, the live metrics segment 0 merges, and the end-of-test
// exports it collects. It implements scheduler.Coordinator.
//
// Redis is used, not a protocol of jsload's own, because its primitives are
// the operations jsload needs (INCRBY/INCRBYFLOAT, RPUSH/BLPOP with a timeout,
// Lua for atomic arrive/expire, pub/sub), every cloud sells it managed and
// Kubernetes runs it in one Deployment. The client is go-redis, with retries
// off: a retried INCR whose reply was lost would count twice.
//
// Every key of a run is under jsload:{<run id>}: (the braces make them one hash
// slot of a Redis Cluster):
//
//	meta                 hash: count (the run's number of segments)
//	ready                set of the segments at the start barrier
//	start                the start instant (server clock, ms), set by the last one ready
//	abort                the first abort (JSON), also published on events
//	events               pub/sub channel: "start", "abort", "rv <name> <wave>"
//	v:<key>, l:<name>    the values (JSON) and lists (of JSON) of `shared`
//	rv:<name>            hash: the open wave of a rendezvous point
//	rv:<name>:<wave>     the release of a wave: "<count|timeout> <arrived>"
//	running              hash: running VUs per segment (and per segment:group)
//	deltas               list of "<segment> <export JSON>": each second's metrics
//	export:<segment>     a segment's end-of-test export
//
// A message on events can be lost (pub/sub delivers at most once): each is
// backed by a key that a poller rereads (a wave's release every 200 ms while
// VUs wait, the abort every second), so a lost message costs at most that.
//
// When the server goes away mid-run (an error that is not a Redis reply), the
// client says so once on its log, marks itself lost and serves everything from
// then on in process (an in-process store and rendezvous points, no live
// merge, no exports collected): the instance goes on alone and still writes
// its own export, to be merged later with `jsload merge`.
package coord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jsload/jsload/bindings/rendezvous"
	"github.com/jsload/jsload/bindings/testwide"
)

// Config is what an instance needs to join a run.
type Config struct {
	URL   string // redis://[user:password@]host:port/db (rediss:// for TLS)
	RunID string // the run, the same for every instance
	Index int    // this instance's segment
	Count int    // the run's number of segments
	Log   io.Writer
	// StartTimeout bounds the wait at the start barrier (default 5 minutes).
	StartTimeout time.Duration
	// StartLead is how long after the last instance is ready they all start
	// (default 500 ms): long enough for every instance to learn the instant.
	StartLead time.Duration
	// Connections is the size of the connection pool: a VU waiting in
	// shared.pop holds one (default 64).
	Connections int
}

// Client is one instance's connection to the coordinator. Safe for concurrent
// use. Close ends its goroutines.
type Client struct {
	cfg    Config
	rdb    *redis.Client
	prefix string
	offset time.Duration // server clock - local clock

	lost     atomic.Bool
	lostOnce sync.Once
	local    *testwide.Store    // serves shared once lost
	points   *rendezvous.Points // serves rendezvous once lost

	waves waves // rendezvous waves with local VUs waiting
	live  live  // segment 0's merge of the live metrics

	sub      *redis.PubSub
	events   chan string // messages of the events channel, for the watcher
	stop     context.CancelFunc
	done     <-chan struct{} // closed by Close
	wg       sync.WaitGroup
	abortFn  atomic.Pointer[func(segment int, msg string, threshold bool)]
	started  chan struct{} // closed when "start" is published
	startOne sync.Once
}

// Dial connects to the coordinator, checks that it answers and starts the
// client's goroutines (the events subscriber and the poller).
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.RunID == "" {
		return nil, errors.New("--coordinator needs --run-id, the same for every instance of the run (in Kubernetes: the Job's controller-uid)")
	}
	if cfg.Count < 1 || cfg.Index < 0 || cfg.Index >= cfg.Count {
		return nil, errors.New("--coordinator needs --segment I/N")
	}
	opt, err := redis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("--coordinator %q: %w (write redis://host:port/db)", cfg.URL, err)
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 5 * time.Minute
	}
	if cfg.StartLead <= 0 {
		cfg.StartLead = 500 * time.Millisecond
	}
	if cfg.Connections <= 0 {
		cfg.Connections = 64
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	opt.MaxRetries = -1 // a retried INCR whose reply was lost would count twice
	opt.Protocol = 2
	opt.DisableIdentity = true
	opt.PoolSize = cfg.Connections
	opt.DialTimeout = 5 * time.Second
	redis.SetLogger(quiet{})
	c := &Client{cfg: cfg, rdb: redis.NewClient(opt), prefix: "jsload:{" + cfg.RunID + "}:",
		local: &testwide.Store{}, points: &rendezvous.Points{}, events: make(chan string, 16), started: make(chan struct{})}
	c.waves.c = c
	if err := c.measureOffset(ctx); err != nil {
		_ = c.rdb.Close()
		return nil, fmt.Errorf("coordinator %s: %w: check that a Redis or Valkey server runs there", opt.Addr, err)
	}
	c.sub = c.rdb.Subscribe(ctx, c.key("events"))
	if _, err := c.sub.Receive(ctx); err != nil {
		_ = c.sub.Close()
		_ = c.rdb.Close()
		return nil, fmt.Errorf("coordinator %s: subscribe: %w", opt.Addr, err)
	}
	bg, stop := context.WithCancel(context.Background())
	c.stop, c.done = stop, bg.Done()
	c.wg.Add(2)
	go c.subscriber()
	go c.poller(bg)
	return c, nil
}

// quiet discards go-redis' own log lines (its pub/sub reconnection attempts):
// the client reports a lost coordinator itself, once.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// keyLife is how long a run's keys stay on the server after an instance of it
// closes.
const keyLife = 24 * time.Hour

// Close gives the run's keys a day to live, ends the client's goroutines and
// closes its connections. Idempotent.
func (c *Client) Close() error {
	if !c.Lost() && c.done != nil {
		select {
		case <-c.done:
		default:
			c.expireKeys()
		}
	}
	c.stop()
	err := c.sub.Close()
	c.wg.Wait()
	if cerr := c.rdb.Close(); err == nil {
		err = cerr
	}
	if err != nil && c.Lost() {
		return nil // nothing left to close cleanly
	}
	return err
}

// expireKeys sets every key of the run to expire in keyLife.
func (c *Client) expireKeys() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := c.rdb.Scan(ctx, 0, c.prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if c.failed(ctx, c.rdb.Expire(ctx, iter.Val(), keyLife).Err()) {
			return
		}
	}
}

// stopped is closed when the client is closed.
func (c *Client) stopped() <-chan struct{} { return c.done }

func (c *Client) key(parts ...string) string {
	k := c.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += p
	}
	return k
}

// Lost reports whether the coordinator went away (scheduler.Coordinator).
func (c *Client) Lost() bool { return c.lost.Load() }

// failed reports whether err means the coordinator is gone: any error but a
// Redis reply (redis.Error, redis.Nil) and a cancelled context. The first such
// error marks the client lost and is said once on its log.
func (c *Client) failed(ctx context.Context, err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || ctx.Err() != nil {
		return false
	}
	var re redis.Error
	if errors.As(err, &re) || errors.Is(err, redis.ErrPoolTimeout) {
		return false // the server answered, or is busy: not gone
	}
	c.markLost(err)
	return true
}

// markLost switches the client to in-process service, saying so once.
func (c *Client) markLost(err error) {
	c.lostOnce.Do(func() {
		c.lost.Store(true)
		fmt.Fprintf(c.cfg.Log, "WARN coordinator %s is unreachable (%v): segment %d goes on alone; shared, rendezvous and abortOnFail thresholds are this instance's own from now on, and its export is still written (merge it later with jsload merge)\n",
			c.rdb.Options().Addr, err, c.cfg.Index)
		c.waves.releaseAll()
	})
}

// measureOffset estimates the server clock's offset from this machine's with
// TIME, from the fastest of five round trips (the offset is then known to
// within half that round trip).
func (c *Client) measureOffset(ctx context.Context) error {
	best := time.Duration(-1)
	for range 5 {
		before := time.Now()
		t, err := c.rdb.Time(ctx).Result()
		if err != nil {
			return err
		}
		rtt := time.Since(before)
		if best < 0 || rtt < best {
			best = rtt
			c.offset = t.Sub(before.Add(rtt / 2))
		}
	}
	return nil
}

// localTime converts server milliseconds to this machine's clock.
func (c *Client) localTime(serverMs int64) time.Time {
	return time.UnixMilli(serverMs).Add(-c.offset)
}

// subscriber hands the messages of the events channel to whoever waits for
// them: rendezvous releases to the waves, the others to the poller.
func (c *Client) subscriber() {
	defer c.wg.Done()
	for m := range c.sub.Channel() {
		switch {
		case m.Payload == "start":
			c.startOne.Do(func() { close(c.started) })
		case len(m.Payload) > 3 && m.Payload[:3] == "rv ":
			c.waves.notified(m.Payload[3:])
		default:
			select {
			case c.events <- m.Payload:
			default: // the poller rereads the key anyway
			}
		}
	}
}

// poller rereads what a lost message would have said: the release of the
// waves VUs wait in (every 200 ms, while there are any) and the abort (every
// second, and at once on an "abort" message).
func (c *Client) poller(ctx context.Context) {
	defer c.wg.Done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	n := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.events:
			c.checkAbort(ctx)
		case <-tick.C:
			if c.Lost() {
				continue
			}
			c.waves.poll(ctx)
			if n++; n%5 == 0 {
				c.checkAbort(ctx)
			}
		}
	}
}

// atoi parses a Redis integer reply given as text; 0 when it is not one.
func atoi(s any) int64 {
	switch v := s.(type) {
	case int64:
		return v
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}
