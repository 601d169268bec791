package http

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// stateKey is the bindings.Host.VULocal key of the VU's HTTP client state.
type stateKey struct{}

// vuState is what one VU's runtimes (its main runtime and its background scripts)
// share: one cookie jar, one connection pool, and the defaults set by setDefaults.
// It is safe for concurrent use.
type vuState struct {
	jar      *cookiejar.Jar
	jarInUse atomic.Bool // a response has set a cookie: look the jar up from now on
	defaults atomic.Pointer[defaults]
	direct   h1.Transport  // http:// and https:// without a proxy
	routes   [2]transport  // [insecure]: direct (or insecure), else a net/http pool; fakes in tests
	async    asyncRequests // the goroutines of asyncRequest calls

	mu       sync.Mutex
	insecure *h1.Transport   // https:// with insecureSkipTLSVerify; made on first use
	verify   *http.Transport // proxied requests, certificates verified; made on first use
	skip     *http.Transport // the same with insecureSkipTLSVerify
}

// transport sends one hop of a request: h1.Transport, or net/http's through
// proxied. The h1 types carry the hop without an http.Request, and the
// response's header unread until asked for.
type transport interface {
	Do(ctx context.Context, req *h1.Request) (*h1.Response, error)
}

// route sends a VU's request through its own HTTP/1.1 and HTTP/2 client
// (package h1) or, when the environment sets a proxy for the URL's scheme,
// through a net/http pool.
type route struct {
	s        *vuState
	insecure bool
}

func (r *route) Do(ctx context.Context, req *h1.Request) (*h1.Response, error) {
	switch {
	case envProxy(req.URL.Scheme):
		return proxied{r.s.pool(r.insecure)}.Do(ctx, req)
	case r.insecure && req.URL.Scheme == "https":
		return r.s.skipping().Do(ctx, req)
	}
	return r.s.direct.Do(ctx, req)
}

// skipping returns the VU's transport that does not verify certificates.
func (s *vuState) skipping() *h1.Transport {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insecure == nil {
		s.insecure = &h1.Transport{MaxIdlePerHost: maxBatchParallel, TLSClientConfig: skipConfig, H2: newH2Conn}
	}
	return s.insecure
}

// proxied sends requests through an http.RoundTripper (a net/http pool).
type proxied struct{ rt http.RoundTripper }

func (p proxied) Do(ctx context.Context, req *h1.Request) (*h1.Response, error) {
	resp, err := p.rt.RoundTrip(req.HTTP(ctx))
	if err != nil {
		return nil, err
	}
	return h1.ResponseOf(resp), nil
}

// envProxy reports whether the environment sets a proxy for URLs of scheme.
func envProxy(scheme string) bool {
	if scheme == "https" {
		return envHTTPSProxy()
	}
	return envHTTPProxy()
}

var (
	envHTTPProxy  = sync.OnceValue(func() bool { return os.Getenv("HTTP_PROXY") != "" || os.Getenv("http_proxy") != "" })
	envHTTPSProxy = sync.OnceValue(func() bool { return os.Getenv("HTTPS_PROXY") != "" || os.Getenv("https_proxy") != "" })
)

func newVUState() *vuState {
	jar, _ := cookiejar.New(nil) // never fails without options
	s := &vuState{jar: jar, direct: h1.Transport{MaxIdlePerHost: maxBatchParallel, TLSClientConfig: verifyConfig, H2: newH2Conn}}
	s.routes = [2]transport{&route{s: s}, &route{s: s, insecure: true}}
	s.defaults.Store(&defaults{header: baseHeader, timeout: defaultTimeout, redirects: defaultRedirects})
	return s
}

// verifyConfig and skipConfig are the TLS configurations of the VUs'
// connections, shared and never modified: each of a VU's transports copies
// one on its first https:// connection and adds a session cache of its own,
// so a VU resumes its own sessions, never another VU's, and a VU that makes
// no https:// request allocates nothing for TLS.
var (
	verifyConfig = &tls.Config{}
	skipConfig   = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // only when the script asks
)

// newTLSConfig is the TLS configuration of a net/http pool.
func newTLSConfig(insecure bool) *tls.Config {
	if insecure {
		return skipConfig.Clone()
	}
	return verifyConfig.Clone()
}

// pool returns the VU's net/http connection pool; insecure selects the one that
// does not verify TLS certificates. The pools share nothing but the cookie jar.
func (s *vuState) pool(insecure bool) http.RoundTripper {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.verify
	if insecure {
		p = &s.skip
	}
	if *p == nil {
		*p = newTransport(insecure)
	}
	return *p
}

// Close ends what the VU's requests left running: it cancels the asyncRequest
// calls still in flight and waits for their goroutines, then closes the idle
// connections of the VU's pools and its HTTP/2 connections, so the goroutines
// of those end. The VU calls it (through bindings.Host.VULocal) once all its
// runtimes have ended. A request made afterwards still works (it opens new
// connections). Idempotent.
func (s *vuState) Close() error {
	s.async.close(errVUClosed)
	s.direct.CloseIdle()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insecure != nil {
		s.insecure.CloseIdle()
	}
	for _, t := range []*http.Transport{s.verify, s.skip} {
		if t != nil {
			t.CloseIdleConnections()
		}
	}
	return nil
}

// newTransport builds one VU connection pool for proxied requests: keep-alive
// on, HTTP/2 when the server offers it over TLS, proxies from the environment,
// and connections that count their bytes for data_sent and data_received.
func newTransport(insecure bool) *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return h1.NewCountingConn(c), nil
		},
		// A VU talks to few hosts, but batch() may use up to maxBatchParallel
		// connections to one host at once: keep them all for reuse.
		MaxIdleConns:          4 * maxBatchParallel,
		MaxIdleConnsPerHost:   maxBatchParallel,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       newTLSConfig(insecure),
	}
}
