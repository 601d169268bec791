package coord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jsload/jsload/metrics"
	"github.com/jsload/jsload/scheduler"
)

// abortRecord is the abort key's JSON.
type abortRecord struct {
	Segment   int    `json:"segment"`
	Msg       string `json:"msg"`
	Threshold bool   `json:"threshold,omitempty"`
}

// Abort implements scheduler.Coordinator: it records the first abort of the
// run and publishes it; later ones are not recorded.
func (c *Client) Abort(a *scheduler.RemoteAbort) {
	if c.Lost() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, _ := json.Marshal(abortRecord{Segment: a.Segment, Msg: a.Msg, Threshold: a.Threshold})
	ok, err := c.rdb.SetNX(ctx, c.key("abort"), b, 24*time.Hour).Result()
	if c.failed(ctx, err) || !ok {
		return
	}
	c.failed(ctx, c.rdb.Publish(ctx, c.key("events"), "abort").Err())
}

// Watch implements scheduler.Coordinator: onAbort is called once, from the
// poller, when the run's abort key names another segment.
func (c *Client) Watch(onAbort func(*scheduler.RemoteAbort)) (stop func()) {
	var once sync.Once
	fn := func(segment int, msg string, threshold bool) {
		if segment == c.cfg.Index {
			return
		}
		once.Do(func() { onAbort(&scheduler.RemoteAbort{Segment: segment, Msg: msg, Threshold: threshold}) })
	}
	c.abortFn.Store(&fn)
	return func() { c.abortFn.Store(nil) }
}

// checkAbort rereads the abort key and tells the watcher.
func (c *Client) checkAbort(ctx context.Context) {
	fn := c.abortFn.Load()
	if fn == nil || c.Lost() {
		return
	}
	b, err := c.rdb.Get(ctx, c.key("abort")).Bytes()
	if c.failed(ctx, err) || err != nil {
		return
	}
	var a abortRecord
	if json.Unmarshal(b, &a) == nil {
		(*fn)(a.Segment, a.Msg, a.Threshold)
	}
}

// live is segment 0's view of the whole test: each other segment's totals,
// added up from the deltas they publish. Used by the collector goroutine only.
type live struct {
	mu     sync.Mutex
	totals map[int]*metrics.Snapshot
}

// Interval implements scheduler.Coordinator. Every segment but 0 publishes
// its interval (a delta: what it measured in the last second) and its running
// VUs; segment 0 takes the deltas published since its last call, adds them to
// each segment's totals and returns the whole test: its own totals and the
// others' merged, gauges added (MergeConcurrent).
func (c *Client) Interval(iv, totals *metrics.Snapshot, running int64) (scheduler.Live, bool) {
	if c.Lost() {
		return scheduler.Live{}, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c.failed(ctx, c.rdb.HSet(ctx, c.key("running"), strconv.Itoa(c.cfg.Index), running).Err()) {
		return scheduler.Live{}, false
	}
	if c.cfg.Index != 0 {
		if iv == nil {
			return scheduler.Live{}, false
		}
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "%d ", c.cfg.Index)
		if err := json.NewEncoder(&buf).Encode(metrics.NewExport(iv, nil)); err == nil {
			c.failed(ctx, c.rdb.RPush(ctx, c.key("deltas"), buf.Bytes()).Err())
		}
		return scheduler.Live{}, false
	}
	ivs, err := c.drainDeltas(ctx)
	if c.failed(ctx, err) {
		return scheduler.Live{}, false
	}
	l := scheduler.Live{Interval: iv, Totals: totals, VUs: c.runningVUs(ctx, running)}
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	if c.live.totals == nil {
		c.live.totals = map[int]*metrics.Snapshot{}
	}
	for _, d := range ivs {
		c.live.totals[d.segment], _ = metrics.MergeSnapshots(c.live.totals[d.segment], d.snap)
		l.Interval, _ = metrics.MergeConcurrent(l.Interval, d.snap)
	}
	for _, t := range c.live.totals {
		l.Totals, _ = metrics.MergeConcurrent(l.Totals, t)
	}
	return l, true
}

type delta struct {
	segment int
	snap    *metrics.Snapshot
}

// drainDeltas pops the deltas published so far (at most 10000 at a time).
func (c *Client) drainDeltas(ctx context.Context) ([]delta, error) {
	var out []delta
	for range 100 {
		items, err := c.rdb.LPopCount(ctx, c.key("deltas"), 100).Result()
		if err != nil || len(items) == 0 {
			if errors.Is(err, redis.Nil) {
				err = nil
			}
			return out, err
		}
		for _, it := range items {
			seg, doc, ok := strings.Cut(it, " ")
			n, err := strconv.Atoi(seg)
			if !ok || err != nil {
				continue
			}
			e, err := metrics.ReadExport(strings.NewReader(doc))
			if err != nil {
				continue
			}
			if s, err := e.Snapshot(); err == nil {
				out = append(out, delta{n, s})
			}
		}
	}
	return out, nil
}

// runningVUs adds up the running VUs the segments published (this one's own
// count is current, the others' a second old at most).
func (c *Client) runningVUs(ctx context.Context, own int64) int64 {
	all, err := c.rdb.HGetAll(ctx, c.key("running")).Result()
	if err != nil {
		return own
	}
	sum := own
	for k, v := range all {
		if k != strconv.Itoa(c.cfg.Index) && !strings.Contains(k, ":") {
			sum += atoi(v)
		}
	}
	return sum
}

// PutExport hands this segment's end-of-test export to segment 0 (kept a day).
func (c *Client) PutExport(ctx context.Context, e *metrics.Export) error {
	if c.Lost() {
		return errLost
	}
	var buf bytes.Buffer
	if err := e.Write(&buf); err != nil {
		return err
	}
	err := c.rdb.Set(ctx, c.key("export", strconv.Itoa(c.cfg.Index)), buf.Bytes(), 24*time.Hour).Err()
	if c.failed(ctx, err) {
		return errLost
	}
	return err
}

// errLost is returned by what cannot be done once the coordinator is gone.
var errLost = errors.New("the coordinator is gone")

// CollectExports waits, up to timeout, for the exports of every segment (this
// one's own included, put with PutExport) and returns those it got, in segment
// order, with the segments still missing.
func (c *Client) CollectExports(ctx context.Context, timeout time.Duration) ([]*metrics.Export, []int, error) {
	keys := make([]string, c.cfg.Count)
	for i := range keys {
		keys[i] = c.key("export", strconv.Itoa(i))
	}
	deadline := time.Now().Add(timeout)
	for {
		vals, err := c.rdb.MGet(ctx, keys...).Result()
		if c.failed(ctx, err) {
			return nil, nil, errLost
		}
		if err != nil {
			return nil, nil, err
		}
		var got []*metrics.Export
		var missing []int
		for i, v := range vals {
			s, ok := v.(string)
			if !ok {
				missing = append(missing, i)
				continue
			}
			e, err := metrics.ReadExport(strings.NewReader(s))
			if err != nil {
				return nil, nil, fmt.Errorf("the export of segment %d: %w", i, err)
			}
			got = append(got, e)
		}
		if len(missing) == 0 || !time.Now().Before(deadline) {
			return got, missing, nil
		}
		select {
		case <-ctx.Done():
			return got, missing, context.Cause(ctx)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
