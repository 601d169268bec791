package jsruntime

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSharedProgramConcurrentVUs runs one compiled program in 100 VUs at once, each
// on its own goroutine; the script checks that module state stays per runtime.
func TestSharedProgramConcurrentVUs(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "shared.js"), ThinkTimeFactor: 1}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for id := int64(1); id <= 100; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vu, err := NewVU(context.Background(), s, &bindings.VUInfo{ID: id, Env: map[string]string{"WHO": "tester"}}, nil)
			if err != nil {
				errs <- err
				return
			}
			defer vu.Close()
			for i := int64(0); i < 20; i++ {
				if err := vu.Iterate(context.Background(), FuncDefault, i, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestInterrupt cancels the context of code that would otherwise never return and
// expects it back, with the cancel's cause, promptly: a few milliseconds, checked
// against 2 s so that a busy machine does not fail it.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	for _, fn := range []string{"spin", "nap", "timer", "catcher"} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "busy.js"), ThinkTimeFactor: 1}
			vu := newTestVU(t, s, 1)
			ctx, cancel := context.WithCancelCause(context.Background())
			cause := errors.New("stop now")
			var cancelled time.Time
			time.AfterFunc(50*time.Millisecond, func() { cancelled = time.Now(); cancel(cause) })
			err := vu.Run(ctx, fn)
			took := time.Since(cancelled)
			if !errors.Is(err, cause) {
				t.Fatalf("Run(%s) = %v, want the cancel cause", fn, err)
			}
			if took > 2*time.Second {
				t.Errorf("Run(%s) returned %v after cancel, want promptly", fn, took)
			}
			// The runtime is usable again under a new context.
			if err := vu.Run(context.Background(), FuncDefault); err != nil {
				t.Errorf("after interrupt: %v", err)
			}
		})
	}
}

func TestAsyncIterations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fn      string
		wantErr string // "" for success
	}{
		{"ordering", ""},
		{"interval", ""},
		{"rejects", "Error: async boom at testdata/async.js:36:9"},
		{"unhandled", "nobody handles me"},
		{"neverSettles", "never settles"},
	}
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "async.js"), ThinkTimeFactor: 1}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			vu := newTestVU(t, s, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := vu.Run(ctx, tt.fn)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Run(%s): %v", tt.fn, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Run(%s) = %v, want an error containing %q", tt.fn, err, tt.wantErr)
			}
		})
	}
	t.Run("pendingTimer", func(t *testing.T) {
		t.Parallel()
		vu := newTestVU(t, s, 1)
		for _, fn := range []string{"pendingTimer", "checkTimerRan"} {
			if err := vu.Run(context.Background(), fn); err != nil {
				t.Fatalf("Run(%s): %v", fn, err)
			}
		}
	})
}

// TestSourceMappedTypeScript expects an exception in a .ts file to name the line and
// column of the user's source, not of the transformed code.
func TestSourceMappedTypeScript(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "throws.ts"), ThinkTimeFactor: 1}
	vu := newTestVU(t, s, 1)
	err := vu.Iterate(context.Background(), FuncDefault, 0, 0)
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("Iterate = %v, want a ScriptError", err)
	}
	if se.Msg != "Error: total is 3" || se.Location != "testdata/throws.ts:11:11" {
		t.Errorf("got %q at %q, want %q at %q", se.Msg, se.Location, "Error: total is 3", "testdata/throws.ts:11:11")
	}
}

func TestSetupDataAcrossRuntimes(t *testing.T) {
	t.Parallel()
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "setup.js"), ThinkTimeFactor: 1}
	initVU := newTestVU(t, s, 0)
	data, err := initVU.CallJSON(context.Background(), FuncSetup, nil)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	s.SetupData = data
	vu := newTestVU(t, s, 1)
	if err := vu.Iterate(context.Background(), FuncDefault, 0, 0); err != nil {
		t.Fatalf("iteration: %v", err)
	}
	out, err := initVU.CallJSON(context.Background(), FuncTeardown, data)
	if err != nil || string(out) != `{"seen":"abc"}` {
		t.Fatalf("teardown = %s, %v; want {\"seen\":\"abc\"}", out, err)
	}
}

func TestConsole(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	s := &TestState{Metrics: metrics.NewRegistry(), Program: loadTestdata(t, "console.js"), ThinkTimeFactor: 1, Console: &out}
	vu := newTestVU(t, s, 7)
	if err := vu.Run(context.Background(), FuncDefault); err != nil {
		t.Fatal(err)
	}
	want := "[vu 7] plain 1 {\"a\":[1,2]}\n[vu 7] WARN careful\n"
	if out.String() != want {
		t.Errorf("console output %q, want %q", out.String(), want)
	}
}

// An `options` export whose getter throws is an error naming the export, not
// a panic.
func TestOptionsGetterThrows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "module.exports = { get options() { throw new Error('no options today'); }, default() {} };\n"
	if err := os.WriteFile(filepath.Join(dir, "main.js"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(filepath.Join(dir, "main.js"), BuiltinModules())
	if err != nil {
		t.Fatal(err)
	}
	vu := newTestVU(t, &TestState{Metrics: metrics.NewRegistry(), Program: p, ThinkTimeFactor: 1}, 1)
	if _, err := vu.OptionsJSON(); err == nil || !strings.Contains(err.Error(), "no options today") {
		t.Errorf("OptionsJSON: %v, want the getter's error", err)
	}
}
