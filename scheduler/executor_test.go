package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// kindExamples are minimal valid settings of each executor of the table.
var kindExamples = map[string]string{
	"per-vu-iterations":     `{"vus": 2, "iterations": 3}`,
	"shared-iterations":     `{"vus": 2, "iterations": 3}`,
	"constant-vus":          `{"vus": 2, "duration": "1s"}`,
	"ramping-vus":           `{"stages": [{"duration": "1s", "target": 2}]}`,
	"constant-arrival-rate": `{"rate": 2, "duration": "1s", "preAllocatedVUs": 1}`,
	"ramping-arrival-rate":  `{"stages": [{"duration": "1s", "target": 2}], "preAllocatedVUs": 1}`,
}

// TestExecutorTable: every entry of the table builds its executor from its
// settings, under its own name, and the execution its executor starts is
// coherent: every executor hands out work, and an open model (join) has a
// driver to hand the joined VUs their work.
func TestExecutorTable(t *testing.T) {
	t.Parallel()
	for i := range executorKinds {
		k := &executorKinds[i]
		example, ok := kindExamples[k.name]
		if !ok {
			t.Errorf("executor %q has no entry in kindExamples: add its minimal settings", k.name)
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(example), &fields); err != nil {
			t.Fatal(err)
		}
		for key := range fields {
			if !slices.Contains(k.keys, key) {
				t.Errorf("%s: example key %q is not in the table's keys %v", k.name, key, k.keys)
			}
		}
		f := &groupFields{where: "options.groups.g", fields: fields}
		e := k.build(f)
		if f.err != nil {
			t.Errorf("%s: build(%s): %v", k.name, example, f.err)
			continue
		}
		if kindNamed(k.name) != k {
			t.Errorf("kindNamed(%q) is not the table's entry", k.name)
		}
		if e.kind() != k.name || !strings.HasPrefix(e.Describe(), k.name+", ") {
			t.Errorf("%s: built an executor of kind %q described as %q", k.name, e.kind(), e.Describe())
		}
		x := e.start()
		if x.next == nil || (x.join != nil && x.drive == nil) {
			t.Errorf("%s: execution with next %t, join %t, drive %t: want next, and drive for join",
				k.name, x.next != nil, x.join != nil, x.drive != nil)
		}
		if (x.exhausted != nil) != e.endsByCount() {
			t.Errorf("%s: exhausted %t, endsByCount %t: an executor that ends by count tells when a VU is done",
				k.name, x.exhausted != nil, e.endsByCount())
		}
	}
	if len(kindExamples) != len(executorKinds) {
		t.Errorf("kindExamples has %d entries for %d executors", len(kindExamples), len(executorKinds))
	}
}

// TestArrivalDriver drives a constant arrival rate with a fake environment: one
// VU joins and takes the first iteration without coming back, so the next nine
// are dropped, the pool grows once (to its maximum), then a warning is logged for
// each later drop; the driver ends at the last planned start and closes the VUs'
// work channels.
func TestArrivalDriver(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := &ConstantArrivalRate{Rate: 10, TimeUnit: time.Second, Duration: time.Second, Pool: VUPool{PreAllocated: 1, Max: 2}}
		x := e.start()
		var dropped int
		var grown []int
		var warnings []string
		begin := time.Now()
		env := &driveEnv{group: "api", begin: begin, stop: t.Context(),
			newTimer: func() startTimer { return goTimer{newStoppedTimer()} },
			dropped:  func() { dropped++ },
			startVU:  func(vu int) { grown = append(grown, vu) },
			warn:     func(msg string) { warnings = append(warnings, msg) },
		}
		x.join(0)
		x.drive(env)
		if took := time.Since(begin); took != 900*time.Millisecond {
			t.Errorf("drive returned after %v, want 900ms (the last planned start)", took)
		}
		if dropped != 9 || !slices.Equal(grown, []int{1}) || len(warnings) != 8 {
			t.Errorf("dropped %d, grew by %v, %d warnings; want 9, [1], 8", dropped, grown, len(warnings))
		}
		if len(warnings) > 0 && !strings.Contains(warnings[0], `group "api": all 2 VUs were busy`) {
			t.Errorf("warning %q", warnings[0])
		}
		w, ok := x.next(t.Context(), 0, 0)
		if !ok || w.inGroup != 0 || !w.planned.Equal(begin) {
			t.Errorf("VU 0's work: %+v, %t; want iteration 0 planned at the start", w, ok)
		}
		if _, ok := x.next(t.Context(), 0, 1); ok {
			t.Error("VU 0 got more work after the driver ended")
		}
	})
}

// TestRunContextCancelled: cancelling Run's context aborts the run at once, with
// the context's cause.
func TestRunContextCancelled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		test := build(t, "sleepy.js", func(c *Config) { c.Overrides = Overrides{VUs: ptr[int64](2), Duration: ptr(time.Hour)} })
		cause := errors.New("the caller gave up")
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(100*time.Millisecond, func() { cancel(cause) })
		begin := time.Now()
		res, err := test.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(begin); took != 100*time.Millisecond {
			t.Errorf("run took %v, want 100ms", took)
		}
		if !errors.Is(res.Aborted, cause) || res.Interrupted != 2 {
			t.Errorf("aborted %v with %d interrupted, want the context's cause with 2", res.Aborted, res.Interrupted)
		}
	})
}
