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
	plain    h1.Transport         // http:// without a proxy
	routes   [2]http.RoundTripper // [insecure]: plain for http://, else a net/http pool; fakes in tests
	async    asyncRequests        // the goroutines of asyncRequest calls
	setup    sync.Once            // applies the test's options (options.go)
	opts     bindings.HTTPOptions // the test's options, set by setup
	base     *defaults            // the defaults the options make, set by setup

	mu     sync.Mutex
	verify *http.Transport // https:// (HTTP/2 when offered) and proxies, certificates verified
	skip   *http.Transport // the same with insecureSkipTLSVerify; made on first use
}

// route sends a VU's request through its plain HTTP/1.1 pool or, for https://
// and when a proxy is set in the environment, through a net/http pool.
type route struct {
	s        *vuState
	insecure bool
}

func (r *route) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.s.opts.Debug != "" && r.s.opts.DebugLog != nil {
		return r.s.debugRoundTrip(req, r.insecure)
	}
	return r.s.roundTrip(req, r.insecure)
}

// roundTrip sends req through the plain pool or a net/http one.
func (s *vuState) roundTrip(req *http.Request, insecure bool) (*http.Response, error) {
	if req.URL.Scheme == "http" && !envProxy() {
		return s.plain.RoundTrip(req)
	}
	return s.pool(insecure).RoundTrip(req)
}

// envProxy reports whether the environment sets a proxy for http:// URLs.
var envProxy = sync.OnceValue(func() bool {
	return os.Getenv("HTTP_PROXY") != "" || os.Getenv("http_proxy") != ""
})

func newVUState() *vuState {
	s := &vuState{jar: newCookieJar(), plain: h1.Transport{MaxIdlePerHost: maxBatchParallel}}
	s.routes = [2]http.RoundTripper{&route{s: s}, &route{s: s, insecure: true}}
	s.defaults.Store(&defaults{header: baseHeader, timeout: defaultTimeout, redirects: defaultRedirects})
	return s
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
// connections of the VU's pools, so the pools' goroutines end. The VU calls it
// (through bindings.Host.VULocal) once all its runtimes have ended. A request
// made afterwards still works (it opens new connections). Idempotent.
func (s *vuState) Close() error {
	s.async.close(errVUClosed)
	s.closeIdle()
	return nil
}

// newBrowser drops what the VU's browser kept, before an iteration of a group
// that emulates a new browser each iteration (bindings.Host.OnNewBrowser): the
// cookies of the VU's jar (a script's own jars stay) and the idle connections
// of its pools, so that the iteration's first request to a host connects, and
// shakes hands for TLS, anew. A request in flight meanwhile (a background
// script's) is not interrupted: its connection is closed when it ends (by
// h1.Transport always; by net/http unless the pool is asked for a connection
// first, and an HTTP/2 connection may carry new requests meanwhile). With an
// empty jar and no idle connection it allocates nothing.
func (s *vuState) newBrowser() {
	s.jar.clear()
	s.closeIdle()
}

// closeIdle closes the idle connections of the VU's pools.
func (s *vuState) closeIdle() {
	s.plain.CloseIdle()
	s.mu.Lock()
	pools := [...]*http.Transport{s.verify, s.skip}
	s.mu.Unlock()
	for _, t := range pools {
		if t != nil {
			t.CloseIdleConnections()
		}
	}
}

// newTransport builds one VU connection pool: keep-alive on, HTTP/2 when the
// server offers it over TLS, proxies from the environment, and connections that
// count their bytes for data_sent and data_received.
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
		TLSClientConfig: &tls.Config{InsecureSkipVerify: insecure, //nolint:gosec // only when the script asks
			MinVersion: o.TLSMinVersion, MaxVersion: o.TLSMaxVersion, CipherSuites: o.TLSCipherSuites},
	}
}
