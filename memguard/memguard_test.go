package memguard

import (
	"errors"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParse(t *testing.T) {
	t.Parallel()
	detected := func() (Limit, error) { return Limit{Bytes: 10 << 30, Source: "the cgroup's memory.max"}, nil }
	for _, tt := range []struct {
		in     string
		bytes  uint64
		off    bool
		source string
		err    string
	}{
		{in: "2GiB", bytes: 2 << 30, source: "--max-memory 2GiB"},
		{in: "300MiB", bytes: 300 << 20},
		{in: "300mib", bytes: 300 << 20},
		{in: "1.5GB", bytes: 1_500_000_000},
		{in: "512000000", bytes: 512_000_000},
		{in: "100000KiB", bytes: 100000 << 10},
		{in: " 1 TiB ", bytes: 1 << 40},
		{in: "80%", bytes: 8 << 30, source: "--max-memory 80% of the cgroup's memory.max, 10 GiB"},
		{in: "off", off: true},
		{in: "OFF", off: true},
		{in: "", err: "write a size such as 2GiB"},
		{in: "lots", err: "write a size such as 2GiB"},
		{in: "300M", err: "write a size such as 2GiB"},
		{in: "NaN", err: "write a size"},
		{in: "-1GiB", err: "write a size"},
		{in: "0", err: "write a size"},
		{in: "Inf", err: "write a size"},
		{in: "1e300", err: "more than a petabyte"},
		{in: "10MiB", err: "10 MiB is too little for jsload itself: give at least 64 MiB"},
		{in: "0%", err: "a percentage is more than 0 and at most 100"},
		{in: "101%", err: "at most 100"},
		{in: "x%", err: "a percentage"},
	} {
		l, off, err := Parse(tt.in, detected)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "--max-memory") {
				t.Errorf("Parse(%q) = %v, %v; want an error with %q", tt.in, l, err, tt.err)
			}
		case err != nil || off != tt.off || l.Bytes != tt.bytes:
			t.Errorf("Parse(%q) = %v, %v, %v; want %d bytes, off %v", tt.in, l, off, err, tt.bytes, tt.off)
		case tt.source != "" && l.Source != tt.source:
			t.Errorf("Parse(%q) source %q, want %q", tt.in, l.Source, tt.source)
		}
	}
	failing := func() (Limit, error) { return Limit{}, errors.New("no idea") }
	if _, _, err := Parse("50%", failing); err == nil || !strings.Contains(err.Error(), "no idea") {
		t.Errorf("a percentage of an unknown limit: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2GiB", "80%", "off", "1.5GB", "1e9", "-0%", "0x10MiB"} {
		f.Add(s)
	}
	detected := func() (Limit, error) { return Limit{Bytes: 8 << 30, Source: "test"}, nil }
	f.Fuzz(func(t *testing.T, s string) {
		l, off, err := Parse(s, detected)
		if err == nil && !off && (l.Bytes < MinLimit || l.Bytes >= noLimit || l.Source == "") {
			t.Errorf("Parse(%q) = %+v", s, l)
		}
	})
}

func TestDetect(t *testing.T) {
	t.Parallel()
	n := func(v uint64) func() (uint64, error) { return func() (uint64, error) { return v, nil } }
	fail := func(err error) func() (uint64, error) { return func() (uint64, error) { return 0, err } }
	for _, tt := range []struct {
		name   string
		srcs   []source
		bytes  uint64
		source string
		err    string
	}{
		{"cgroup tighter", []source{{"cgroup", n(2 << 30)}, {"machine", n(16 << 30)}}, 2 << 30, "cgroup", ""},
		{"machine tighter", []source{{"cgroup", n(64 << 30)}, {"machine", n(16 << 30)}}, 16 << 30, "machine", ""},
		{"cgroup v1 unlimited", []source{{"cgroup", n(9223372036854771712)}, {"machine", n(16 << 30)}}, 16 << 30, "machine", ""},
		{"no cgroup", []source{{"cgroup", fail(memlimit.ErrNoCgroup)}, {"machine", n(8 << 30)}}, 8 << 30, "machine", ""},
		{"cgroup max", []source{{"cgroup", fail(memlimit.ErrNoLimit)}, {"machine", n(8 << 30)}}, 8 << 30, "machine", ""},
		{"cgroup unreadable", []source{{"cgroup", fail(errors.New("permission denied"))}, {"machine", n(8 << 30)}}, 8 << 30, "machine", ""},
		{"nothing known", []source{{"cgroup", fail(errors.New("permission denied"))}, {"machine", fail(memlimit.ErrNoLimit)}}, 0, "",
			"cgroup: permission denied; set one with --max-memory"},
	} {
		l, err := detect(tt.srcs)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, %v; want an error with %q", tt.name, l, err, tt.err)
			}
			continue
		}
		if err != nil || l.Bytes != tt.bytes || l.Source != tt.source {
			t.Errorf("%s: %v, %v; want %d from %s", tt.name, l, err, tt.bytes, tt.source)
		}
	}
}

// TestDetectHere reads this machine's limit: some limit is always found, and
// it is no more than the machine's memory.
func TestDetectHere(t *testing.T) {
	t.Parallel()
	l, err := Detect()
	if err != nil {
		t.Fatal(err)
	}
	total, _ := memlimit.FromSystem()
	if l.Bytes == 0 || l.Source == "" || (total > 0 && l.Bytes > total) {
		t.Errorf("Detect() = %v; the machine has %d bytes", l, total)
	}
	t.Logf("limit here: %v", l)
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[uint64]string{0: "0 B", 512: "512 B", 1 << 10: "1 KiB", 300 << 20: "300 MiB", 3 << 29: "1.5 GiB", 5 << 40: "5 TiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestGuardTrips feeds a guard rising figures: it reports once, at the trip
// point, with the limit and the figure.
func TestGuardTrips(t *testing.T) {
	var used atomic.Uint64
	used.Store(100)
	exceeded := make(chan *ExceededError, 2)
	lim := Limit{Bytes: 1000 << 20, Source: "--max-memory 1000MiB"}
	g := Start(Config{Limit: lim, Interval: time.Millisecond, read: func() uint64 { return used.Add(10 << 20) },
		OnExceed: func(e *ExceededError) { exceeded <- e }})
	defer g.Stop()
	select {
	case e := <-exceeded:
		if e.Used < 900<<20 || e.Used > 910<<20 || e.Limit != lim {
			t.Errorf("tripped at %d bytes of %v, want 90%%", e.Used, e.Limit)
		}
		want := "memory limit reached: jsload holds 900.0 MiB, 90% of its limit of 1000 MiB (--max-memory 1000MiB): test aborted"
		if !strings.HasPrefix(e.Error(), want) {
			t.Errorf("message %q, want it to start with %q", e, want)
		}
	case <-time.After(time.Minute):
		t.Fatal("the guard never tripped")
	}
	g.Stop()
	g.Stop()
	if len(exceeded) != 0 {
		t.Error("the guard reported twice")
	}
}

// TestGuardRealMemory holds memory past a limit set just above what the
// process uses: the guard sees it. Not parallel: it measures the process.
func TestGuardRealMemory(t *testing.T) {
	base := inUse()
	lim := Limit{Bytes: base + 100<<20, Source: "test"}
	exceeded := make(chan *ExceededError, 1)
	g := Start(Config{Limit: lim, OnExceed: func(e *ExceededError) { exceeded <- e }})
	defer g.Stop()
	var held [][]byte
	deadline := time.After(time.Minute)
	for {
		select {
		case e := <-exceeded:
			if e.Used < lim.Bytes*9/10 {
				t.Errorf("tripped at %d of %d", e.Used, lim.Bytes)
			}
			runtime.KeepAlive(held)
			return
		case <-deadline:
			t.Fatalf("holding %d MiB more, the guard never tripped", len(held))
		default:
		}
		if len(held) < 400 { // 400 MiB at most: far past the limit
			b := make([]byte, 1<<20)
			for i := range b {
				b[i] = 1 // touched, as a script's data is
			}
			held = append(held, b)
		} else {
			time.Sleep(time.Millisecond) // waiting for the guard's next sample
		}
	}
}

// TestSoftLimit: Go's soft limit follows the guards running, the lowest
// applying, and returns to what it was after the last.
func TestSoftLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	a := Start(Config{Limit: Limit{Bytes: 10 << 30}, read: func() uint64 { return 0 }})
	if got := debug.SetMemoryLimit(-1); got != 8<<30 {
		t.Errorf("soft limit %d with a 10 GiB guard, want 8 GiB", got)
	}
	b := Start(Config{Limit: Limit{Bytes: 5 << 30}, read: func() uint64 { return 0 }})
	if got := debug.SetMemoryLimit(-1); got != 4<<30 {
		t.Errorf("soft limit %d with a 5 GiB guard too, want 4 GiB", got)
	}
	b.Stop()
	if got := debug.SetMemoryLimit(-1); got != 8<<30 {
		t.Errorf("soft limit %d after the 5 GiB guard stopped, want 8 GiB", got)
	}
	a.Stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("soft limit %d after both stopped, want %d as before", got, before)
	}
}

// TestGCNotice: a garbage collection wakes the guard, not only its ticker.
func TestGCNotice(t *testing.T) {
	gc := make(chan struct{}, 1)
	done := make(chan struct{})
	defer close(done)
	armGCNotice(gc, done)
	for range 2 { // and it re-arms
		deadline := time.After(time.Minute)
	wait:
		for {
			runtime.GC()
			select {
			case <-gc:
				break wait
			case <-deadline:
				t.Fatal("no notice of a garbage collection")
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// BenchmarkInUse is the cost of one sample, taken every DefaultInterval and
// after each garbage collection.
func BenchmarkInUse(b *testing.B) {
	for b.Loop() {
		if inUse() == 0 {
			b.Fatal("no memory in use")
		}
	}
}
