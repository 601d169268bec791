package webapi_test

import (
	"context"
	"testing"

	"github.com/jsload/jsload/jsruntime/jstest"
)

// BenchmarkFirstUse measures a new VU running a function that reads one web global
// for the first time: the global's cost per runtime is its figures less those of
// "none", which reads nothing.
func BenchmarkFirstUse(b *testing.B) {
	tt := jstest.New(b, "testdata/firstuse.js")
	for _, fn := range []string{"none", "url", "buffer", "subtle", "textEncoder", "structuredCloneFn"} {
		b.Run(fn, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				vu, err := tt.Build()
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
