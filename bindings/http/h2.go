package http

import (
	"crypto/tls"
	"net/http"

	"golang.org/x/net/http2"

	"github.com/jsload/jsload/bindings/http/internal/h1"
)

// h2Transport holds the settings of the VUs' HTTP/2 connections; it pools
// nothing. Each connection is made on a TLS connection a VU's h1.Transport
// dialed, when the server chose HTTP/2 by ALPN, and serves all that VU's
// requests to the host, the requests of a batch as concurrent streams: one
// connection per VU and host, as a browser has, not net/http's pool. Bodies are
// decoded by the binding (decode.go), so the transport asks for no gzip of its
// own.
var h2Transport = &http2.Transport{DisableCompression: true}

// h2Conn is one HTTP/2 connection, an h1.Alt. Its reading goroutine (x/net's
// readLoop) ends when the connection closes: the VU closes it (vuState.Close,
// through h1.Transport.CloseIdle), or the server does.
type h2Conn struct{ cc *http2.ClientConn }

func newH2Conn(c *tls.Conn) (h1.Alt, error) {
	// NewClientConn is marked deprecated for net/http's own, which dials the
	// connection itself; the VU's transport has already dialed this one.
	cc, err := h2Transport.NewClientConn(c) //nolint:staticcheck
	if err != nil {
		return nil, err
	}
	return &h2Conn{cc}, nil
}

func (c *h2Conn) RoundTrip(req *http.Request) (*http.Response, error) {
	return c.cc.RoundTrip(req)
}
func (c *h2Conn) Usable() bool { return c.cc.CanTakeNewRequest() }
func (c *h2Conn) Closed() bool { return c.cc.State().Closed }
func (c *h2Conn) Close() error { return c.cc.Close() }
