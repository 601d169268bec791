package scheduler

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jsload/jsload/internal/testio"
)

// TestNewBrowserEachIterationPlan: a group's own setting wins over
// options.newBrowserEachIteration, which wins over the default (true).
func TestNewBrowserEachIterationPlan(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, opts string
		want       []bool // each group's NewBrowserEachIteration, in order
	}{
		{"default", `{"vus": 1}`, []bool{true}},
		{"shortcut off", `{"vus": 1, "newBrowserEachIteration": false}`, []bool{false}},
		{"k6 noCookiesReset", `{"vus": 1, "noCookiesReset": true}`, []bool{false}},
		{"k6 cookies reset", `{"vus": 1, "noCookiesReset": false}`, []bool{true}},
		{"newBrowserEachIteration wins", `{"vus": 1, "noCookiesReset": true, "newBrowserEachIteration": true}`, []bool{true}},
		{"k6 noVUConnectionReuse", `{"vus": 1, "noCookiesReset": true, "noVUConnectionReuse": true}`, []bool{true}},
		{"groups default", `{"groups": {"a": {"executor": "per-vu-iterations"}}}`, []bool{true}},
		{"groups from the top", `{"newBrowserEachIteration": false, "groups": {"a": {"executor": "per-vu-iterations"}, "b": {"executor": "per-vu-iterations", "newBrowserEachIteration": true}}}`, []bool{false, true}},
		{"group off", `{"groups": {"a": {"executor": "constant-arrival-rate", "rate": 1, "duration": "1s", "preAllocatedVUs": 1, "newBrowserEachIteration": false}, "b": {"executor": "per-vu-iterations"}}}`, []bool{false, true}},
	} {
		p, err := plan(t, tt.opts, Overrides{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []bool
		for _, g := range p.Groups {
			got = append(got, g.NewBrowserEachIteration)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct{ opts, want string }{
		{`{"newBrowserEachIteration": "yes"}`, `options.newBrowserEachIteration: must be true or false, got "yes"`},
		{`{"groups": {"web": {"executor": "per-vu-iterations", "newBrowserEachIteration": 1}}}`, "options.groups.web.newBrowserEachIteration: must be true or false, got 1"},
	} {
		o, err := ParseOptions([]byte(tt.opts))
		if err == nil {
			_, err = BuildPlan(o, Overrides{})
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.opts, err, tt.want)
		}
	}
}

// browserTarget is a server that sets a cookie (/set?name=N) and lists the
// cookies it receives (/cookies); it counts the connections it accepts.
func browserTarget(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: r.URL.Query().Get("name"), Value: "1", Path: "/"})
		case "/cookies":
			m := map[string]string{}
			for _, c := range r.Cookies() {
				m[c.Name] = c.Value
			}
			_ = json.NewEncoder(w).Encode(m)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// TestNewBrowserEachIteration runs 2 VUs × 3 iterations of testdata/browser.js
// with each setting. With a new browser each iteration (the default), the
// cookies of vuInit and of an iteration reach no later iteration, each
// iteration opens a connection of its own, and the ticker vuInit started
// (stop: 'vu') is halted once the first iteration has ended; with one browser
// per VU, cookies add up, each VU keeps one connection and the ticker ticks
// through the last iteration. Either way the dictionary, the data row and a
// stop: 'never' script are the VU's.
func TestNewBrowserEachIteration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, setting string
		renew         bool
	}{
		{"default", "", true},
		{"on", `"newBrowserEachIteration": true,`, true},
		{"off", `"newBrowserEachIteration": false,`, false},
		{"off in the group", `"groups": {"default": {"executor": "per-vu-iterations", "vus": 2, "iterations": 3, "newBrowserEachIteration": false}},`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, conns := browserTarget(t)
			shape := `"groups": {"default": {"executor": "per-vu-iterations", "vus": 2, "iterations": 3}},`
			if strings.Contains(tt.setting, "groups") {
				shape = ""
			}
			console := &testio.Buffer{}
			test := build(t, "browser.js", func(c *Config) {
				c.Env = map[string]string{"BASE": srv.URL, "OPTIONS": `{` + shape + tt.setting +
					`"data": {"users": {"file": "browser_users.csv", "rows": "per-vu"}}}`}
				c.Console = console
			})
			res, err := test.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if res.Count("iterations") != 6 {
				t.Fatalf("%d iterations, want 6; console:\n%s", res.Count("iterations"), strings.Join(sortedLines(console), "\n"))
			}
			want := browserLines(tt.renew)
			got, notes := splitNotes(sortedLines(console))
			if wantNotes := map[bool]int{true: 1, false: 0}[tt.renew]; notes != wantNotes {
				t.Errorf("%d notes that vuInit's ticker was halted, want %d", notes, wantNotes)
			}
			if !slices.Equal(got, want) {
				t.Errorf("console:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			wantConns := int64(2)
			if tt.renew {
				wantConns = 6
			}
			if n := conns.Load(); n != wantConns {
				t.Errorf("the target accepted %d connections, want %d", n, wantConns)
			}
		})
	}
}

// browserLines are the console lines of TestNewBrowserEachIteration, sorted.
func browserLines(renew bool) []string {
	var lines []string
	for v, user := range []string{"ann", "bob"} {
		for n := range 3 {
			cookies, ticker := []string{"init"}, "running"
			for i := range n {
				cookies = append(cookies, fmt.Sprintf("it%d", i))
			}
			if renew && n > 0 {
				cookies, ticker = nil, "completed"
			}
			from := "none"
			if n > 0 {
				from = fmt.Sprintf("it%d", n-1)
			}
			lines = append(lines, fmt.Sprintf("[vu %d] vu %d iteration %d: cookies [%s], ticker %s, forever running, dictionary kept %s, row %s, new connection %v",
				v+1, v+1, n, strings.Join(cookies, ","), ticker, from, user, renew && n > 0))
		}
	}
	slices.Sort(lines)
	return lines
}

// splitNotes returns the console lines without the one-time note that a
// background script of vuInit was halted by a new browser, and how many such
// notes there were.
func splitNotes(lines []string) ([]string, int) {
	var out []string
	notes := 0
	for _, l := range lines {
		if strings.Contains(l, "WARN background script \"ticker\", created in vuInit") {
			notes++
			continue
		}
		out = append(out, l)
	}
	return out, notes
}
