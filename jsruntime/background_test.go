package jsruntime

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// TestBackgroundScripts runs the scenarios of testdata/background.js: each throws
// when a call or option misbehaves.
func TestBackgroundScripts(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "background.js"), ThinkTimeFactor: 1}
	for _, fn := range []string{"basics", "justCreate", "immediate", "faulted", "errors", "syncPoints", "createAndStop", "interruptedExport"} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			vu := newTestVU(t, s, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := vu.Run(ctx, fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDictionaryModes(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "dictmodes.js"), ThinkTimeFactor: 1}
	vu := newTestVU(t, s, 1)
	if err := vu.Run(context.Background(), "modes"); err != nil {
		t.Fatal(err)
	}
}

// status reads a background script's status from Go.
func status(t *testing.T, vu *VU, id string) string {
	t.Helper()
	st, err := vu.bg.status(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestStopCriteria checks the automatic stops: at the end of the creating function
// ('script'), of the iteration ('iteration') and of the VU ('vu', 'never').
func TestStopCriteria(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "background.js"), ThinkTimeFactor: 1}
	ctx := context.Background()

	vu := newTestVU(t, s, 1)
	if err := vu.Run(ctx, "scriptScope"); err != nil {
		t.Fatal(err)
	}
	if st := status(t, vu, "scoped"); st != "canceled" {
		t.Errorf("stop 'script': status %s after the creating function returned, want canceled", st)
	}

	if err := vu.Iterate(ctx, "iterationScope", 0, 0); err != nil {
		t.Fatal(err)
	}
	if st := status(t, vu, "iter"); st != "completed" {
		t.Errorf("stop 'iteration': status %s after the iteration, want completed (stopped by request)", st)
	}

	if err := vu.Run(ctx, "deadlock"); err != nil {
		t.Fatal(err)
	}
	if st := status(t, vu, "stuck"); st != "running" {
		t.Fatalf("stop 'never': status %s before the VU ends, want running", st)
	}
	done := make(chan struct{})
	go func() { vu.StopBackground(); close(done) }()
	select {
	case <-done:
	case <-time.After(8 * time.Second):
		t.Fatal("a script deadlocked on a never-set synchronisation point kept its VU from ending")
	}
	if st := status(t, vu, "stuck"); st != "canceled" {
		t.Errorf("stop 'never': status %s after the VU ended, want canceled", st)
	}
}

// TestManyVUsWithBackgroundScripts runs 1,000 VUs with 3 background scripts each
// (under -race in CI); goleak in TestMain checks that nothing survives the VUs.
func TestManyVUsWithBackgroundScripts(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("1,000 VUs")
	}
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "manybg.js"), ThinkTimeFactor: 1}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for id := int64(1); id <= 1000; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vu, err := NewVU(context.Background(), s, &bindings.VUInfo{ID: id}, nil)
			if err != nil {
				errs <- err
				return
			}
			defer vu.Close()
			if err := vu.Iterate(context.Background(), FuncDefault, 0, 0); err != nil {
				errs <- fmt.Errorf("VU %d: %w", id, err)
			}
			vu.StopBackground()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
