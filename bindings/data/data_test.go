package data_test

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

// TestScripts runs the functions of testdata/data.js, which throw on failure, as
// VU 2 of 2 of group default, with or without the test's data bound.
func TestScripts(t *testing.T) {
	t.Parallel()
	decl := map[string]any{
		"users":  map[string]any{"file": "users.csv", "rows": "shared", "shuffle": false},
		"blocks": map[string]any{"file": "blocks.csv", "rows": "per-iteration", "rowsPerVU": float64(2), "shuffle": false},
		"admins": map[string]any{"file": "admins.csv", "groups": "admins"},
		"config": map[string]any{"file": "config.json"},
	}
	list, err := dict.LoadData(decl, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	bound, err := dict.NewDataBindings(list, []dict.GroupSize{{Name: "default", VUs: 2}, {Name: "admins", VUs: 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fn   string
		data bool
	}{{"walk", true}, {"block", true}, {"errors", true}, {"noData", false}}
	for _, tc := range tests {
		t.Run(tc.fn, func(t *testing.T) {
			t.Parallel()
			vu := jstest.NewVU(t, "testdata/data.js", jstest.ID(2))
			if tc.data {
				feed, err := bound.Feed("default", 1)
				if err != nil {
					t.Fatal(err)
				}
				vu.Feed = feed
			}
			if err := vu.Run(context.Background(), tc.fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}
