package http

import (
	"cmp"
	"crypto/tls"
	"net/http/httptrace"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// timings are the phases of one request in milliseconds, as the response's
// `timings` object and the http_req_* metrics report them.
type timings struct {
	blocked        float64 // waiting for a connection: DNS lookup, a free connection slot
	connecting     float64 // TCP connect
	tlsHandshaking float64 // TLS handshake
	sending        float64 // writing the request
	waiting        float64 // from the request written to the first response byte
	receiving      float64 // reading the body
	duration       float64 // sending + waiting + receiving
}

// tracer follows one request at a time: phases times each hop (the request,
// then each redirect) and counts its bytes; deadline gives the request its
// context and cancels it when its timeout elapses (deadline.go).
//
// Tracers are reused, so a request allocates neither hooks (closures made once
// per tracer), nor a timer, nor, while the caller's context stays the same and
// no timeout fires, a context. Each runtime has one for its synchronous
// requests; batch and asyncRequest take theirs from a pool. A tracer is used by
// one request at a time, but its hooks and its timer run on other goroutines.
type tracer struct {
	phases
	deadline
	heads *headCache // the heads of the runtime's own requests; nil in pooled tracers, which batch and async requests take from any VU
	hreq  h1.Request // the hop being sent (not in the result, which the response keeps: 96 bytes less per request)
}

// keepingHeads gives t a head cache (see headCache), for the runtime's own
// synchronous requests.
func (t *tracer) keepingHeads() *tracer {
	t.heads = new(headCache)
	return t
}

var tracers = sync.Pool{New: func() any { return newTracer() }}

func newTracer() *tracer {
	t := &tracer{}
	t.phases.init()
	t.deadline.init()
	runtime.AddCleanup(t, func(o *ctxOwner) { o.set(nil) }, t.owner)
	return t
}

// phases records the moments of a hop through net/http/httptrace. The hooks run
// on the transport's goroutines (net/http's; h1 calls them on the request's), so
// the moments are atomics: nanoseconds of now(), 0 for "not yet".
//
// A dial a request started but did not use may still report to the tracer once
// the next request has it; finish only counts a connect or handshake that ended
// before the hop got its connection, so such a stray moment changes nothing.
type phases struct {
	getConn, gotConn, connectStart, connectDone atomic.Int64
	tlsStart, tlsDone, wrote, firstByte         atomic.Int64

	conn            atomic.Pointer[h1.CountingConn] // the hop's connection, once known
	tls             atomic.Pointer[tls.Conn]        // the hop's TLS connection, once known; nil without TLS
	read0, written0 atomic.Int64                    // its counters when the hop got it
	trace           httptrace.ClientTrace           // the hooks, made once
}

// now is the tracers' clock: h1's, plus one so that no moment is 0 ("not
// yet").
func now() int64 { return h1.MonoNow() + 1 }

// init makes the hooks.
func (p *phases) init() {
	p.trace = httptrace.ClientTrace{
		GetConn:              func(string) { p.mark(&p.getConn) },
		ConnectStart:         func(string, string) { p.connectStart.CompareAndSwap(0, now()) },
		ConnectDone:          func(string, string, error) { p.mark(&p.connectDone) },
		TLSHandshakeStart:    func() { p.mark(&p.tlsStart) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { p.mark(&p.tlsDone) },
		GotConn:              p.gotConnHook,
		WroteRequest:         func(httptrace.WroteRequestInfo) { p.mark(&p.wrote) },
		GotFirstResponseByte: func() { p.mark(&p.firstByte) },
	}
}

func (p *phases) mark(a *atomic.Int64) { a.Store(now()) }

func (p *phases) gotConnHook(info httptrace.GotConnInfo) {
	if c := h1.CountingConnOf(info.Conn); c != nil {
		p.read0.Store(c.BytesRead())
		p.written0.Store(c.BytesWritten())
		p.conn.Store(c)
	}
	if tc, ok := info.Conn.(*tls.Conn); ok {
		p.tls.Store(tc)
	}
	p.mark(&p.gotConn)
}

// reset forgets the previous hop.
func (p *phases) reset() {
	for _, a := range []*atomic.Int64{&p.getConn, &p.gotConn, &p.connectStart, &p.connectDone, &p.tlsStart, &p.tlsDone, &p.wrote, &p.firstByte} {
		a.Store(0)
	}
	p.conn.Store(nil)
	p.tls.Store(nil)
}

// finish returns the timings of the current hop, ended now, and the bytes its
// connection carried since the hop got it. A phase that never ended (a timeout
// while waiting, say) lasts until now.
func (p *phases) finish() (tm timings, sent, received int64) {
	end := now()
	get, got := p.getConn.Load(), p.gotConn.Load()
	wrote, first := p.wrote.Load(), p.firstByte.Load()
	upTo := end // when the connection was handed over (or now)
	if got != 0 {
		upTo = got
	}
	ms := func(from, to int64) float64 {
		if from == 0 || to < from {
			return 0
		}
		return float64(to-from) / float64(time.Millisecond)
	}
	if cd := p.connectDone.Load(); cd != 0 && cd <= upTo {
		tm.connecting = ms(p.connectStart.Load(), cd)
	}
	if td := p.tlsDone.Load(); td != 0 && td <= upTo {
		tm.tlsHandshaking = ms(p.tlsStart.Load(), td)
	}
	tm.blocked = max(ms(get, upTo)-tm.connecting-tm.tlsHandshaking, 0)
	if got != 0 {
		tm.sending = ms(got, cmp.Or(wrote, end))
	}
	if wrote != 0 {
		tm.waiting = ms(wrote, cmp.Or(first, end))
	}
	if first != 0 {
		tm.receiving = ms(first, end)
	}
	tm.duration = tm.sending + tm.waiting + tm.receiving
	if c := p.conn.Load(); c != nil {
		sent = c.BytesWritten() - p.written0.Load()
		received = c.BytesRead() - p.read0.Load()
	}
	return tm, sent, received
}
