package h1

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/net/http2"
)

// tlsServer is an httptest TLS server that counts its connections and its
// resumed handshakes; h2 makes it offer HTTP/2.
type tlsServer struct {
	*httptest.Server
	conns   connStats
	resumed atomic.Int32
}

func newTLSServer(t *testing.T, h2 bool, h http.Handler) *tlsServer {
	t.Helper()
	s := &tlsServer{}
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = h2
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes refused by TestTLSVerification
	srv.TLS = &tls.Config{VerifyConnection: func(cs tls.ConnectionState) error {
		if cs.DidResume {
			s.resumed.Add(1)
		}
		return nil
	}}
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.opened.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	s.Server = srv
	return s
}

// trusting returns a Transport that trusts srv's certificate.
func trusting(srv *httptest.Server) *Transport {
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	return &Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
}

// h2Alt makes HTTP/2 connections with x/net's client, as the binding does.
func h2Alt(c *tls.Conn) (Alt, error) {
	cc, err := (&http2.Transport{}).NewClientConn(c) //nolint:staticcheck // the connection is dialed already
	if err != nil {
		return nil, err
	}
	return testH2{cc}, nil
}

type testH2 struct{ *http2.ClientConn }

func (c testH2) Usable() bool { return c.CanTakeNewRequest() }
func (c testH2) Closed() bool { return c.State().Closed }

func TestTLSReuseAndResumption(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s", r.Proto, r.URL.Query().Get("i"))
	}))
	tr := trusting(srv.Server)
	defer tr.CloseIdle()
	for i := range 5 {
		resp, body := mustGet(t, tr, fmt.Sprintf("%s/?i=%d", srv.URL, i))
		if resp.StatusCode != 200 || body != fmt.Sprintf("HTTP/1.1 %d", i) {
			t.Fatalf("request %d: %d %q", i, resp.StatusCode, body)
		}
	}
	if n := srv.conns.opened.Load(); n != 1 {
		t.Errorf("5 sequential GETs over TLS used %d connections, want 1", n)
	}
	tr.CloseIdle()
	mustGet(t, tr, srv.URL)
	if n, r := srv.conns.opened.Load(), srv.resumed.Load(); n != 2 || r != 1 {
		t.Errorf("after CloseIdle: %d connections, %d resumed handshakes; want 2 and 1 (the session cache)", n, r)
	}
}

func TestTLSVerification(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, false, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	tr := &Transport{}
	defer tr.CloseIdle()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	_, err := tr.RoundTrip(req)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("an untrusted certificate: %v, want an x509.UnknownAuthorityError", err)
	}
	skip := &Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	defer skip.CloseIdle()
	if resp, _ := mustGet(t, skip, srv.URL); resp.StatusCode != 200 {
		t.Errorf("InsecureSkipVerify: status %d", resp.StatusCode)
	}
}

// TestTLSOffersH2OnlyWithH2 checks ALPN: without H2 the Transport offers
// HTTP/1.1 alone, so a server that speaks both answers in HTTP/1.1; with H2,
// the server chooses HTTP/2 and every request goes to H2's connection.
func TestTLSOffersH2OnlyWithH2(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Proto)
	}))
	tr := trusting(srv.Server)
	defer tr.CloseIdle()
	if resp, body := mustGet(t, tr, srv.URL); body != "HTTP/1.1" || resp.Proto != "HTTP/1.1" {
		t.Errorf("without H2: served %q, response %s; want HTTP/1.1", body, resp.Proto)
	}
	tr2 := trusting(srv.Server)
	tr2.H2 = h2Alt
	defer tr2.CloseIdle()
	for range 3 {
		if resp, body := mustGet(t, tr2, srv.URL); body != "HTTP/2.0" || resp.Proto != "HTTP/2.0" {
			t.Errorf("with H2: served %q, response %s; want HTTP/2.0", body, resp.Proto)
		}
	}
	if n := srv.conns.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2: one per transport", n)
	}
}

// TestH2OneConnectionForConcurrentRequests sends 10 requests at once to a
// host not seen yet: they wait for the first dial, whose HTTP/2 connection
// serves them all (the handler holds each until all have arrived, so they
// are in flight together).
func TestH2OneConnectionForConcurrentRequests(t *testing.T) {
	t.Parallel()
	const n = 10
	var arrived sync.WaitGroup
	arrived.Add(n)
	srv := newTLSServer(t, true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		arrived.Wait()
		_, _ = io.WriteString(w, r.Proto)
	}))
	tr := trusting(srv.Server)
	tr.H2 = h2Alt
	defer tr.CloseIdle()
	bodies := concurrentGets(t, tr, srv.URL, n)
	for _, b := range bodies {
		if b != "HTTP/2.0" {
			t.Errorf("served %q, want HTTP/2.0", b)
		}
	}
	if c := srv.conns.opened.Load(); c != 1 {
		t.Errorf("%d concurrent requests opened %d connections, want 1 (streams of one HTTP/2 connection)", n, c)
	}
}

// TestH1ConcurrentDialsOverTLS: once a host is known to answer HTTP/1.1,
// concurrent requests do not wait for each other's dials: each gets its own
// connection at once (the handler holds all of them until all have arrived).
func TestH1ConcurrentDialsOverTLS(t *testing.T) {
	t.Parallel()
	const n = 5
	var arrived sync.WaitGroup
	arrived.Add(n)
	first := make(chan struct{})
	var once sync.Once
	srv := newTLSServer(t, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/first" {
			once.Do(func() { close(first) })
			return
		}
		arrived.Done()
		arrived.Wait()
		_, _ = io.WriteString(w, r.Proto)
	}))
	tr := trusting(srv.Server)
	tr.H2 = h2Alt
	defer tr.CloseIdle()
	mustGet(t, tr, srv.URL+"/first")
	for _, b := range concurrentGets(t, tr, srv.URL+"/all", n) {
		if b != "HTTP/1.1" {
			t.Errorf("served %q, want HTTP/1.1", b)
		}
	}
	if c := srv.conns.opened.Load(); c != n {
		t.Errorf("%d connections, want %d: the first reused, one dialed for each other request", c, n)
	}
}

func concurrentGets(t *testing.T, tr *Transport, url string, n int) []string {
	t.Helper()
	bodies := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				errs[i] = err
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			bodies[i], errs[i] = string(b), err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return bodies
}

// TestH2BodyOfFirstRequest: the request that dials the connection had its
// body written into HTTP/1.1 bytes before the server chose HTTP/2; it still
// reaches the server whole.
func TestH2BodyOfFirstRequest(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %d", r.Proto, b, r.ContentLength)
	}))
	tr := trusting(srv.Server)
	tr.H2 = h2Alt
	defer tr.CloseIdle()
	for i, want := range []string{"HTTP/2.0 first 5", "HTTP/2.0 second 6"} {
		body := []string{"first", "second"}[i]
		if _, got := mustDo(t, tr, http.MethodPost, srv.URL, strings.NewReader(body), nil); got != want {
			t.Errorf("POST %d: served %q, want %q", i, got, want)
		}
	}
}

func TestTLSTrace(t *testing.T) {
	t.Parallel()
	for _, h2 := range []bool{false, true} {
		t.Run(fmt.Sprint("h2=", h2), func(t *testing.T) {
			t.Parallel()
			srv := newTLSServer(t, h2, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "traced")
			}))
			tr := trusting(srv.Server)
			if h2 {
				tr.H2 = h2Alt
			}
			defer tr.CloseIdle()
			var events []string
			var counted *CountingConn
			trace := &httptrace.ClientTrace{
				GetConn:           func(string) { events = append(events, "GetConn") },
				ConnectDone:       func(string, string, error) { events = append(events, "ConnectDone") },
				TLSHandshakeStart: func() { events = append(events, "TLSHandshakeStart") },
				TLSHandshakeDone: func(cs tls.ConnectionState, err error) {
					events = append(events, fmt.Sprintf("TLSHandshakeDone %s %v", cs.NegotiatedProtocol, err))
				},
				GotConn: func(info httptrace.GotConnInfo) {
					events = append(events, fmt.Sprintf("GotConn reused=%v", info.Reused))
					counted = CountingConnOf(info.Conn)
				},
				GotFirstResponseByte: func() { events = append(events, "GotFirstResponseByte") },
			}
			proto := "http/1.1"
			if h2 {
				proto = "h2"
			}
			ctx := httptrace.WithClientTrace(context.Background(), trace)
			for i := range 2 {
				events = events[:0]
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
				resp, err := tr.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				want := []string{"GetConn", "ConnectDone", "TLSHandshakeStart", "TLSHandshakeDone " + proto + " <nil>",
					"GotConn reused=false", "GotFirstResponseByte"}
				if i == 1 {
					want = []string{"GetConn", "GotConn reused=true", "GotFirstResponseByte"}
				}
				if fmt.Sprint(events) != fmt.Sprint(want) {
					t.Errorf("request %d: events\n %q\nwant\n %q", i, events, want)
				}
				if counted == nil || counted.BytesRead() == 0 {
					t.Errorf("request %d: GotConn's connection counts no bytes: %v", i, counted)
				}
			}
		})
	}
}
