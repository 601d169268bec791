package http_test

import (
	"bytes"
	"compress/flate"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

	"github.com/jsload/jsload/bindings/http/internal/faults"
	"github.com/jsload/jsload/internal/testnet"
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
	// /bytes answers 100 bytes, /bytes?n=N N bytes (up to 1 MiB), from memory
	// allocated once.
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > len(manyBytes) {
			n = 100
		}
		_, _ = w.Write(manyBytes[:n])
	})
	mux.HandleFunc("/encoded", encoded)
	// /chunked?n=N answers N bytes (0123456789 repeated) in chunks, without a
	// Content-Length.
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		body := []byte(strings.Repeat("0123456789", n/10+1)[:n])
		for len(body) > 0 {
			k := min(len(body), 3000)
			_, _ = w.Write(body[:k])
			w.(http.Flusher).Flush()
			body = body[k:]
		}
	})
	mux.HandleFunc("/digest", digestProtected)
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

var manyBytes = []byte(strings.Repeat("x", 1<<20))

// encodedPayload is the body /encoded encodes.
var encodedPayload = strings.Repeat("decoded text ", 500)

// encoded (/encoded?coding=C) answers encodedPayload encoded with C (gzip,
// deflate, br, zstd, raw-deflate for a deflate body without its zlib wrapper,
// "gzip, br" for both in turn, corrupt for a gzip label on plain bytes), with
// the Accept-Encoding it received in X-Accept-Encoding.
func encoded(w http.ResponseWriter, r *http.Request) {
	coding := r.URL.Query().Get("coding")
	w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
	body := []byte(encodedPayload)
	switch coding {
	case "raw-deflate":
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.DefaultCompression)
		_, _ = fw.Write(body)
		_ = fw.Close()
		body, coding = b.Bytes(), "deflate"
	case "gzip, br":
		body = faults.Encode("br", faults.Encode("gzip", body))
	case "corrupt":
		body, coding = []byte("this is not gzip"), "gzip"
	default:
		body = faults.Encode(coding, body)
	}
	w.Header().Set("Content-Encoding", coding)
	_, _ = w.Write(body)
}

// digestProtected (/digest?algorithm=A&qop=Q) answers 200 "welcome" to the
// user "ann", password "s3cret", authenticated by HTTP Digest (RFC 7616), and
// 401 with a challenge to anyone else. It checks the client's response with
// its own computation.
func digestProtected(w http.ResponseWriter, r *http.Request) {
	alg, qop := r.URL.Query().Get("algorithm"), r.URL.Query().Get("qop")
	const realm, nonce, opaque = "test@jsload", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "5ccc069c403ebaf9f0171e9517f40e41"
	newHash := md5.New
	if strings.HasPrefix(alg, "SHA-256") {
		newHash = sha256.New
	}
	h := func(s string) string { d := newHash(); d.Write([]byte(s)); return hex.EncodeToString(d.Sum(nil)) }
	got := parseTestAuth(r.Header.Get("Authorization"))
	ha1 := h("ann:" + realm + ":s3cret")
	if strings.HasSuffix(alg, "-sess") {
		ha1 = h(ha1 + ":" + nonce + ":" + got["cnonce"])
	}
	ha2 := h(r.Method + ":" + r.URL.RequestURI())
	want := h(ha1 + ":" + nonce + ":" + ha2)
	if qop != "" {
		want = h(ha1 + ":" + nonce + ":" + got["nc"] + ":" + got["cnonce"] + ":" + qop + ":" + ha2)
	}
	if got["username"] == "ann" && got["uri"] == r.URL.RequestURI() && got["response"] == want && got["opaque"] == opaque {
		_, _ = io.WriteString(w, "welcome")
		return
	}
	challenge := fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s"`, realm, nonce, opaque)
	if alg != "" {
		challenge += ", algorithm=" + alg
	}
	if qop != "" {
		challenge += `, qop="` + qop + `"`
	}
	w.Header().Add("WWW-Authenticate", `Basic realm="other"`)
	w.Header().Add("WWW-Authenticate", challenge)
	w.WriteHeader(http.StatusUnauthorized)
}

// parseTestAuth reads the name=value and name="value" pairs of a Digest
// Authorization header (values without escapes, as the tests send them).
func parseTestAuth(v string) map[string]string {
	m := map[string]string{}
	_, rest, _ := strings.Cut(v, " ")
	for part := range strings.SplitSeq(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		m[k] = strings.Trim(val, `"`)
	}
	return m
}

// servers starts a plain, a TLS (HTTP/1.1) and an HTTP/2 target and a fault
// target, closed when the test ends, and returns the environment a script
// sees: BASE, TLS_BASE, H2_BASE, FAULTS (see package faults) and REFUSED (a
// port nobody listens on).
func servers(t testing.TB) map[string]string {
	t.Helper()
	plain := httptest.NewServer(target())
	t.Cleanup(plain.Close)
	secure := httptest.NewUnstartedServer(target())
	secure.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are expected
	secure.StartTLS()
	t.Cleanup(secure.Close)
	h2 := httptest.NewUnstartedServer(target())
	h2.EnableHTTP2 = true
	h2.StartTLS()
	t.Cleanup(h2.Close)
	fault := faults.Start(t, faults.Config{})
	return map[string]string{"BASE": plain.URL, "TLS_BASE": secure.URL, "H2_BASE": h2.URL, "FAULTS": fault.URL(""),
		"REFUSED": "http://" + testnet.ClosedAddr(t)}
}
