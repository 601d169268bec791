package http

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// errVUClosed is the cause of an asyncRequest cancelled because its VU closed
// while the request was in flight.
var errVUClosed = errors.New("the VU is closing")

// asyncRequest implements asyncRequest(method, url[, body][, params]): the request
// runs on a goroutine of its own, owned by the VU's asyncRequests, and the returned
// promise settles on the runtime's event loop; the iteration does not end before
// it has. Invalid arguments reject the promise, as does a failure with throw: true.
func (m *module) asyncRequest(c goja.FunctionCall) goja.Value {
	p, resolve, reject := m.rt.NewPromise()
	res := &result{}
	method, err := parseMethod(c.Argument(0))
	if err == nil {
		err = m.newRequest(&res.req, method, c.Argument(1), c.Argument(2), c.Argument(3))
	}
	if err != nil {
		_ = reject(m.rt.NewGoError(fmt.Errorf("http.asyncRequest: %w", err)))
		return m.rt.ToValue(p)
	}
	done := m.h.Reserve()
	m.vu.async.start(m.h.Context(), func(ctx context.Context) {
		t := tracers.Get().(*tracer)
		m.vu.do(ctx, res, t)
		tracers.Put(t)
		if res.aborted {
			m.recordUncached(res) // the callback below will not run: its iteration is ending
		}
		done(func() error { // on the runtime's goroutine, unless its iteration has ended
			if !res.aborted {
				m.record(res)
			}
			if res.err != nil && res.req.throw && !res.aborted {
				return reject(m.rt.NewGoError(res.failure()))
			}
			return resolve(m.newResponse(res))
		})
	})
	return m.rt.ToValue(p)
}

// asyncRequests owns the goroutines of one VU's asyncRequest calls, from all its
// runtimes. Each runs under a context of its own, a child of the calling
// runtime's context (the VU stopping, the iteration interrupted, the test
// aborted end the request), which close also cancels.
//
// An iteration that ends without waiting for its requests (it threw, or was
// interrupted) drops their callbacks, but the requests go on until they end:
// close, called when the VU closes, cancels those still in flight and waits for
// every goroutine, so none outlives its VU. The zero value is ready to use.
type asyncRequests struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	next    uint64
	cancels map[uint64]context.CancelCauseFunc // of the requests in flight
}

// start runs fn on a goroutine of its own with a context derived from parent,
// which close cancels.
func (a *asyncRequests) start(parent context.Context, fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancelCause(parent)
	a.mu.Lock()
	id := a.next
	a.next++
	if a.cancels == nil {
		a.cancels = make(map[uint64]context.CancelCauseFunc)
	}
	a.cancels[id] = cancel
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		fn(ctx)
		a.mu.Lock()
		delete(a.cancels, id)
		a.mu.Unlock()
		cancel(nil) // releases ctx from parent
	}()
}

// close cancels the requests in flight with cause and returns when every
// goroutine start made has ended. Call it once no runtime of the VU can start
// another (VU close); requests started afterwards are owned again.
func (a *asyncRequests) close(cause error) {
	a.mu.Lock()
	cancels := a.cancels
	a.cancels = nil
	a.mu.Unlock()
	for _, cancel := range cancels {
		cancel(cause)
	}
	a.wg.Wait()
}
