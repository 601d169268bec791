package http_test

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// target is the HTTP server the test scripts talk to.
func target() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", echo)
	// /status?code=N answers with status N.
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		w.WriteHeader(code)
	})
	mux.HandleFunc("/redirect", redirect)
	// /setcookie?name=N&value=V sets a cookie; /cookies lists those received.
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: r.URL.Query().Get("name"), Value: r.URL.Query().Get("value"), Path: "/"})
	})
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		m := map[string]string{}
		for _, c := range r.Cookies() {
			m[c.Name] = c.Value
		}
		_ = json.NewEncoder(w).Encode(m)
	})
	// /slow?ms=N answers after N ms, or when the client goes away.
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
			_, _ = io.WriteString(w, "slow")
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/reset", reset)
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"a":{"b":[1,{"c":"x"}]},"n":42}`)
	})
	mux.HandleFunc("/badjson", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "{\"a\": 1,\n \"b\": oops}")
	})
	mux.HandleFunc("/binary", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		_, _ = w.Write(b)
	})
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(hundredBytes)
	})
	return mux
}

// echo (/echo) answers with what it received, as JSON.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var form url.Values
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ = url.ParseQuery(string(body))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-custom", "yes")
	w.Header().Add("X-Multi", "a")
	w.Header().Add("X-Multi", "b")
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Length", "123") // the length a GET would have, without a body
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "host": r.Host, "path": r.URL.Path, "query": r.URL.RawQuery, "headers": r.Header,
		"body": string(body), "hex": hex.EncodeToString(body), "form": form, "length": r.ContentLength,
	})
}

// redirect (/redirect?n=N&code=C) redirects N times (status C, 302 by default),
// then to /echo.
func redirect(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	code, _ := strconv.Atoi(q.Get("code"))
	if code == 0 {
		code = http.StatusFound
	}
	if n <= 1 {
		http.Redirect(w, r, "/echo", code)
		return
	}
	q.Set("n", strconv.Itoa(n-1))
	http.Redirect(w, r, "/redirect?"+q.Encode(), code)
}

// reset (/reset) promises 1000 bytes, sends 100 and resets the connection.
func reset(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "1000")
	_, _ = w.Write(make([]byte, 100))
	w.(http.Flusher).Flush()
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST
	}
	conn.Close()
}

var hundredBytes = []byte(strings.Repeat("x", 100))

// servers starts a plain and a TLS target, closed when the test ends, and returns
// the environment a script sees: BASE, TLS_BASE and REFUSED (a port nobody
// listens on).
func servers(t testing.TB) map[string]string {
	t.Helper()
	plain := httptest.NewServer(target())
	t.Cleanup(plain.Close)
	secure := httptest.NewUnstartedServer(target())
	secure.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are expected
	secure.StartTLS()
	t.Cleanup(secure.Close)
	return map[string]string{"BASE": plain.URL, "TLS_BASE": secure.URL, "REFUSED": "http://" + closedAddr(t)}
}
