package k6http_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"go.uber.org/goleak"

	"github.com/jsload/jsload/jsruntime/jstest"
	"github.com/jsload/jsload/metrics"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const page = `<!doctype html><html><head><title>Shop</title></head><body>
<h1 id="top" class="big title" data-user-id="7" data-ok="true">Welcome</h1>
<ul><li><a href="/products/1">One</a></li><li><a href="../products/2" class="x">Two</a></li></ul>
<form action="/submit" method="post">
  <input name="user" value="alice"><input name="password" type="password">
  <input type="checkbox" name="remember" checked><input type="checkbox" name="news">
  <select name="size"><option value="s">S</option><option value="m" selected>M</option></select>
  <textarea name="note">hi</textarea>
  <input type="submit" name="go" value="Log in">
</form>
<form id="search" action="/submit"><input name="q" value="pears"></form>
</body></html>`

// target is the server the test scripts talk to: an HTML page, an echo of what
// it received, cookies, statuses.
func target() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, page)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { echo(w, r) })
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
	})
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: r.URL.Query().Get("name"), Value: r.URL.Query().Get("value"), Path: "/", HttpOnly: true, MaxAge: 60})
		_, _ = io.WriteString(w, "set")
	})
	return mux
}

// echo answers with what the request carried: method, path, query, form or
// multipart fields (files as name:filename:content-type:content), cookies,
// headers and the decoded body.
func echo(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{"method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery}
	var body io.Reader = r.Body
	for _, enc := range reverse(strings.Split(r.Header.Get("Content-Encoding"), ", ")) {
		switch enc {
		case "gzip":
			body, _ = gzip.NewReader(body)
		case "br":
			body = brotli.NewReader(body)
		}
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		r.Body = io.NopCloser(body)
		if err := r.ParseMultipartForm(1 << 20); err == nil {
			fields := map[string]string{}
			for k, v := range r.MultipartForm.Value {
				fields[k] = v[0]
			}
			for k, fs := range r.MultipartForm.File {
				f, _ := fs[0].Open()
				b, _ := io.ReadAll(f)
				fields[k] = fs[0].Filename + ":" + fs[0].Header.Get("Content-Type") + ":" + string(b)
			}
			out["fields"] = fields
		}
	default:
		b, _ := io.ReadAll(body)
		out["body"] = string(b)
	}
	cookies := map[string]string{}
	for _, c := range r.Cookies() {
		cookies[c.Name] = c.Value
	}
	out["cookies"] = cookies
	out["contentType"] = ct
	_ = json.NewEncoder(w).Encode(out)
}

func reverse(s []string) []string {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}

func TestScripts(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(target())
	t.Cleanup(srv.Close)
	jstest.RunExports(t, "testdata/http.js", "test", jstest.Env(map[string]string{"BASE": srv.URL}))
}

// TestExpectedResponse: k6/http tags requests with expected_response, which
// decides http_req_failed; setResponseCallback(null) records no http_req_failed.
func TestExpectedResponse(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(target())
	t.Cleanup(srv.Close)
	tt := jstest.New(t, "testdata/http.js", jstest.Env(map[string]string{"BASE": srv.URL}))
	vu := tt.NewVU(t)
	if err := vu.Run(context.Background(), "statuses"); err != nil {
		t.Fatal(err)
	}
	reg := tt.State.Metrics
	reg.Collect()
	tot := reg.Totals()
	b := reg.Builtins()
	for _, w := range []struct {
		status, expected string
		reqs, failed     uint64
	}{{"200", "true", 3, 0}, {"404", "false", 1, 1}, {"201", "false", 1, 1}, {"418", "true", 1, 0}} {
		tags := metrics.NewTags("status", w.status, "expected_response", w.expected)
		if a := tot.Sum(b.HTTPReqs, tags); uint64(a.Sum) != w.reqs {
			t.Errorf("http_reqs{status:%s, expected_response:%s} = %v, want %d", w.status, w.expected, a.Sum, w.reqs)
		}
		if a := tot.Sum(b.HTTPReqFailed, tags); a.Trues != w.failed {
			t.Errorf("http_req_failed{status:%s} has %d failures, want %d", w.status, a.Trues, w.failed)
		}
	}
	if a := tot.Sum(b.HTTPReqs, metrics.NewTags("status", "500")); a.Sum != 1 {
		t.Errorf("http_reqs{status:500} = %v, want 1", a.Sum)
	}
	if a := tot.Sum(b.HTTPReqFailed, metrics.NewTags("status", "500")); a.Count != 0 {
		t.Errorf("http_req_failed{status:500} has %d samples, want none without a callback", a.Count)
	}
	for _, status := range []string{"204", "206"} {
		if a := tot.Sum(b.HTTPReqs, metrics.NewTags("status", status, "group", "::g")); a.Sum != 1 {
			t.Errorf("http_reqs{status:%s, group:::g} = %v, want 1: requests made in a group carry its tag", status, a.Sum)
		}
	}
	if a := tot.Sum(b.HTTPReqs, metrics.NewTags("name", "${}/items/${}")); a.Sum != 2 {
		t.Errorf("http_reqs{name:.../items/${}} = %v, want 2 (http.url)", a.Sum)
	}
}
