package webapi_test

import (
	"context"
	"testing"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/jsruntime"
	"github.com/jsload/jsload/metrics"
)

// BenchmarkFirstUse measures a new VU running a function that reads one web global
// for the first time: the global's cost per runtime is its figures less those of
// "none", which reads nothing.
func BenchmarkFirstUse(b *testing.B) {
	p, err := jsruntime.Load("testdata/firstuse.js", jsruntime.BuiltinModules())
	if err != nil {
		b.Fatal(err)
	}
	s := &jsruntime.Shared{Program: p, Metrics: metrics.NewRegistry(), ThinkTimeFactor: 1}
	for _, fn := range []string{"none", "url", "buffer", "subtle", "textEncoder", "structuredCloneFn"} {
		b.Run(fn, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				vu, err := jsruntime.NewVU(context.Background(), s, &bindings.VUInfo{ID: int64(i + 1)}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := vu.Run(context.Background(), fn); err != nil {
					b.Fatal(err)
				}
				vu.Close()
			}
		})
	}
}
