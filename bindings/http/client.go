package http

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// stateKey is the bindings.Host.VULocal key of the VU's HTTP client state.
type stateKey struct{}

// vuState is what one VU's runtimes (its main runtime and its background scripts)
// share: one cookie jar, one connection pool, and the defaults set by setDefaults.
// Together they are the VU's browser, which newBrowser renews. It is safe for
// concurrent use.
type vuState struct {
	jar      *cookieJar
	defaults atomic.Pointer[defaults]
	direct   h1.Transport         // http:// and https:// without a proxy
	routes   [2]transport         // [insecure]: direct (or insecure), else a net/http pool; fakes in tests
	async    asyncRequests        // the goroutines of asyncRequest calls
	setup    sync.Once            // applies the test's options (options.go)
	opts     bindings.HTTPOptions // the test's options, set by setup
	base     *defaults            // the defaults the options make, set by setup

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
	if r.s.opts.Debug != "" && r.s.opts.DebugLog != nil {
		return r.s.debugDo(ctx, req, r.insecure)
	}
	return r.s.send(ctx, req, r.insecure)
}

// send sends one hop, req, through the VU's own client or, through a proxy, a
// net/http pool.
func (s *vuState) send(ctx context.Context, req *h1.Request, insecure bool) (*h1.Response, error) {
	switch {
	case envProxy(req.URL.Scheme):
		return proxied{s.pool(insecure)}.Do(ctx, req)
	case insecure && req.URL.Scheme == "https":
		return s.skipping().Do(ctx, req)
	}
	return s.direct.Do(ctx, req)
}

// skipping returns the VU's transport that does not verify certificates.
func (s *vuState) skipping() *h1.Transport {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.insecure == nil {
		s.insecure = &h1.Transport{MaxIdlePerHost: maxBatchParallel, H2: newH2Conn}
		s.applyOptions(s.insecure, true)
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
	s := &vuState{jar: newCookieJar(), direct: h1.Transport{MaxIdlePerHost: maxBatchParallel, TLSClientConfig: verifyConfig, H2: newH2Conn}}
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

// tlsConfig is the TLS configuration of a VU's connections under the test's
// options: verifyConfig or skipConfig, or without them a configuration with
// the options' versions and cipher suites, never modified either.
func tlsConfig(insecure bool, o *bindings.HTTPOptions) *tls.Config {
	base := verifyConfig
	if insecure {
		base = skipConfig
	}
	if o.TLSMinVersion == 0 && o.TLSMaxVersion == 0 && len(o.TLSCipherSuites) == 0 {
		return base
	}
	c := base.Clone()
	c.MinVersion, c.MaxVersion, c.CipherSuites = o.TLSMinVersion, o.TLSMaxVersion, o.TLSCipherSuites
	return c
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
		*p = newTransport(insecure, &s.opts)
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
	s.closeIdle()
	return nil
}

// newBrowser drops what the VU's browser kept, before an iteration of a group
// that emulates a new browser each iteration (bindings.Host.OnNewBrowser): the
// cookies of the VU's jar (a script's own jars stay) and the idle connections
// of its pools and its HTTP/2 connections, so that the iteration's first
// request to a host connects, and shakes hands for TLS, anew. A request in
// flight meanwhile (a background script's) is not interrupted: its connection
// is closed when it ends (by h1.Transport always; by net/http unless the pool
// is asked for a connection first). With an empty jar and no idle connection
// it allocates nothing.
func (s *vuState) newBrowser(r bindings.BrowserReset) {
	if !r.KeepCookies {
		s.jar.clear()
	}
	if !r.KeepConnections {
		s.closeIdle()
	}
}

// closeIdle closes the idle connections of the VU's pools.
func (s *vuState) closeIdle() {
	s.direct.CloseIdle()
	s.mu.Lock()
	insecure := s.insecure
	pools := [...]*http.Transport{s.verify, s.skip}
	s.mu.Unlock()
	if insecure != nil {
		insecure.CloseIdle()
	}
	for _, t := range pools {
		if t != nil {
			t.CloseIdleConnections()
		}
	}
}

// newTransport builds one VU connection pool for proxied requests: keep-alive
// on, HTTP/2 when the server offers it over TLS, proxies from the environment,
// and connections that count their bytes for data_sent and data_received.
func newTransport(insecure bool, o *bindings.HTTPOptions) *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	resolve := hostsResolver(o.Hosts)
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if resolve != nil {
				addr = resolve(addr)
			}
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
		DisableKeepAlives:     o.NoConnectionReuse,
		TLSClientConfig:       tlsConfig(insecure, o).Clone(),
	}
}
