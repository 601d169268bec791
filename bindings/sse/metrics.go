package sse

import (
	"strconv"
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
	"github.com/jsload/jsload/metrics"
)

// meters are the Server-Sent Events metrics, registered once per test when a
// script first imports jsload/sse.
type meters struct {
	connections *metrics.Metric // Counter: connections attempted (reconnections too), tagged status
	connecting  *metrics.Metric // Trend (ms): from the request to the response's headers
	events      *metrics.Metric // Counter: events received
	builtins    *metrics.Builtins
}

type metersKey struct{}

func metersOf(h bindings.Host) *meters {
	return h.TestLocal(metersKey{}, func() any {
		reg := h.Registry()
		must := func(name string, typ metrics.Type, vt metrics.ValueType) *metrics.Metric {
			return stream.MustRegister(reg, name, typ, vt)
		}
		return &meters{
			connections: must("sse_connections", metrics.Counter, metrics.Default),
			connecting:  must("sse_connecting", metrics.Trend, metrics.Time),
			events:      must("sse_events_received", metrics.Counter, metrics.Default),
			builtins:    reg.Builtins(),
		}
	}).(*meters)
}

// recorder adds a runtime's SSE samples to its VU's sink (safe for concurrent
// use: sources record from their own goroutines).
type recorder struct {
	sink *metrics.Sink
	m    *meters
}

// tagSet is the tags of one connection's samples.
type tagSet = metrics.Tags

// connected records one connection attempt and returns its tags.
func (r *recorder) connected(s *Source, status int, took time.Duration) tagSet {
	tags := s.opts.Tags.With("status", strconv.Itoa(status))
	r.sink.Add(r.m.connections, tags, 1)
	r.sink.AddDuration(r.m.connecting, tags, took)
	r.flushData(s, tags)
	return tags
}

func (r *recorder) event(s *Source, tags tagSet) {
	r.sink.Add(r.m.events, tags, 1)
	r.flushData(s, tags)
}

// flushData records the bytes counted since the last flush.
func (r *recorder) flushData(s *Source, tags tagSet) {
	s.count.Load().FlushData(r.sink, r.m.builtins, tags)
}
