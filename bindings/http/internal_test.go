package http

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/http/internal/h1"
	"github.com/jsload/jsload/metrics"
)

// fakeHost is a bindings.Host without jsruntime (which imports this package), for
// measuring the binding alone. The embedded nil interface stands for the methods
// the binding does not call (calling one panics).
type fakeHost struct {
	bindings.Host
	rt     *goja.Runtime
	reg    *metrics.Registry
	sink   *metrics.Sink
	locals map[any]any
	renew  []func(bindings.BrowserReset) // the OnNewBrowser subscribers
}

func newFakeHost() *fakeHost {
	reg := metrics.NewRegistry()
	return &fakeHost{rt: goja.New(), reg: reg, sink: reg.NewSink(), locals: map[any]any{}}
}

func (h *fakeHost) Goja() *goja.Runtime         { return h.rt }
func (h *fakeHost) Context() context.Context    { return context.Background() }
func (h *fakeHost) Metrics() *metrics.Sink      { return h.sink }
func (h *fakeHost) Registry() *metrics.Registry { return h.reg }
func (h *fakeHost) Tags() metrics.Tags          { return metrics.NewTags("group", "default") }
func (h *fakeHost) TestOptions() *bindings.TestOptions {
	return &bindings.TestOptions{}
}
func (h *fakeHost) OnNewBrowser(fn func(bindings.BrowserReset)) { h.renew = append(h.renew, fn) }
func (h *fakeHost) VULocal(key any, create func() any) any {
	if v, ok := h.locals[key]; ok {
		return v
	}
	v := create()
	h.locals[key] = v
	return v
}

// cannedTransport answers every request at once with 100 bytes.
type cannedTransport struct{}

func (cannedTransport) Do(context.Context, *h1.Request) (*h1.Response, error) {
	return h1.ResponseOf(&http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/plain"}}, ContentLength: 100,
		Body: io.NopCloser(bytes.NewReader(make([]byte, 100)))}), nil
}

// BenchmarkBindingOverhead measures what the binding adds to the transport: a
// script's `http.get` with a status check, against a transport that answers at
// once (no network). ns/op is the JavaScript call, argument parsing, response
// object, tags and the 11 metric samples.
func BenchmarkBindingOverhead(b *testing.B) {
	h := newFakeHost()
	m := Module(h)
	st := h.locals[stateKey{}].(*vuState)
	st.routes = [2]transport{cannedTransport{}, cannedTransport{}}
	_ = h.rt.Set("http", m)
	v, err := h.rt.RunString(`(function () {
		const r = http.get('http://127.0.0.1:1/bytes');
		if (r.status !== 200) throw new Error('status ' + r.status);
	})`)
	if err != nil {
		b.Fatal(err)
	}
	fn, _ := goja.AssertFunction(v)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fn(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDroppedVariant checks which calls get the variant for a dropped result:
// those of the module's function under its own name only (a script that sets
// http.get = http.head calls head).
func TestDroppedVariant(t *testing.T) {
	t.Parallel()
	m := newModule(newFakeHost())
	get, head := m.exports.Get("get").(*goja.Object), m.exports.Get("head").(*goja.Object)
	v := m.droppedVariant(get, "get")
	if v == nil {
		t.Fatal("no variant for get")
	}
	if fn, ok := v.Get("get").(*goja.Object); !ok || fn == get {
		t.Errorf("the variant's get is %v, want a function of its own", v.Get("get"))
	}
	if m.droppedVariant(head, "head") != v {
		t.Error("the functions' variants are not in one object")
	}
	if w := m.droppedVariant(head, "get"); w != nil {
		t.Errorf("head under the name get has a variant")
	}
	if w := m.droppedVariant(m.rt.NewObject(), "get"); w != nil {
		t.Errorf("another object under the name get has a variant")
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	op := func(op string, err error) error { return &net.OpError{Op: op, Net: "tcp", Err: err} }
	tests := []struct {
		name     string
		err      error
		timedOut bool
		code     int
		msg      string
	}{
		{"timeout", context.DeadlineExceeded, true, codeTimeout, "request timeout after 2s"},
		{"canceled", context.Canceled, false, codeGeneric, "request canceled: the VU is stopping"},
		{"no host", &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}, false, codeNoHost, "lookup x.invalid: no such host"},
		{"dns", &net.DNSError{Err: "server misbehaving", Name: "x"}, false, codeDNS, "lookup x: server misbehaving"},
		{"refused", op("dial", os.NewSyscallError("connect", syscall.ECONNREFUSED)), false, codeRefused, "dial tcp: connect: connection refused"},
		{"reset", op("read", os.NewSyscallError("read", syscall.ECONNRESET)), false, codeReset, "read tcp: read: connection reset by peer"},
		{"broken pipe", op("write", os.NewSyscallError("write", syscall.EPIPE)), false, codeBrokenPipe, "write tcp: write: broken pipe"},
		{"dial", op("dial", errors.New("network is unreachable")), false, codeDial, "dial tcp: network is unreachable"},
		{"unknown CA", fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), false, codeUnknownCA, "tls: x509: certificate signed by unknown authority (pass insecureSkipTLSVerify: true to accept it)"},
		{"eof", io.ErrUnexpectedEOF, false, codeTCP, "unexpected EOF (the server closed the connection)"},
		{"other", errors.New("boom"), false, codeGeneric, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg, code := classify(tt.err, 2*time.Second, tt.timedOut)
			if msg != tt.msg || code != tt.code {
				t.Errorf("classify(%v) = %q, %d; want %q, %d", tt.err, msg, code, tt.msg, tt.code)
			}
		})
	}
}

func TestRedirectRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status         int
		method         string
		wantMethod     string
		wantBody       bool
		host, initial  string
		keepsAuthority bool
	}{
		{301, "POST", "GET", false, "a.com", "a.com", true},
		{302, "PUT", "GET", false, "api.a.com", "a.com", true},
		{303, "HEAD", "HEAD", false, "b.com", "a.com", false},
		{307, "POST", "POST", true, "xa.com", "a.com", false},
		{308, "PATCH", "PATCH", true, "A.COM", "a.com", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.method), func(t *testing.T) {
			t.Parallel()
			m, body := redirectMethod(tt.status, tt.method, true)
			if m != tt.wantMethod || body != tt.wantBody {
				t.Errorf("redirectMethod(%d, %s) = %s, %v; want %s, %v", tt.status, tt.method, m, body, tt.wantMethod, tt.wantBody)
			}
			if got := isDomainOrSubdomain(tt.host, tt.initial); got != tt.keepsAuthority {
				t.Errorf("isDomainOrSubdomain(%s, %s) = %v, want %v", tt.host, tt.initial, got, tt.keepsAuthority)
			}
		})
	}
}

// TestBodySlice: each slice is memory of its own, of at least the capacity
// asked for (a body kept by one response is never written by the next).
func TestBodySlice(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 513, 100 << 10, 1<<20 + 1} {
		a, b := bodySlice(n), bodySlice(n)
		if len(a) != 0 || cap(a) < n {
			t.Errorf("bodySlice(%d): len %d, cap %d", n, len(a), cap(a))
		}
		a, b = append(a, bytes.Repeat([]byte("a"), n)...), append(b, bytes.Repeat([]byte("b"), n)...)
		if bytes.Count(a, []byte("a")) != n || bytes.Count(b, []byte("b")) != n {
			t.Errorf("bodySlice(%d): two slices share their memory", n)
		}
	}
}
