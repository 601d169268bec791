package rendezvous

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		opts    Options
		wantErr string // "" for valid
	}{
		{"count", Options{Count: 10}, ""},
		{"percent with everything", Options{Percent: 50, Group: "buyers", Timeout: time.Second, InterArrivalTimeout: time.Second}, ""},
		{"neither", Options{Timeout: time.Second}, "no release condition"},
		{"both", Options{Count: 1, Percent: 50}, "both count and percent"},
		{"negative count", Options{Count: -1}, "count -1 is negative"},
		{"percent over 100", Options{Percent: 101}, "percent 101 is out of range"},
		{"negative percent", Options{Percent: -5}, "percent -5 is out of range"},
		{"group with count", Options{Count: 3, Group: "g"}, "group only applies to percent"},
		{"negative timeout", Options{Count: 3, Timeout: -time.Second}, "timeout -1s is negative"},
		{"negative inter-arrival timeout", Options{Count: 3, InterArrivalTimeout: -time.Second}, "interArrivalTimeout -1s is negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.opts.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate(%s): %v", tc.opts, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Validate(%s): got %v, want an error containing %q", tc.opts, err, tc.wantErr)
			}
		})
	}
}

func TestNeed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		opts    Options
		running int64
		want    int64
	}{
		{Options{Count: 7}, 0, 7},
		{Options{Count: 7}, 100, 7},
		{Options{Percent: 50}, 0, 0}, // unknown
		{Options{Percent: 50}, 10, 5},
		{Options{Percent: 50}, 5, 3},
		{Options{Percent: 1}, 10, 1},
		{Options{Percent: 100}, 1000, 1000},
		{Options{Percent: 33.3}, 1000, 333},
		{Options{Percent: 64.4}, 250, 161}, // not 162, despite 64.4*250/100 = 161.00000000000003
	}
	for _, tc := range cases {
		if got := tc.opts.need(tc.running); got != tc.want {
			t.Errorf("%s with %d running: need %d, want %d", tc.opts, tc.running, got, tc.want)
		}
	}
}

func TestPoints(t *testing.T) {
	t.Parallel()
	var ps Points
	a, err := ps.Get("a", Options{Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		point    string
		opts     Options
		wantSame bool
		wantErr  string
	}{
		{"same options, same point", "a", Options{Count: 2}, true, ""},
		{"other options, same point", "a", Options{Count: 3}, true, ""},
		{"invalid options for a point", "a", Options{Count: 3, Group: "g"}, false, "group only applies to percent"},
		{"other name", "b", Options{Count: 3}, false, ""},
		{"empty name", "", Options{Count: 3}, false, "the rendezvous name is empty"},
		{"invalid options", "c", Options{}, false, "no release condition"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ps.Get(tc.point, tc.opts)
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Get(%q, %s): got %v, want an error containing %q", tc.point, tc.opts, err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("Get(%q, %s): %v", tc.point, tc.opts, err)
			case (p == a) != tc.wantSame:
				t.Errorf("Get(%q, %s): same point as \"a\" = %v, want %v", tc.point, tc.opts, p == a, tc.wantSame)
			}
		})
	}
	if _, err := ps.Get("c", Options{Count: 1}); err != nil {
		t.Errorf("a name whose first options were invalid stays free: %v", err)
	}
	if want := (Options{Count: 3}); a.opts != want {
		t.Errorf("point a has options %s, want %s (the last valid ones)", a.opts, want)
	}
}
