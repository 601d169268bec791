package ws

import (
	"time"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/internal/stream"
	"github.com/jsload/jsload/metrics"
)

// meters are the WebSocket metrics, registered once per test when a script
// first uses a WebSocket module (as k6 names them).
type meters struct {
	connecting      *metrics.Metric // Trend (ms): the opening handshake, TCP and TLS included
	sessionDuration *metrics.Metric // Trend (ms): from open to closed
	sessions        *metrics.Metric // Counter: handshakes attempted, tagged status
	msgsSent        *metrics.Metric // Counter
	msgsReceived    *metrics.Metric // Counter
	ping            *metrics.Metric // Trend (ms): from a ping sent to its pong
	builtins        *metrics.Builtins
}

type metersKey struct{}

func metersOf(h bindings.Host) *meters {
	return h.TestLocal(metersKey{}, func() any {
		reg := h.Registry()
		must := func(name string, typ metrics.Type, vt metrics.ValueType) *metrics.Metric {
			return stream.MustRegister(reg, name, typ, vt)
		}
		return &meters{
			connecting:      must("ws_connecting", metrics.Trend, metrics.Time),
			sessionDuration: must("ws_session_duration", metrics.Trend, metrics.Time),
			sessions:        must("ws_sessions", metrics.Counter, metrics.Default),
			msgsSent:        must("ws_msgs_sent", metrics.Counter, metrics.Default),
			msgsReceived:    must("ws_msgs_received", metrics.Counter, metrics.Default),
			ping:            must("ws_ping", metrics.Trend, metrics.Time),
			builtins:        reg.Builtins(),
		}
	}).(*meters)
}

// recorder adds a runtime's WebSocket samples to its VU's sink, which is safe
// for concurrent use: connections record from their reader goroutines too.
type recorder struct {
	sink *metrics.Sink
	m    *meters
}

func (r *recorder) handshake(c *Conn, took time.Duration) {
	r.sink.Add(r.m.sessions, c.tags, 1)
	r.sink.AddDuration(r.m.connecting, c.tags, took)
	r.flushData(c)
}

func (r *recorder) session(c *Conn, d time.Duration) {
	r.sink.AddDuration(r.m.sessionDuration, c.tags, d)
}

func (r *recorder) sent(c *Conn) {
	r.sink.Add(r.m.msgsSent, c.tags, 1)
	r.flushData(c)
}

func (r *recorder) received(c *Conn) {
	r.sink.Add(r.m.msgsReceived, c.tags, 1)
	r.flushData(c)
}

func (r *recorder) ping(c *Conn, rtt time.Duration) { r.sink.AddDuration(r.m.ping, c.tags, rtt) }

// flushData records the bytes counted since the last flush; from any goroutine.
func (r *recorder) flushData(c *Conn) { c.counter.FlushData(r.sink, r.m.builtins, c.tags) }
