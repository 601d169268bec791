package coord

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/jsload/jsload/internal/testio"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// run dials n clients, the segments of one run, to a fresh miniredis.
func run(t *testing.T, n int) (*miniredis.Miniredis, []*Client, *testio.Buffer) {
	t.Helper()
	srv := miniredis.RunT(t)
	log := &testio.Buffer{}
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
