package bindings

import (
	"errors"
	"reflect"
	"testing"

	"github.com/dop251/goja"
)

func TestEachHeader(t *testing.T) {
	t.Parallel()
	rt := goja.New()
	v, err := rt.RunString(`({ 'x-one': 1, 'X-Two': ['a', 'b'], 'x-none': undefined, 'x-null': null })`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	if err := EachHeader(v, func(name string, values []string) error { got[name] = values; return nil }); err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"X-One": {"1"}, "X-Two": {"a", "b"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("headers %v, want %v", got, want)
	}
	stop := errors.New("stop")
	calls := 0
	if err := EachHeader(v, func(string, []string) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("error %v after %d calls, want the first one's", err, calls)
	}
	if err := EachHeader(rt.ToValue("text"), func(string, []string) error { return nil }); err == nil {
		t.Error("a string is no object of headers: want an error")
	}
}
