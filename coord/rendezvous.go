package coord

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jsload/jsload/bindings/rendezvous"
)

// A rendezvous point is a hash rv:<name> holding its open wave: its number,
// the VUs arrived, when it opened and when the last VU arrived (server clock,
// ms) and the options of the wave (those of its first arrival). Scripts change
// it atomically:
//
//	script   when                              effect
//	arrive   a VU arrives                      arrived+1; released if the count is reached
//	expire   a timeout of the wave is due      released ("timeout") if it is, by the server's clock
//	recheck  every 100 ms while VUs wait (%)   released if the running VUs now make the percentage
//	leave    a waiting VU is stopped           arrived-1; the wave is abandoned when none is left
//
// A release writes rv:<name>:<wave> = "<why> <arrived>" (kept an hour),
// starts the next wave and publishes "rv <wave> <why> <arrived> <name>".
// Each wave with VUs of this instance waiting has a driver goroutine that
// runs its timers and rechecks.

// rvLua is what the scripts share: the server's time, the VUs running in the
// test or a group (published per segment in the running hash), the need of a
// wave and its release. KEYS: the point's hash, the running hash, the events
// channel, the release key prefix; ARGV[1] is the point's name.
const rvLua = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function running(group)
  local all = redis.call('HGETALL', KEYS[2])
  local sum = 0
  for i = 1, #all, 2 do
    local seg, g = string.match(all[i], '^([^:]+):(.*)$')
    if (group == '' and not seg) or (group ~= '' and g == group) then sum = sum + tonumber(all[i + 1]) end
  end
  return sum
end
local function need()
  local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
  if count > 0 then return count end
  local run = running(redis.call('HGET', KEYS[1], 'group') or '')
  if run <= 0 then return 0 end
  local pct = tonumber(redis.call('HGET', KEYS[1], 'percent') or '0')
  return math.max(1, math.ceil(pct * run / 100 - 1e-9))
end
local function release(why)
  local wave = redis.call('HGET', KEYS[1], 'wave') or '0'
  local arrived = redis.call('HGET', KEYS[1], 'arrived') or '0'
  redis.call('SET', KEYS[4] .. wave, why .. ' ' .. arrived, 'EX', 3600)
  redis.call('HSET', KEYS[1], 'wave', tonumber(wave) + 1, 'arrived', 0)
  redis.call('PUBLISH', KEYS[3], 'rv ' .. wave .. ' ' .. why .. ' ' .. arrived .. ' ' .. ARGV[1])
  return {'released', wave, why, arrived}
end
local function current()
  return redis.call('HGET', KEYS[1], 'wave') == ARGV[2] and tonumber(redis.call('HGET', KEYS[1], 'arrived') or '0') > 0
end
`

// arriveScript: ARGV = name, segment, running field, running VUs, group,
// count, percent, timeout ms, interArrivalTimeout ms. Replies the release, or
// {"wait", wave, opened, last, now, need}.
var arriveScript = redis.NewScript(rvLua + `
if ARGV[7] ~= '0' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[4]) end
local now = now_ms()
local arrived = tonumber(redis.call('HGET', KEYS[1], 'arrived') or '0')
if arrived == 0 then
  redis.call('HSET', KEYS[1], 'opened', now, 'group', ARGV[5], 'count', ARGV[6], 'percent', ARGV[7], 'timeout', ARGV[8], 'iat', ARGV[9])
  if not redis.call('HGET', KEYS[1], 'wave') then redis.call('HSET', KEYS[1], 'wave', 0) end
end
redis.call('HSET', KEYS[1], 'arrived', arrived + 1, 'last', now)
local n = need()
if n > 0 and arrived + 1 >= n then return release('count') end
local h = redis.call('HMGET', KEYS[1], 'wave', 'opened', 'timeout', 'iat')
return {'wait', h[1], h[2], tostring(now), tostring(n), h[3], h[4]}
`)

// expireScript: ARGV = name, wave. Releases the wave if one of its timeouts
// has passed on the server's clock; else replies {"wait", last, now}.
var expireScript = redis.NewScript(rvLua + `
if not current() then return {'gone'} end
local now = now_ms()
local h = redis.call('HMGET', KEYS[1], 'opened', 'last', 'timeout', 'iat')
local timeout, iat = tonumber(h[3]), tonumber(h[4])
if (timeout > 0 and now - tonumber(h[1]) >= timeout) or (iat > 0 and now - tonumber(h[2]) >= iat) then
  return release('timeout')
end
return {'wait', h[2], tostring(now)}
`)

// recheckScript: ARGV = name, wave. Releases a percent wave that the running
// VUs now fill.
var recheckScript = redis.NewScript(rvLua + `
if not current() then return {'gone'} end
local n = need()
if n > 0 and tonumber(redis.call('HGET', KEYS[1], 'arrived')) >= n then return release('count') end
return {'wait'}
`)

// leaveScript: ARGV = name, wave. Takes a stopped VU out of the wave.
var leaveScript = redis.NewScript(rvLua + `
if not current() then return {'gone'} end
local arrived = tonumber(redis.call('HGET', KEYS[1], 'arrived')) - 1
if arrived == 0 then
  redis.call('HSET', KEYS[1], 'wave', tonumber(ARGV[2]) + 1, 'arrived', 0)
else
  redis.call('HSET', KEYS[1], 'arrived', arrived)
end
return {'left'}
`)

// Rendezvous returns the rendezvous points served by the coordinator
// (scheduler.Coordinator); the in-process points once it is lost.
func (c *Client) Rendezvous() rendezvous.Backend { return points{c} }

type points struct{ c *Client }

func (p points) keys(name string) []string {
	c := p.c
	return []string{c.key("rv", name), c.key("running"), c.key("events"), c.key("rv", name) + ":"}
}

// Arrive implements rendezvous.Backend.
func (p points) Arrive(ctx context.Context, name string, o rendezvous.Options, running func() int64) (rendezvous.Result, error) {
	c := p.c
	if c.Lost() {
		return c.points.Arrive(ctx, name, o, running)
	}
	if ctx.Err() != nil {
		return rendezvous.Result{}, context.Cause(ctx)
	}
	begin := time.Now()
	var run int64
	field := strconv.Itoa(c.cfg.Index)
	if o.Percent > 0 && running != nil {
		run = running()
		if o.Group != "" {
			field += ":" + o.Group
		}
	}
	res, err := arriveScript.Run(ctx, c.rdb, p.keys(name), name, c.cfg.Index, field, run, o.Group,
		o.Count, strconv.FormatFloat(o.Percent, 'g', -1, 64), o.Timeout.Milliseconds(), o.InterArrivalTimeout.Milliseconds()).StringSlice()
	if c.failed(ctx, err) {
		return c.points.Arrive(ctx, name, o, running)
	}
	if err != nil {
		return rendezvous.Result{}, err
	}
	if res[0] == "released" {
		return rendezvous.Result{Released: rendezvous.Release(res[2]), Arrived: atoi(res[3]), Waited: time.Since(begin)}, nil
	}
	num, opened, now, need := atoi(res[1]), atoi(res[2]), atoi(res[3]), atoi(res[4])
	timeout, iat := time.Duration(atoi(res[5]))*time.Millisecond, time.Duration(atoi(res[6]))*time.Millisecond
	w := c.waves.join(name, num, waveTimes{opened: opened, now: now, timeout: timeout, iat: iat, percent: o.Percent > 0 || need == 0})
	defer c.waves.leave(w)
	// The release may have come between the script's reply and join, its
	// message then finding no wave here: read it once now.
	c.waves.check(ctx, w)
	if need == 0 && timeout == 0 && iat == 0 {
		p.leave(name, num)
		return rendezvous.Result{}, rendezvous.ErrUnknownRunning
	}
	select {
	case <-w.done:
		return rendezvous.Result{Released: w.why, Arrived: w.arrived, Waited: time.Since(begin)}, nil
	case <-ctx.Done():
		p.leave(name, num)
		return rendezvous.Result{Waited: time.Since(begin)}, context.Cause(ctx)
	}
}

// leave takes a stopped VU out of wave num of the point.
func (p points) leave(name string, num int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.c.failed(ctx, leaveScript.Run(ctx, p.c.rdb, p.keys(name), name, num).Err())
}

// waveTimes is what the driver of a wave needs: when it opened and when the
// arrival that joined it happened (server ms), its timeouts, and whether it
// waits for a percentage (rechecked).
type waveTimes struct {
	opened, now  int64
	timeout, iat time.Duration
	percent      bool
}

// waves are the rendezvous waves VUs of this instance wait in.
type waves struct {
	c  *Client
	mu sync.Mutex
	m  map[string]*wave // by "<wave> <name>"
}

// wave is one wave VUs of this instance wait in. why and arrived are set
// before done is closed.
type wave struct {
	name    string
	num     int64
	refs    int           // VUs of this instance waiting; guarded by waves.mu
	done    chan struct{} // closed at the release
	stop    chan struct{} // closed when no VU of this instance waits any more
	why     rendezvous.Release
	arrived int64
	once    sync.Once
}

func waveKey(num int64, name string) string { return strconv.FormatInt(num, 10) + " " + name }

// join adds a waiting VU to wave num of the point, starting its driver for
// the first one.
func (ws *waves) join(name string, num int64, t waveTimes) *wave {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	k := waveKey(num, name)
	w := ws.m[k]
	if w == nil {
		w = &wave{name: name, num: num, done: make(chan struct{}), stop: make(chan struct{})}
		if ws.m == nil {
			ws.m = map[string]*wave{}
		}
		ws.m[k] = w
		ws.c.wg.Add(1)
		go ws.drive(w, t)
	}
	w.refs++
	return w
}

// leave removes a VU that is done waiting; the last one stops the driver.
func (ws *waves) leave(w *wave) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if w.refs--; w.refs == 0 {
		close(w.stop)
		delete(ws.m, waveKey(w.num, w.name))
	}
}

// release ends the wait of the wave's VUs, once.
func (w *wave) release(why rendezvous.Release, arrived int64) {
	w.once.Do(func() {
		w.why, w.arrived = why, arrived
		close(w.done)
	})
}

// find returns the wave of key, or nil.
func (ws *waves) find(k string) *wave {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.m[k]
}

// notified handles a release message: "<wave> <why> <arrived> <name>".
func (ws *waves) notified(msg string) {
	f := strings.SplitN(msg, " ", 4)
	if len(f) != 4 {
		return
	}
	num, _ := strconv.ParseInt(f[0], 10, 64)
	if w := ws.find(waveKey(num, f[3])); w != nil {
		w.release(rendezvous.Release(f[1]), atoi(f[2]))
	}
}

// poll rereads the release of every wave VUs wait in (a lost message).
func (ws *waves) poll(ctx context.Context) {
	ws.mu.Lock()
	list := make([]*wave, 0, len(ws.m))
	for _, w := range ws.m {
		list = append(list, w)
	}
	ws.mu.Unlock()
	for _, w := range list {
		if !ws.check(ctx, w) {
			return
		}
	}
}

// check reads the release of w and releases its VUs if it is there; false
// when the coordinator is lost.
func (ws *waves) check(ctx context.Context, w *wave) bool {
	s, err := ws.c.rdb.Get(ctx, ws.c.key("rv", w.name)+":"+strconv.FormatInt(w.num, 10)).Result()
	if ws.c.failed(ctx, err) {
		return false
	}
	if why, n, ok := strings.Cut(s, " "); err == nil && ok {
		w.release(rendezvous.Release(why), atoi(n))
	}
	return true
}

// releaseAll releases every waiting VU when the coordinator is lost: a wave
// gathering VUs of other instances cannot complete any more.
func (ws *waves) releaseAll() {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	for _, w := range ws.m {
		w.release(rendezvous.ReleasedTimeout, int64(w.refs))
	}
}

// drive runs a wave's timers until it is released or no VU of this instance
// waits in it: at each timeout due (converted from the server's clock) it asks
// the server to expire the wave, and a percent wave is rechecked every 100 ms.
func (ws *waves) drive(w *wave, t waveTimes) {
	defer ws.c.wg.Done()
	p := points{ws.c}
	// due is when the next timeout falls, from the arrival at t.now (server ms).
	due := func(last int64) time.Duration {
		d := time.Duration(-1)
		if t.timeout > 0 {
			d = time.Duration(t.opened-t.now)*time.Millisecond + t.timeout
		}
		if t.iat > 0 {
			if di := time.Duration(last-t.now)*time.Millisecond + t.iat; d < 0 || di < d {
				d = di
			}
		}
		return d
	}
	joined := time.Now() // the server's t.now, here
	var timer <-chan time.Time
	arm := func(last int64) {
		if d := due(last); d >= 0 {
			timer = time.After(max(time.Until(joined.Add(d)), 0))
		}
	}
	arm(t.now)
	var recheck <-chan time.Time
	if t.percent {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		recheck = tick.C
	}
	for {
		var script *redis.Script
		select {
		case <-w.done:
			return
		case <-w.stop:
			return
		case <-ws.c.stopped():
			return
		case <-timer:
			script = expireScript
		case <-recheck:
			script = recheckScript
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		res, err := script.Run(ctx, ws.c.rdb, p.keys(w.name), w.name, w.num).StringSlice()
		cancel()
		switch {
		case ws.c.failed(ctx, err) || err != nil:
			if ws.c.Lost() {
				return
			}
		case res[0] == "released":
			w.release(rendezvous.Release(res[2]), atoi(res[3]))
			return
		case res[0] == "gone":
			// released by another instance: the message or the poll tells the VUs
		case script == expireScript && len(res) == 3:
			// not yet due on the server's clock (or a later arrival): rearm
			joined, t.now = time.Now(), atoi(res[2])
			arm(atoi(res[1]))
		}
	}
}
