package websockets_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jsload/jsload/cmd/jsload/demo"
	"github.com/jsload/jsload/jsruntime/jstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestScripts runs the test* functions of testdata/k6websockets.js against the demo.
func TestScripts(t *testing.T) {
	t.Parallel()
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tt := jstest.New(t, "testdata/k6websockets.js", jstest.Env(map[string]string{"BASE_URL": srv.URL()}))
	for _, fn := range tt.NewVU(t).Exports() {
		if !strings.HasPrefix(fn, "test") {
			continue
		}
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeoutCause(context.Background(), time.Minute, errors.New("the test hung"))
			defer cancel()
			if err := tt.NewVU(t).Run(ctx, fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}
