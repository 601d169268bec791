package webapi_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/webapi"
	"github.com/jsload/jsload/jsruntime/jstest"
)

// builds records the web globals built, by VU id.
var builds = struct {
	sync.Mutex
	byVU map[int64][]string
}{byVU: map[int64][]string{}}

func init() {
	webapi.SetBuildHook(func(h bindings.Host, name string) {
		builds.Lock()
		defer builds.Unlock()
		id := h.VU().ID
		builds.byVU[id] = append(builds.byVU[id], name)
	})
}

func builtBy(id int64) []string {
	builds.Lock()
	defer builds.Unlock()
	return slices.Clone(builds.byVU[id])
}

// TestLazy checks that a runtime builds a web global only when a script reads it:
// none for a script that uses none, only URL for one that uses URL.
func TestLazy(t *testing.T) {
	t.Parallel()
	var names []string
	for _, e := range webapi.Exports {
		names = append(names, e.Name)
	}
	tt := jstest.New(t, "testdata/lazy.js", jstest.Env(map[string]string{"NAMES": strings.Join(names, ",")}))
	cases := []struct {
		id   int64
		fn   string
		want []string
	}{
		{9001, "none", nil},
		{9002, "url", []string{"URL"}},
		{9003, "every", names},
	}
	for _, tc := range cases {
		vu, err := tt.Build(jstest.ID(tc.id))
		if err != nil {
			t.Fatal(err)
		}
		if got := builtBy(tc.id); len(got) != 0 {
			t.Errorf("building the VU built %v", got)
		}
		if err := vu.Run(context.Background(), tc.fn); err != nil {
			t.Errorf("%s: %v", tc.fn, err)
		}
		vu.Close()
		if got := builtBy(tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("%s built %v, want %v", tc.fn, got, tc.want)
		}
	}
}

// TestMicrotaskThrows checks that an exception in a microtask fails the call
// with the exception's message.
func TestMicrotaskThrows(t *testing.T) {
	t.Parallel()
	err := jstest.NewVU(t, "testdata/microtask.js").Run(context.Background(), "throwsInMicrotask")
	if err == nil || !strings.Contains(err.Error(), "from a microtask") || !strings.Contains(err.Error(), "microtask.js:") {
		t.Errorf("got %v, want the microtask's error at its line", err)
	}
}
