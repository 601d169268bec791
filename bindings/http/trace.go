package http

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
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

// tracer follows one request at a time: it records the moments of each hop
// (the request, then each redirect) through net/http/httptrace, and cancels the
// request when its timeout elapses. The hooks run on the transport's goroutines,
// so the moments are atomics: monotonic nanoseconds since epoch, 0 for "not yet".
//
// Tracers are reused, so a request allocates neither hooks (closures made once
// per tracer), nor a timer, nor, while the caller's context stays the same and
// no timeout fires, a context: the request context (the caller's, cancellable,
// with the hooks) is made once per caller's context and serves every request
// until it is cancelled. A dial a request started but did not use may still
// report to the tracer once the next request has it; finish only counts a
// connect or handshake that ended before the hop got its connection, so such a
// stray moment changes nothing. Each runtime has one for its synchronous
// requests; batch and asyncRequest take theirs from a pool.
type tracer struct {
	getConn, gotConn, connectStart, connectDone atomic.Int64
	tlsStart, tlsDone, wrote, firstByte         atomic.Int64

	conn            atomic.Pointer[h1.CountingConn] // the hop's connection, once known
	read0, written0 atomic.Int64                    // its counters when the hop got it
	trace           httptrace.ClientTrace

	parent context.Context // the caller's context ctx was made for
	ctx    context.Context // parent, cancellable, with the hooks
	cancel context.CancelCauseFunc
	owner  *ctxOwner // releases ctx from parent when the tracer is collected

	// The timer runs expire; it is not stopped between requests but re-armed by
	// expire while the next timeout is still ahead, so a request with the usual
	// timeout touches no timer. mu guards the fields below and makes cancelling
	// atomic with the check that the timeout is the current request's.
	timer   *time.Timer
	mu      sync.Mutex
	armed   bool  // a request with a timeout is in flight
	due     int64 // when its timeout elapses
	timerAt int64 // when the timer fires; 0 when it is not pending
}

// ctxOwner holds the cancel function of a tracer's current request context,
// apart from the tracer: the context is registered with its parent (the VU's
// long-lived context) until cancelled, and must not keep a forgotten tracer
// alive.
type ctxOwner struct {
	mu     sync.Mutex
	cancel context.CancelCauseFunc
}

func (o *ctxOwner) set(cancel context.CancelCauseFunc) {
	o.mu.Lock()
	old := o.cancel
	o.cancel = cancel
	o.mu.Unlock()
	if old != nil {
		old(context.Canceled)
	}
}

// errTimeout is the cause of a request's context cancelled by its timeout.
var errTimeout = errors.New("request timeout")

// epoch is the origin of the tracers' clock.
var epoch = time.Now()

var tracers = sync.Pool{New: func() any { return newTracer() }}

// context returns the context of the next request: parent, cancellable by the
// request's timeout, carrying t's hooks. Called between requests only.
func (t *tracer) context(parent context.Context) context.Context {
	if parent != t.parent || t.ctx == nil || t.ctx.Err() != nil {
		var ctx context.Context
		ctx, t.cancel = context.WithCancelCause(parent)
		t.parent, t.ctx = parent, httptrace.WithClientTrace(ctx, &t.trace)
		t.owner.set(t.cancel) // the previous context is released
	}
	return t.ctx
}

// arm starts the timeout d of the request in flight, whose context is t.ctx.
func (t *tracer) arm(d time.Duration) {
	t.mu.Lock()
	t.armed, t.due = true, now()+int64(d)
	if t.timerAt == 0 || t.timerAt > t.due {
		t.timerAt = t.due
		t.timer.Reset(d)
	}
	t.mu.Unlock()
}

// disarm ends the timeout of the request in flight. The timer stays pending:
// the next request's timeout will most often use it.
func (t *tracer) disarm() {
	t.mu.Lock()
	t.armed = false
	t.mu.Unlock()
}

// expire cancels the request in flight if its timeout has elapsed, or waits
// again until it will have.
func (t *tracer) expire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.timerAt = 0
	if !t.armed {
		return
	}
	if left := t.due - now(); left > 0 {
		t.timerAt = t.due
		t.timer.Reset(time.Duration(left))
		return
	}
	t.armed = false
	t.cancel(errTimeout)
}

func newTracer() *tracer {
	t := &tracer{owner: &ctxOwner{}}
	t.timer = time.AfterFunc(time.Hour, t.expire)
	t.timer.Stop()
	runtime.AddCleanup(t, func(o *ctxOwner) { o.set(nil) }, t.owner)
	t.trace = httptrace.ClientTrace{
		GetConn:              func(string) { t.mark(&t.getConn) },
		ConnectStart:         func(string, string) { t.connectStart.CompareAndSwap(0, now()) },
		ConnectDone:          func(string, string, error) { t.mark(&t.connectDone) },
		TLSHandshakeStart:    func() { t.mark(&t.tlsStart) },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { t.mark(&t.tlsDone) },
		GotConn:              t.gotConnHook,
		WroteRequest:         func(httptrace.WroteRequestInfo) { t.mark(&t.wrote) },
		GotFirstResponseByte: func() { t.mark(&t.firstByte) },
	}
	return t
}

func now() int64 { return int64(time.Since(epoch)) + 1 }

func (t *tracer) mark(a *atomic.Int64) { a.Store(now()) }

func (t *tracer) gotConnHook(info httptrace.GotConnInfo) {
	if c := h1.CountingConnOf(info.Conn); c != nil {
		t.read0.Store(c.BytesRead())
		t.written0.Store(c.BytesWritten())
		t.conn.Store(c)
	}
	t.mark(&t.gotConn)
}

// reset forgets the previous hop.
func (t *tracer) reset() {
	for _, a := range []*atomic.Int64{&t.getConn, &t.gotConn, &t.connectStart, &t.connectDone, &t.tlsStart, &t.tlsDone, &t.wrote, &t.firstByte} {
		a.Store(0)
	}
	t.conn.Store(nil)
}

// finish returns the timings of the current hop, ended now, and the bytes its
// connection carried since the hop got it. A phase that never ended (a timeout
// while waiting, say) lasts until now.
func (t *tracer) finish() (tm timings, sent, received int64) {
	end := now()
	get, got := t.getConn.Load(), t.gotConn.Load()
	wrote, first := t.wrote.Load(), t.firstByte.Load()
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
	if cd := t.connectDone.Load(); cd != 0 && cd <= upTo {
		tm.connecting = ms(t.connectStart.Load(), cd)
	}
	if td := t.tlsDone.Load(); td != 0 && td <= upTo {
		tm.tlsHandshaking = ms(t.tlsStart.Load(), td)
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
	if c := t.conn.Load(); c != nil {
		sent = c.BytesWritten() - t.written0.Load()
		received = c.BytesRead() - t.read0.Load()
	}
	return tm, sent, received
}
