// Package sse is the `jsload/sse` module: an EventSource client for
// Server-Sent Events, as browsers have it (onopen, onmessage, named events
// through addEventListener, id and retry fields, reconnection with
// Last-Event-ID, close), plus connect() and receive() for scripts that block,
// such as a background script's loop.
//
// The event-stream format (the WHATWG HTML standard's "Interpreting an event
// stream") is parsed here by hand: it is a handful of line rules (parse.go,
// fuzzed), and the Go SSE libraries bring reconnect loops and goroutines of
// their own, where this client needs its reconnection, back-pressure and
// stopping to follow the runtime that owns it.
//
// # Goroutines and the event loop
//
// Each EventSource (Source) owns one goroutine: it connects with net/http (a
// transport of its own, without keep-alive, counting bytes for data_sent and
// data_received; the VU's cookie jar and default headers), reads the stream,
// waits the reconnection time and reconnects, until the stream is closed. It
// turns what happens into plain Go Events in a stream.Queue; the runtime takes
// them through its event loop or in receive(), as jsload/ws does. An open
// source keeps the call that opened it running until it is closed: by
// close(), by the server (a status other than 200, a Content-Type other than
// text/event-stream, or 204 once reconnecting), or with reconnect: false when
// its stream ends. It never outlives the call (bindings.Host.OnCallEnd), ends
// at once with the runtime's context, and closes on a background script's stop
// request.
//
// # Metrics
//
// sse_connections (each connection attempted, reconnections included, tagged
// status), sse_connecting (until the response's headers), sse_events_received,
// data_sent and data_received; tagged url and name (or name alone, from
// params.tags.name), status, params.tags and the runtime's tags.
package sse
