package k6_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestScripts(t *testing.T) {
	t.Parallel()
	jstest.RunExports(t, "testdata/k6.js", "test", jstest.ID(3))
}

func TestIter(t *testing.T) {
	t.Parallel()
	vu := jstest.NewVU(t, "testdata/k6.js")
	if err := vu.Iterate(context.Background(), "iterate", 5, 5); err != nil {
		t.Fatal(err)
	}
}

// TestGroupTags: the samples inside a group carry group=::name (nested
// ::a::b), those outside the VU group's name; group_duration has one sample per
// group call, tagged with its path.
func TestGroupTags(t *testing.T) {
	t.Parallel()
	tt := jstest.New(t, "testdata/k6.js")
	vu := tt.NewVU(t)
	if err := vu.Run(context.Background(), "testGroups"); err != nil {
		t.Fatal(err)
	}
	reg := tt.State.Metrics
	reg.Collect()
	tot := reg.Totals()
	checks := reg.Builtins().Checks
	for _, w := range []struct{ check, group, extra string }{
		{"in login", "::login", ""}, {"in form", "::login::form", ""}, {"outside", "default", "home"}, {"after throw", "default", ""},
	} {
		tags := metrics.NewTags("check", w.check, "group", w.group)
		if w.extra != "" {
			tags = tags.With("page", w.extra)
		}
		if a := tot.Sum(checks, tags); a.Count != 1 {
			t.Errorf("check %q: %d samples tagged %s, want 1", w.check, a.Count, tags)
		}
	}
	gd := reg.Lookup("group_duration")
	if gd == nil {
		t.Fatal("group_duration is not registered")
	}
	for _, w := range []struct {
		group string
		n     uint64
	}{{"::login", 1}, {"::login::form", 1}, {"::throws", 1}} {
		if a := tot.Sum(gd, metrics.NewTags("group", w.group)); a.Count != w.n {
			t.Errorf("group_duration{group:%s}: %d samples, want %d", w.group, a.Count, w.n)
		}
	}
}

// TestUnknownModule: a k6 module jsload does not have is one error at the
// import, naming it.
func TestUnknownModule(t *testing.T) {
	t.Parallel()
	_, err := jsruntime.Load("testdata/unknown.js", jsruntime.BuiltinModules())
	if err == nil || !strings.Contains(err.Error(), "unknown.js:1:") || !strings.Contains(err.Error(), "k6/net/grpc: gRPC is not supported") {
		t.Errorf("got %v, want the error located at the import, naming k6/net/grpc", err)
	}
}
