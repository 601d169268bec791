package stream

import (
	"net"
	"sync/atomic"

	"github.com/jsload/jsload/metrics"
)

// CountingConn counts the bytes a connection sends and receives (TLS included),
// for data_sent and data_received, which FlushData records. (The HTTP client's
// h1.CountingConn counts for good, for a request's before-and-after
// difference; a stream records as it goes, so this one is emptied by each
// flush.)
type CountingConn struct {
	net.Conn
	Rx, Tx atomic.Int64
}

func (c *CountingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.Rx.Add(int64(n))
	return n, err
}

func (c *CountingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.Tx.Add(int64(n))
	return n, err
}

// FlushData records the bytes counted since the last flush as data_sent and
// data_received samples with tags; from any goroutine. A nil c records
// nothing.
func (c *CountingConn) FlushData(sink *metrics.Sink, b *metrics.Builtins, tags metrics.Tags) {
	if c == nil {
		return
	}
	if n := c.Tx.Swap(0); n > 0 {
		sink.Add(b.DataSent, tags, float64(n))
	}
	if n := c.Rx.Swap(0); n > 0 {
		sink.Add(b.DataReceived, tags, float64(n))
	}
}

// MustRegister registers a stream module's metric; the names and types are
// the module's constants, which nothing else registers, so an error is a bug.
func MustRegister(reg *metrics.Registry, name string, typ metrics.Type, vt metrics.ValueType) *metrics.Metric {
	m, err := reg.Register(name, typ, vt)
	if err != nil {
		panic(err)
	}
	return m
}
