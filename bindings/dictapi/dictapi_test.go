package dictapi_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/dict"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the functions of testdata/dictapi.js, which throw on failure.
func TestScripts(t *testing.T) {
	t.Parallel()
	standardKeys := map[string]any{"testName": "t", "runNumber": int64(1), "runPath": "/r", "scriptsPath": "/s",
		"dataPath": "/s", "projectName": "p", "userHome": "/s", "workspaceName": "w", "testSeriesName": "t",
		"cacheHome": "/c", "downloadPath": "/c", "tracePath": "/c/trace", "engineName": "jsload",
		"injectorName": "h", "isLocalInjector": true, "debug": false, "vuId": int64(3), "vuIdInGroup": int64(3),
		"groupName": "default", "iteration": int64(0)}
	tests := []struct {
		fn   string
		keys map[string]any // the VU's dictionary to start with
		id   int64
	}{
		{fn: "typed"},
		{fn: "errors"},
		{fn: "unstorable"},
		{fn: "waits"},
		{fn: "standardKeys", keys: standardKeys, id: 3},
	}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			t.Parallel()
			store := dict.New()
			store.SetMany(tc.keys)
			vu := jstest.NewVU(t, "testdata/dictapi.js", jstest.Dict(store), jstest.ID(max(tc.id, 1)))
			if err := vu.Run(context.Background(), tc.fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}
