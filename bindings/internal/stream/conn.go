package stream

import (
	"net"
	"sync/atomic"
)

// CountingConn counts the bytes a connection sends and receives (TLS included),
// for data_sent and data_received: whoever records takes the counts with Swap.
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
