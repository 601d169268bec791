package tests

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/jsload/jsload/cmd/jsload/cli"
)

// TestNewBrowserEachIteration runs testdata/browser.js through the CLI with
// newBrowserEachIteration unset (the default: on), on and off, against an
// HTTPS target that counts the connections it accepts: a new browser each
// iteration opens one connection per iteration (6) and sends no earlier
// cookie; one browser per VU keeps one connection per VU (2) and its cookies.
// The script's checks say what each iteration sent and whether it shook hands.
func TestNewBrowserEachIteration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		setting string
		conns   int64
	}{{"", 6}, {"true", 6}, {"false", 2}} {
		t.Run("NEW_BROWSER="+tt.setting, func(t *testing.T) {
			t.Parallel()
			url, conns := browserTarget(t)
			r := run(t, nil, "run", "-q", "-e", "BASE="+url, "-e", "NEW_BROWSER="+tt.setting, "testdata/browser.js")
			r.expect(t, cli.ExitOK, []string{"6 iterations completed, 0 failed",
				"✓ the cookies of earlier iterations as the option says", "✓ a TLS handshake in a new browser only"}, nil)
			if failedMark.MatchString(r.stdout) {
				t.Errorf("a check failed:\n%s", r.stdout)
			}
			if n := conns.Load(); n != tt.conns {
				t.Errorf("the target accepted %d connections, want %d", n, tt.conns)
			}
		})
	}
}

// TestK6BrowserEachIteration runs testdata/k6/browser-k6.js, a k6 script, as
// k6 runs it: a new cookie jar each iteration but the connections kept (one
// per VU), unless noCookiesReset keeps the cookies or noVUConnectionReuse
// opens new connections each iteration.
func TestK6BrowserEachIteration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cookies, conns string // NO_COOKIES_RESET, NO_CONN_REUSE
		accepted       int64
		plan           string
	}{
		{"", "", 2, "cookies per iteration (connections kept, as k6)"},
		{"true", "", 2, "browser per VU"},
		{"", "true", 6, "browser per iteration"},
		{"true", "true", 6, "connections per iteration (cookies kept, noCookiesReset)"},
		{"false", "false", 2, "cookies per iteration (connections kept, as k6)"},
	} {
		t.Run("NO_COOKIES_RESET="+tt.cookies+",NO_CONN_REUSE="+tt.conns, func(t *testing.T) {
			t.Parallel()
			url, conns := browserTarget(t)
			env := []string{"-e", "BASE=" + url, "-e", "NO_COOKIES_RESET=" + tt.cookies, "-e", "NO_CONN_REUSE=" + tt.conns}
			r := run(t, nil, append(append([]string{"run", "-q"}, env...), "testdata/k6/browser-k6.js")...)
			r.expect(t, cli.ExitOK, []string{"6 iterations completed, 0 failed",
				"✓ the cookies of earlier iterations as k6 keeps them", "✓ a TLS handshake on a new connection only"}, nil)
			if failedMark.MatchString(r.stdout) {
				t.Errorf("a check failed:\n%s", r.stdout)
			}
			if n := conns.Load(); n != tt.accepted {
				t.Errorf("the target accepted %d connections, want %d", n, tt.accepted)
			}
			c := run(t, nil, append(append([]string{"check"}, env...), "testdata/k6/browser-k6.js")...)
			c.expect(t, cli.ExitOK, []string{", " + tt.plan + "\n"}, nil)
		})
	}
}

// TestNewBrowserEachIterationPlan: `jsload check` says which each group does.
func TestNewBrowserEachIterationPlan(t *testing.T) {
	t.Parallel()
	for setting, want := range map[string]string{"": "browser per iteration", "true": "browser per iteration", "false": "browser per VU"} {
		r := run(t, nil, "check", "-e", "NEW_BROWSER="+setting, "testdata/browser.js")
		r.expect(t, cli.ExitOK, []string{`group "shop": per-vu-iterations, 2 VUs × 3 iterations, at most 10m, exec default, gracefulStop 30s, ` + want + "\n"}, nil)
	}
}

// browserTarget starts an HTTPS server that sets a cookie (/set?name=N) and
// lists the cookies it receives (/cookies), and counts the connections it
// accepts; it is closed when the test ends.
func browserTarget(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: r.URL.Query().Get("name"), Value: "1", Path: "/"})
			return
		}
		m := map[string]string{}
		for _, c := range r.Cookies() {
			m[c.Name] = c.Value
		}
		_ = json.NewEncoder(w).Encode(m)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL, &conns
}
