package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// maxBatchParallel is how many requests of one batch() run at once (k6's default).
const maxBatchParallel = 20

// module is the `jsload/http` module of one runtime, used by that runtime's
// goroutine only; what it shares with the VU's other runtimes is in vuState.
type module struct {
	h        bindings.Host
	rt       *goja.Runtime
	vu       *vuState
	sink     *metrics.Sink
	samples  *metrics.SeriesGroup // the samples of one hop, see record
	tags     tagCache
	urls     urlCache
	sizes    map[string]int // by URL, the size of its last body of unknown size (see readUnsized)
	tracer   *tracer        // for synchronous requests
	vuJar    goja.Value     // http.cookieJar(), made on first use
	jsonFn   goja.Value     // the json() method of responses
	parse    goja.Callable  // JSON.parse
	dataView *goja.Object   // the DataView constructor
	exports  *goja.Object

	requesters []requester  // the functions that make requests, in exports
	dropped    *goja.Object // their variants for a dropped result, made on first use (droppedVariants)
	// spare is the result of the last dropped request, for the next one: a
	// dropped result is used by nothing once send returns, and memory in the
	// cache costs less than a new result (728 bytes) per request.
	spare *result

	dialect  Dialect
	expect   *ExpectedStatuses // k6's response callback, nil for none (jsload's dialect has none)
	respKeys []string          // the enumerable fields of responses
}

// Module builds the exports of `jsload/http` for the runtime of h. The VU's
// cookie jar, connection pools and defaults are shared with its other runtimes
// through h.VULocal; the value stored there has a Close method that closes idle
// connections, and is subscribed to h.OnNewBrowser, which empties the jar and
// closes the idle connections. cookieJar() and CookieJar have k6's semantics,
// for k6/http to export as they are.
func Module(h bindings.Host) *goja.Object { return newModule(h).exports }

// newModule builds a module in jsload's dialect.
func newModule(h bindings.Host) *module {
	rt := h.Goja()
	m := &module{h: h, rt: rt, sink: h.Metrics(), samples: requestSamples(h.Registry().Builtins()),
		tracer: newTracer().keepingHeads(), respKeys: responseKeys}
	m.vu = h.VULocal(stateKey{}, func() any {
		s := newVUState()
		h.OnNewBrowser(s.newBrowser) // once per VU: create runs once
		return s
	}).(*vuState)
	m.parse, _ = goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	m.dataView, _ = rt.Get("DataView").(*goja.Object)
	m.jsonFn = rt.ToValue(m.json)

	o := rt.NewObject()
	m.requesters = make([]requester, 0, 9)
	define := func(name string, call func(c goja.FunctionCall, drop bool) goja.Value) {
		_ = o.Set(name, func(c goja.FunctionCall) goja.Value { return call(c, false) })
		m.requesters = append(m.requesters, requester{name, o.Get(name).(*goja.Object), call})
	}
	bodiless := func(name, method string) {
		define(name, func(c goja.FunctionCall, drop bool) goja.Value {
			return m.send(name, method, c.Argument(0), nil, c.Argument(1), drop)
		})
	}
	withBody := func(name, method string) {
		define(name, func(c goja.FunctionCall, drop bool) goja.Value {
			return m.send(name, method, c.Argument(0), c.Argument(1), c.Argument(2), drop)
		})
	}
	bodiless("get", http.MethodGet)
	bodiless("head", http.MethodHead)
	withBody("post", http.MethodPost)
	withBody("put", http.MethodPut)
	withBody("patch", http.MethodPatch)
	withBody("del", http.MethodDelete)
	define("options", func(c goja.FunctionCall, drop bool) goja.Value {
		if len(c.Arguments) < 3 {
			return m.send("options", http.MethodOptions, c.Argument(0), nil, c.Argument(1), drop)
		}
		return m.send("options", http.MethodOptions, c.Argument(0), c.Argument(1), c.Argument(2), drop)
	})
	define("request", func(c goja.FunctionCall, drop bool) goja.Value {
		method, err := parseMethod(c.Argument(0))
		if err != nil {
			m.throw(fmt.Errorf("http.request: %w", err))
		}
		return m.send("request", method, c.Argument(1), c.Argument(2), c.Argument(3), drop)
	})
	_ = o.Set("asyncRequest", m.asyncRequest)
	_ = o.Set("cookieJar", m.cookieJar)
	_ = o.Set("CookieJar", m.newCookieJarObject)
	define("batch", m.batch)
	if d, ok := h.(bindings.DroppedCalls); ok {
		d.OnDropped(m.droppedVariant)
	}
	_ = o.Set("setDefaults", func(c goja.FunctionCall) goja.Value {
		d, err := m.newDefaults(c.Argument(0))
		if err != nil {
			m.throw(fmt.Errorf("http.setDefaults: %w", err))
		}
		m.vu.defaults.Store(d)
		return goja.Undefined()
	})
	m.exports = o
	return m
}

// requester is one of the module's functions that make requests: call with
// drop false is the function in exports, with drop true its variant for a call
// whose result the script drops.
type requester struct {
	name string
	fn   *goja.Object
	call func(c goja.FunctionCall, drop bool) goja.Value
}

// droppedVariant implements the module's part of bindings.DroppedCalls: the
// object whose function of the given name makes fn's requests without keeping
// their responses; nil when fn is not the module's function of that name.
func (m *module) droppedVariant(fn *goja.Object, name string) *goja.Object {
	for _, r := range m.requesters {
		if r.fn == fn && r.name == name {
			return m.droppedVariants()
		}
	}
	return nil
}

// droppedVariants returns the object of the requesters' variants for a
// dropped result, made on first use.
func (m *module) droppedVariants() *goja.Object {
	if m.dropped == nil {
		m.dropped = m.rt.NewObject()
		for _, r := range m.requesters {
			_ = m.dropped.Set(r.name, func(c goja.FunctionCall) goja.Value { return r.call(c, true) })
		}
	}
	return m.dropped
}

// send makes one request on the runtime's goroutine and returns its response;
// undefined when the script drops it (drop): its body is then read as it
// would be, but not kept.
func (m *module) send(fn, method string, urlV, bodyV, paramsV goja.Value, drop bool) goja.Value {
	var res *result
	if drop && m.spare != nil {
		res, m.spare = m.spare, nil // nil while in use: the arguments' getters may make requests too
	} else {
		res = &result{}
	}
	if err := m.newRequest(&res.req, method, urlV, bodyV, paramsV); err != nil {
		m.throw(fmt.Errorf("http.%s: %w", fn, err))
	}
	res.req.dropped = drop
	m.vu.do(m.h.Context(), res, m.tracer)
	m.record(res)
	m.raise(res)
	if drop {
		if res.err == nil && len(res.hops) == 1 && res.resp != nil {
			res.resp.Recycle() // one response, read to its end, whose strings nothing kept (cookies are copied)
		}
		*res = result{}
		m.spare = res
		return goja.Undefined()
	}
	return m.newResponse(res)
}

// parseMethod reads and checks a method argument ('get' is GET).
func parseMethod(v goja.Value) (string, error) {
	if bindings.IsNullish(v) {
		return "", errors.New("missing method: write request('GET', url)")
	}
	s := strings.ToUpper(v.String())
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) }) {
		return "", fmt.Errorf("invalid method %q", v)
	}
	return s, nil
}

// raise ends the call of a failed request when it must: a request aborted because
// the VU is stopping interrupts the runtime at once (the context's own interrupt
// may come a moment later, after the script has gone on with status 0); a failure
// with throw: true is thrown.
func (m *module) raise(res *result) {
	switch {
	case res.aborted:
		m.rt.Interrupt(context.Cause(m.h.Context()))
	case res.err != nil && res.req.throw:
		m.throw(res.failure())
	}
}

// failure is the error a failed request throws (throw: true) or rejects with.
func (res *result) failure() error {
	return fmt.Errorf("%s %s: %s", res.method, res.url, res.msg)
}

// batch implements batch(requests): each request is an array [method, url, body,
// params], an object {method, url, body, params} or a URL string; requests is an
// array of them (the responses come back as an array, in order) or an object of
// named requests (an object of responses under the same names). Up to
// maxBatchParallel requests run at once, each on its own goroutine; the runtime's
// goroutine waits for all of them (they end early when the context does).
// A dropped batch (drop) reads its bodies without keeping them and returns
// undefined.
func (m *module) batch(c goja.FunctionCall, drop bool) goja.Value {
	obj, ok := c.Argument(0).(*goja.Object)
	if !ok {
		m.throw(fmt.Errorf("http.batch: want an array of requests or an object of named requests, got %s", c.Argument(0)))
	}
	keys := obj.Keys()
	results := make([]result, len(keys))
	for i, k := range keys {
		if err := m.batchItem(&results[i].req, obj.Get(k)); err != nil {
			m.throw(fmt.Errorf("http.batch: request %s: %w", k, err))
		}
		results[i].req.dropped = drop
	}
	m.vu.doAll(m.h.Context(), results)
	for i := range results {
		m.record(&results[i])
	}
	for i := range results {
		m.raise(&results[i])
	}
	if drop {
		return goja.Undefined()
	}
	if obj.ClassName() == "Array" {
		out := make([]any, len(results))
		for i := range results {
			out[i] = m.newResponse(&results[i])
		}
		return m.rt.NewArray(out...)
	}
	out := m.rt.NewObject()
	for i := range results {
		_ = out.Set(keys[i], m.newResponse(&results[i]))
	}
	return out
}

// batchItem converts one request of a batch into r.
func (m *module) batchItem(r *request, v goja.Value) error {
	obj, ok := v.(*goja.Object)
	if !ok {
		return m.newRequest(r, http.MethodGet, v, nil, nil)
	}
	if obj.ClassName() == "Array" {
		method, err := parseMethod(obj.Get("0"))
		if err != nil {
			return err
		}
		return m.newRequest(r, method, obj.Get("1"), obj.Get("2"), obj.Get("3"))
	}
	method := http.MethodGet
	if mv := obj.Get("method"); !bindings.IsNullish(mv) {
		var err error
		if method, err = parseMethod(mv); err != nil {
			return err
		}
	}
	return m.newRequest(r, method, obj.Get("url"), obj.Get("body"), obj.Get("params"))
}

// doAll sends the requests of results in parallel, at most maxBatchParallel at
// once, and returns when all have ended. Safe from any goroutine.
func (s *vuState) doAll(ctx context.Context, results []result) {
	var next atomic.Int64
	var wg sync.WaitGroup
	perHost := s.hostSlots(results)
	for range min(len(results), s.batchParallel()) {
		wg.Go(func() {
			t := tracers.Get().(*tracer)
			defer tracers.Put(t)
			for i := int(next.Add(1)) - 1; i < len(results); i = int(next.Add(1)) - 1 {
				release := perHost.acquire(ctx, results[i].req.url.Host)
				s.do(ctx, &results[i], t)
				release()
			}
		})
	}
	wg.Wait()
}

// throw raises err as a JavaScript Error in the calling script.
func (m *module) throw(err error) { bindings.Throw(m.rt, err) }

// throwTyped raises err as a JavaScript error named name (e.g. SyntaxError).
func (m *module) throwTyped(name string, err error) { bindings.ThrowTyped(m.rt, name, err) }
