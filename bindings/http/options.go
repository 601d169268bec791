package http

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// configure applies the test's HTTP options (k6's maxRedirects, userAgent,
// hosts, noConnectionReuse, throw, discardResponseBodies, TLS settings...) to
// the VU's client state, once, before its first request or setDefaults, and
// returns the defaults they make, which setDefaults starts from. It runs on
// first use rather than when the state is made because the VU that reads the
// script's options has its state before the options are known; the options
// never change afterwards. Safe from any goroutine.
func (s *vuState) configure(o *bindings.HTTPOptions) *defaults {
	s.setup.Do(func() {
		s.opts = *o
		s.applyOptions(&s.direct, false)
		s.base = optionDefaults(o)
		s.defaults.Store(s.base) // before any setDefaults: over the built-in defaults
	})
	return s.base
}

// applyOptions applies the test's options (set by configure) to t, one of the
// VU's own transports; insecure for the one that does not verify
// certificates. Before t's first request.
func (s *vuState) applyOptions(t *h1.Transport, insecure bool) {
	t.TLSClientConfig = tlsConfig(insecure, &s.opts)
	t.DisableKeepAlives = s.opts.NoConnectionReuse
	t.Resolve = hostsResolver(s.opts.Hosts)
}

// optionDefaults returns the built-in defaults with the options applied.
func optionDefaults(o *bindings.HTTPOptions) *defaults {
	d := &defaults{header: baseHeader, timeout: defaultTimeout, redirects: defaultRedirects,
		throw: o.Throw, insecure: o.InsecureSkipTLSVerify}
	if o.MaxRedirects != nil {
		d.redirects = int(*o.MaxRedirects)
	}
	if o.DiscardResponseBodies {
		d.respType = respNone
	}
	if o.UserAgent != nil {
		d.header = baseHeader.Clone()
		if *o.UserAgent == "" {
			delete(d.header, "User-Agent")
		} else {
			d.header.Set("User-Agent", *o.UserAgent)
		}
	}
	return d
}

// hostsResolver returns the function that maps a host:port to dial to the
// address options.hosts gives it, or nil without options.hosts. A name is
// looked up as host:port, then host, then as a subdomain of each "*." entry
// (the longest domain first); an address without a port keeps the request's.
func hostsResolver(hosts map[string]string) func(hostport string) string {
	if len(hosts) == 0 {
		return nil
	}
	return func(hostport string) string {
		host, port, err := net.SplitHostPort(hostport)
		if err != nil {
			return hostport
		}
		to, ok := lookupHost(hosts, host, port)
		if !ok {
			return hostport
		}
		if _, _, err := net.SplitHostPort(to); err == nil {
			return to
		}
		return net.JoinHostPort(strings.Trim(to, "[]"), port)
	}
}

// lookupHost finds the entry of hosts for host and port.
func lookupHost(hosts map[string]string, host, port string) (string, bool) {
	host = strings.ToLower(host)
	for _, k := range []string{net.JoinHostPort(host, port), host} {
		if to, ok := hosts[k]; ok {
			return to, true
		}
	}
	best, found := "", ""
	for k, to := range hosts {
		name, ok := strings.CutPrefix(strings.ToLower(k), "*.")
		if !ok {
			continue
		}
		if h, p, err := net.SplitHostPort(name); err == nil {
			if p != port {
				continue
			}
			name = h
		}
		if strings.HasSuffix(host, "."+name) && len(name) > len(best) {
			best, found = name, to
		}
	}
	return found, best != ""
}

// batchParallel is how many requests of one batch() run at once.
func (s *vuState) batchParallel() int {
	if s.opts.Batch > 0 {
		return int(s.opts.Batch)
	}
	return maxBatchParallel
}

// hostLimits bounds the requests of a batch to each host (options.batchPerHost);
// nil when there is no bound.
type hostLimits map[string]chan struct{}

// hostSlots returns the per-host bounds of a batch of results.
func (s *vuState) hostSlots(results []result) hostLimits {
	n := s.opts.BatchPerHost
	if n <= 0 {
		return nil
	}
	l := hostLimits{}
	for i := range results {
		if h := results[i].req.url.Host; l[h] == nil {
			l[h] = make(chan struct{}, n)
		}
	}
	return l
}

// acquire waits for a free slot of host (or ctx's end: the request then fails
// on its own) and returns the function that frees it.
func (l hostLimits) acquire(ctx context.Context, host string) (release func()) {
	slots := l[host]
	if slots == nil {
		return func() {}
	}
	select {
	case slots <- struct{}{}:
		return func() { <-slots }
	case <-ctx.Done():
		return func() {}
	}
}

// debugDo sends req and logs it and its response (options.httpDebug,
// --http-debug): the heads, and the bodies in "full" mode. The body logged
// is as it came on the wire (before decoding).
func (s *vuState) debugDo(ctx context.Context, req *h1.Request, insecure bool) (*h1.Response, error) {
	full := s.opts.Debug == "full"
	hreq := req.HTTP(ctx)
	s.opts.DebugLog("Request:\n" + dumpRequest(hreq, full))
	resp, err := s.send(ctx, req, insecure)
	if err != nil {
		s.opts.DebugLog(fmt.Sprintf("Request failed: %s %s: %v", req.Method, req.URL.Redacted(), err))
		return resp, err
	}
	hresp := resp.HTTP(hreq)
	if dump, derr := httputil.DumpResponse(hresp, full); derr == nil {
		s.opts.DebugLog(fmt.Sprintf("Response:\n%s", strings.TrimRight(string(dump), "\r\n")))
	}
	resp.Body = hresp.Body // DumpResponse read it and left a copy
	return resp, nil
}

// dumpRequest renders req as it is sent: the request line, the headers and, when
// full, the body. (httputil.DumpRequestOut would send it through a transport
// of its own, which the request's trace would time.)
func dumpRequest(req *http.Request, full bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.Proto, req.Host)
	_ = req.Header.WriteSubset(&b, map[string]bool{"Host": true})
	if full && req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			b.WriteString("\r\n")
			_, _ = io.Copy(&b, body)
		}
	}
	return strings.TrimRight(b.String(), "\r\n")
}
