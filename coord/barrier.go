package coord

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jsload/jsload/metrics"
)

// readyScript puts a segment at the start barrier. KEYS: meta, ready, start,
// events; ARGV: the segment, the run's count, the lead (ms). It replies
// {"count", n} when the run has another number of segments, {"dup"} when the
// segment is there already, {"start", ms} when the barrier is complete (this
// was the last segment, or the run started already) and {"wait", n} with the
// number of segments ready otherwise.
var readyScript = redis.NewScript(`
local n = redis.call('HGET', KEYS[1], 'count')
if n and n ~= ARGV[2] then return {'count', n} end
if not n then redis.call('HSET', KEYS[1], 'count', ARGV[2]) end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return {'dup', '0'} end
local start = redis.call('GET', KEYS[3])
if start then return {'start', start} end
local ready = redis.call('SCARD', KEYS[2])
if ready < tonumber(ARGV[2]) then return {'wait', tostring(ready)} end
local t = redis.call('TIME')
start = tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[3]))
redis.call('SET', KEYS[3], start)
redis.call('PUBLISH', KEYS[4], 'start')
return {'start', start}
`)

// Ready implements scheduler.Coordinator: it puts this segment at the start
// barrier and waits for the start instant the last segment to arrive sets
// (StartLead after it arrived, on the server's clock), told on the events
// channel and reread every 50 ms. After StartTimeout it fails naming the
// segments that have not arrived. A lost coordinator starts this instance at
// once, alone.
func (c *Client) Ready(ctx context.Context) (time.Time, error) {
	keys := []string{c.key("meta"), c.key("ready"), c.key("start"), c.key("events")}
	res, err := readyScript.Run(ctx, c.rdb, keys, c.cfg.Index, c.cfg.Count, c.cfg.StartLead.Milliseconds()).StringSlice()
	if c.failed(ctx, err) {
		return time.Now(), nil
	}
	if err != nil {
		return time.Time{}, err
	}
	switch res[0] {
	case "count":
		return time.Time{}, fmt.Errorf("run %q has %s segments, this instance was started with --segment %d/%d: give every instance the same N", c.cfg.RunID, res[1], c.cfg.Index, c.cfg.Count)
	case "dup":
		return time.Time{}, fmt.Errorf("segment %d of run %q is at the start barrier already: another instance has the same --segment, or the run id was used before (give each run its own --run-id)", c.cfg.Index, c.cfg.RunID)
	case "start":
		return c.localTime(atoi(res[1])), nil
	}
	return c.awaitStart(ctx)
}

// awaitStart waits for the start key, until StartTimeout.
func (c *Client) awaitStart(ctx context.Context) (time.Time, error) {
	deadline := time.NewTimer(c.cfg.StartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return time.Time{}, context.Cause(ctx)
		case <-deadline.C:
			return time.Time{}, c.missing(ctx)
		case <-c.started:
		case <-tick.C:
		}
		ms, err := c.rdb.Get(ctx, c.key("start")).Result()
		if c.failed(ctx, err) {
			return time.Now(), nil
		}
		if err == nil {
			n, _ := strconv.ParseInt(ms, 10, 64)
			return c.localTime(n), nil
		}
	}
}

// missing is the error of a barrier that timed out: which segments are not there.
func (c *Client) missing(ctx context.Context) error {
	ready, err := c.rdb.SMembers(ctx, c.key("ready")).Result()
	if err != nil {
		return fmt.Errorf("no start within %s, and the coordinator does not say who is missing: %w", c.cfg.StartTimeout, err)
	}
	var missing []int
	for i := range c.cfg.Count {
		if !slices.Contains(ready, strconv.Itoa(i)) {
			missing = append(missing, i)
		}
	}
	return fmt.Errorf("after %s, segments %s of %d have not reported ready (run %q): check that they run with --run-id %s and the coordinator at %s, and that their VUs could initialise",
		c.cfg.StartTimeout, metrics.FormatSegments(missing), c.cfg.Count, c.cfg.RunID, c.cfg.RunID, c.rdb.Options().Addr)
}
