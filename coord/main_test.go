package coord

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// syncBuffer is a log the client writes from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run dials n clients, the segments of one run, to a fresh miniredis.
func run(t *testing.T, n int) (*miniredis.Miniredis, []*Client, *syncBuffer) {
	t.Helper()
	srv := miniredis.RunT(t)
	log := &syncBuffer{}
	cs := make([]*Client, n)
	for i := range cs {
		c, err := Dial(context.Background(), Config{URL: "redis://" + srv.Addr() + "/0", RunID: fmt.Sprintf("run-%s", t.Name()),
			Index: i, Count: n, Log: log, StartTimeout: 2 * time.Second, StartLead: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		cs[i] = c
		t.Cleanup(func() { _ = c.Close() })
	}
	return srv, cs, log
}

func sprint(v any) string { return fmt.Sprintf("%#v", v) }

func nan() float64 { z := 0.0; return z / z }
