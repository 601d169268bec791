package coord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/jsload/jsload/bindings/testwide"
)

// Store returns the `shared` store served by the coordinator
// (scheduler.Coordinator): values are JSON under v:<key>, lists Redis lists
// of JSON under l:<name>. Once the coordinator is lost, the in-process store
// serves instead (the call that found it lost included).
func (c *Client) Store() testwide.Backend { return store{c} }

type store struct{ c *Client }

func (s store) local() testwide.Backend { return testwide.Local(s.c.local) }

func (s store) Get(ctx context.Context, key string) (any, bool, error) {
	if s.c.Lost() {
		return s.local().Get(ctx, key)
	}
	b, err := s.c.rdb.Get(ctx, s.c.key("v", key)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, false, nil
	case s.c.failed(ctx, err):
		return s.local().Get(ctx, key)
	case err != nil:
		return nil, false, err
	}
	v, err := decode(b)
	return v, err == nil, err
}

func (s store) Set(ctx context.Context, key string, v any) error {
	if s.c.Lost() {
		return s.local().Set(ctx, key, v)
	}
	var err error
	if v == nil {
		err = s.c.rdb.Del(ctx, s.c.key("v", key)).Err()
	} else {
		var b []byte
		if b, err = json.Marshal(v); err != nil {
			return err
		}
		err = s.c.rdb.Set(ctx, s.c.key("v", key), b, 0).Err()
	}
	if s.c.failed(ctx, err) {
		return s.local().Set(ctx, key, v)
	}
	return err
}

// incrementScript adds ARGV[1] to KEYS[1]: with INCRBY when both are integers
// (ARGV[2] is "i" and the stored text is one), else with INCRBYFLOAT when the
// stored text is a number. It replies {"i"|"f", result}, or {"no", stored}
// when Redis refused (not a number, overflow): the caller then explains why
// with Store's own rules.
var incrementScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
local r
if ARGV[2] == 'i' and (not v or string.match(v, '^-?%d+$')) then
  r = redis.pcall('INCRBY', KEYS[1], ARGV[1])
  if type(r) == 'number' then return {'i', tostring(r)} end
elseif not v or tonumber(v) then
  r = redis.pcall('INCRBYFLOAT', KEYS[1], ARGV[1])
  if type(r) == 'string' then return {'f', r} end
end
return {'no', v or ''}
`)

func (s store) Increment(ctx context.Context, key string, by any) (any, error) {
	if s.c.Lost() {
		return s.local().Increment(ctx, key, by)
	}
	var arg, kind string
	switch b := by.(type) {
	case int64:
		arg, kind = strconv.FormatInt(b, 10), "i"
	case float64:
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return testwide.Add(int64(0), b) // Store's error for it
		}
		arg, kind = strconv.FormatFloat(b, 'g', -1, 64), "f"
	default:
		return testwide.Add(int64(0), by)
	}
	res, err := incrementScript.Run(ctx, s.c.rdb, []string{s.c.key("v", key)}, arg, kind).StringSlice()
	if s.c.failed(ctx, err) {
		return s.local().Increment(ctx, key, by)
	}
	if err != nil {
		return nil, err
	}
	switch res[0] {
	case "i":
		return strconv.ParseInt(res[1], 10, 64)
	case "f":
		return strconv.ParseFloat(res[1], 64)
	}
	return nil, refusedIncrement(res[1], by)
}

// refusedIncrement explains why Redis refused to add by to the stored text,
// with Store's messages.
func refusedIncrement(stored string, by any) error {
	cur, err := decode([]byte(stored))
	if err != nil {
		return fmt.Errorf("the value is not JSON: %w", err)
	}
	if _, err := testwide.Add(cur, by); err != nil {
		return err
	}
	return errors.New("the sum overflows: reset the value with set()")
}

func (s store) Push(ctx context.Context, name string, v any) error {
	if s.c.Lost() {
		return s.local().Push(ctx, name, v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	err = s.c.rdb.RPush(ctx, s.c.key("l", name), b).Err()
	if s.c.failed(ctx, err) {
		return s.local().Push(ctx, name, v)
	}
	return err
}

// popSlice bounds one BLPOP: a stopped VU's pop ends within it. The client
// does not cut a blocking command short when its context ends (that could
// lose a value the server has popped already), so the wait is cut in slices.
const popSlice = 250 * time.Millisecond

// Pop waits for a value with BLPOP, sent as a raw command with a fractional
// timeout (go-redis' BLPop rounds a timeout under a second up to one).
func (s store) Pop(ctx context.Context, name string, timeout time.Duration) (any, bool, error) {
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	key := s.c.key("l", name)
	for {
		if s.c.Lost() {
			return s.local().Pop(ctx, name, untilDeadline(deadline))
		}
		if ctx.Err() != nil {
			return nil, false, context.Cause(ctx)
		}
		wait := popSlice
		if !deadline.IsZero() {
			wait = min(wait, time.Until(deadline))
			if wait <= 0 {
				return nil, false, nil
			}
		}
		secs := strconv.FormatFloat(max(wait.Seconds(), 0.001), 'f', 3, 64)
		res, err := s.c.rdb.Do(context.WithoutCancel(ctx), "BLPOP", key, secs).StringSlice()
		switch {
		case errors.Is(err, redis.Nil):
			continue
		case s.c.failed(ctx, err):
			continue // served locally from now on
		case err != nil:
			return nil, false, err
		}
		if ctx.Err() != nil {
			// Stopped while the value came: give it back, first in line, as a
			// stopped pop takes nothing.
			s.c.failed(context.Background(), s.c.rdb.LPush(context.WithoutCancel(ctx), key, res[1]).Err())
			return nil, false, context.Cause(ctx)
		}
		v, err := decode([]byte(res[1]))
		return v, err == nil, err
	}
}

// untilDeadline is the time left until deadline, 0 (no limit) without one, and
// a nanosecond once it has passed.
func untilDeadline(deadline time.Time) time.Duration {
	if deadline.IsZero() {
		return 0
	}
	return max(time.Until(deadline), time.Nanosecond)
}

func (s store) Size(ctx context.Context, name string) (int, error) {
	if s.c.Lost() {
		return s.local().Size(ctx, name)
	}
	n, err := s.c.rdb.LLen(ctx, s.c.key("l", name)).Result()
	if s.c.failed(ctx, err) {
		return s.local().Size(ctx, name)
	}
	return int(n), err
}

// decode reads JSON into the Go values the store holds: integers as int64
// (when they fit), other numbers as float64.
func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return numbers(v), nil
}

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
