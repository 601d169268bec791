package jsruntime_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSharedProgramConcurrentVUs runs one compiled program in 100 VUs at once, each
// on its own goroutine; the script checks that module state stays per runtime.
func TestSharedProgramConcurrentVUs(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/shared.js", jstest.Env(map[string]string{"WHO": "tester"}))
	errs := tt.InVUs(100, func(_ int, vu *jsruntime.VU) error {
		for i := int64(0); i < 20; i++ {
			if err := vu.Iterate(context.Background(), jsruntime.FuncDefault, i, i); err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("VU %d: %v", i+1, err)
		}
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
			vu := jstest.NewVU(t, "testdata/busy.js")
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
			if err := vu.Run(context.Background(), jsruntime.FuncDefault); err != nil {
				t.Errorf("after interrupt: %v", err)
			}
		})
	}
}

// TestInterruptDuringExportLookup interrupts the runtime before an export is looked
// up: the getter esbuild made for it is interrupted, the lookup fails instead of
// panicking, and the VU runs normally afterwards.
func TestInterruptDuringExportLookup(t *testing.T) {
	t.Parallel()
	vu := jstest.NewVU(t, "testdata/busy.js")
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("stop")
	cancel(cause)
	jsruntime.InterruptMain(vu, ctx, cause) // before the lookup
	if fn := vu.Func("nap"); fn != nil {
		t.Fatalf("Func returned a function while interrupted")
	}
	if err := vu.Run(context.Background(), jsruntime.FuncDefault); err != nil {
		t.Fatalf("the VU is not usable after an interrupted lookup: %v", err)
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
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			t.Parallel()
			vu := jstest.NewVU(t, "testdata/async.js")
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := vu.Run(ctx, tc.fn)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Run(%s): %v", tc.fn, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Run(%s) = %v, want an error containing %q", tc.fn, err, tc.wantErr)
			}
		})
	}
	t.Run("pendingTimer", func(t *testing.T) {
		t.Parallel()
		vu := jstest.NewVU(t, "testdata/async.js")
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
	vu := jstest.NewVU(t, "testdata/throws.ts")
	err := vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0)
	var se *jsruntime.ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("Iterate = %v, want a ScriptError", err)
	}
	if se.Msg != "Error: total is 3" || se.Location != "testdata/throws.ts:11:11" {
		t.Errorf("got %q at %q, want %q at %q", se.Msg, se.Location, "Error: total is 3", "testdata/throws.ts:11:11")
	}
}

func TestSetupDataAcrossRuntimes(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/setup.js")
	initVU := tt.NewVU(t, jstest.ID(0))
	data, err := initVU.CallJSON(context.Background(), jsruntime.FuncSetup, nil)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	tt.State.SetupData = data
	vu := tt.NewVU(t)
	if err := vu.Iterate(context.Background(), jsruntime.FuncDefault, 0, 0); err != nil {
		t.Fatalf("iteration: %v", err)
	}
	out, err := initVU.CallJSON(context.Background(), jsruntime.FuncTeardown, data)
	if err != nil || string(out) != `{"seen":"abc"}` {
		t.Fatalf("teardown = %s, %v; want {\"seen\":\"abc\"}", out, err)
	}
}

func TestConsole(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	tt := jstest.New(t, "testdata/console.js")
	tt.State.Console = &out
	vu := tt.NewVU(t, jstest.ID(7), jstest.Env(map[string]string{"WHO": "tester"}))
	if err := vu.Run(context.Background(), jsruntime.FuncDefault); err != nil {
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
	vu := jstest.NewProgram(jstest.Load(t, filepath.Join(dir, "main.js"))).NewVU(t)
	if _, err := vu.OptionsJSON(); err == nil || !strings.Contains(err.Error(), "no options today") {
		t.Errorf("OptionsJSON: %v, want the getter's error", err)
	}
}

// TestStackOverflow runs runaway recursions (testdata/recursion.js): each fails its
// call with a RangeError at the line of the recursion, a bounded stack, and the
// VU's next call runs (in a runtime rebuilt after an overflow in an async
// function, which goja leaves with frames on its stack). The limit is lowered to
// 1000: goja takes time quadratic in the depth to unwind an overflow through Go.
func TestStackOverflow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ fn, at string }{
		{"direct", "recursion.js:3:"},
		{"native", "recursion.js:7:"},
		{"getter", "recursion.js:13:"},
		{"toJSON", "recursion.js:18:"}, // JSON.stringify's own depth limit
		{"async", "recursion.js:22:"},
	} {
		t.Run(tt.fn, func(t *testing.T) {
			t.Parallel()
			test := jstest.New(t, "testdata/recursion.js")
			test.State.MaxCallStack = 1000
			var reported []string
			test.State.OnError = func(what string, err error) { reported = append(reported, what+": "+err.Error()) }
			vu := test.NewVU(t)
			for range 2 {
				err := vu.Run(context.Background(), tt.fn)
				var se *jsruntime.ScriptError
				if !errors.As(err, &se) || !strings.HasPrefix(se.Msg, "RangeError: Maximum call stack size exceeded") || !strings.Contains(se.Location, tt.at) {
					t.Fatalf("Run(%s) = %v, want a RangeError at %s", tt.fn, err, tt.at)
				}
				if lines := strings.Count(se.Stack, "\n"); lines > 25 {
					t.Errorf("the stack has %d lines, want it cut short", lines)
				}
			}
			if err := vu.Run(context.Background(), "fine"); err != nil {
				t.Errorf("the VU's next call: %v", err)
			}
			if rebuilt := len(reported) > 0; rebuilt != (tt.fn == "async") {
				t.Errorf("reported %q; want a rebuilt runtime reported after an async overflow only", reported)
			}
		})
	}
}

// TestStackLimit checks the default limit: a plain recursion fails at it.
func TestStackLimit(t *testing.T) {
	t.Parallel()
	vu := jstest.NewVU(t, "testdata/recursion.js")
	err := vu.Run(context.Background(), "direct")
	var se *jsruntime.ScriptError
	if !errors.As(err, &se) || se.Msg != "RangeError: Maximum call stack size exceeded" || !strings.Contains(se.Location, "recursion.js:3:") {
		t.Fatalf("Run(direct) = %v, want a RangeError at recursion.js:3", err)
	}
}

// TestUnstorableSetupData returns from setup() what JSON cannot hold: the error
// says why and where, and nothing crashes.
func TestUnstorableSetupData(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/unstorable.js")
	vu := tt.NewVU(t, jstest.ID(0))
	for _, c := range []struct{ fn, want string }{
		{"cyclicSetup", "cyclicSetup() must return JSON-like data: TypeError: Converting circular structure to JSON: value.tree.children[0].parent refers back to an object that contains it"},
		{"deepSetup", "deepSetup() must return JSON-like data: RangeError: Maximum call stack size exceeded: JSON.stringify of a value nested more than 10000 levels deep"},
	} {
		if _, err := vu.CallJSON(context.Background(), c.fn, nil); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.fn, err, c.want)
		}
	}
	var out bytes.Buffer
	tt.State.Console = &out
	if err := vu.Run(context.Background(), "logs"); err != nil {
		t.Fatal(err)
	}
	if want := "[test] tree [object Object] deep [Array(1)] ok {\"a\":1}\n"; out.String() != want {
		t.Errorf("console output %q, want %q", out.String(), want)
	}
}
