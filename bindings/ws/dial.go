package ws

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/jsload/jsload/bindings/internal/stream"
)

// netDialer makes the TCP connections of every socket.
var netDialer = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}

// writePool lends write buffers to every connection while it writes, so an
// idle socket holds none (a thousand sockets, a thousand 4 KiB buffers less).
var writePool = &sync.Pool{}

// dial runs the opening handshake and records it (ws_sessions, ws_connecting,
// the bytes); false when it failed, Handshake.Err saying why. A dial cut by ctx
// (the VU stopping) records nothing.
func (c *Conn) dial(ctx context.Context) bool {
	d := websocket.Dialer{
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if c.opts.Resolve != nil {
				addr = c.opts.Resolve(addr)
			}
			nc, err := netDialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			cc := &stream.CountingConn{Conn: nc}
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.aborted.Load() || c.closedEarly {
				_ = nc.Close()
				return nil, errClosedEarly
			}
			c.counter = cc
			return cc, nil
		},
		Proxy:             http.ProxyFromEnvironment,
		TLSClientConfig:   c.tlsConfig(),
		HandshakeTimeout:  c.opts.Timeout,
		Subprotocols:      c.opts.Protocols,
		EnableCompression: c.opts.Compression,
		Jar:               c.opts.Jar,
		WriteBufferPool:   writePool,
	}
	start := time.Now()
	ws, resp, err := d.DialContext(ctx, c.url, c.opts.Header)
	took := time.Since(start)
	c.Handshake = handshakeOf(resp, err == nil)
	c.tags = c.opts.Tags.With("status", strconv.Itoa(c.Handshake.Status))
	if err == nil && c.Handshake.Protocol != "" {
		c.tags = c.tags.With("subproto", c.Handshake.Protocol)
	}
	if ctx.Err() != nil {
		if ws != nil {
			_ = ws.Close()
		}
		c.Handshake.Err = fmt.Errorf("connect %s: %w", c.url, context.Cause(ctx))
		return false
	}
	c.rec.handshake(c, took)
	if err != nil && c.closedEarlyNow() {
		c.Handshake.Err = fmt.Errorf("connect %s: %w", c.url, errClosedEarly)
		return false
	}
	if err != nil {
		c.Handshake.Err = c.describe(err, took)
		return false
	}
	c.mu.Lock()
	if c.aborted.Load() || c.closedEarly {
		c.mu.Unlock()
		_ = ws.Close()
		c.Handshake.Err = fmt.Errorf("connect %s: %w", c.url, errClosedEarly)
		return false
	}
	c.ws = ws
	c.mu.Unlock()
	if c.opts.MaxMessageSize > 0 {
		ws.SetReadLimit(c.opts.MaxMessageSize)
	}
	c.opened = time.Now()
	return true
}

// tlsConfig is the connection's TLS settings: the test's, without HTTP/2
// (the handshake is HTTP/1.1).
func (c *Conn) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if c.opts.TLS != nil {
		cfg = c.opts.TLS.Clone()
	}
	cfg.InsecureSkipVerify = c.opts.Insecure //nolint:gosec // only when the script asks
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}

// errClosedEarly is why a connection closed (or stopped) during its handshake
// failed.
var errClosedEarly = errors.New("the socket was closed before its handshake ended")

func (c *Conn) closedEarlyNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closedEarly
}

// handshakeOf describes the server's answer (nil: there was none).
func handshakeOf(resp *http.Response, ok bool) Handshake {
	var h Handshake
	if resp == nil {
		return h
	}
	h.Status = resp.StatusCode
	h.Header = make(map[string]string, len(resp.Header))
	for k, vs := range resp.Header {
		h.Header[k] = strings.Join(vs, ", ")
	}
	if ok {
		h.Protocol = resp.Header.Get("Sec-WebSocket-Protocol")
		h.Extensions = resp.Header.Get("Sec-WebSocket-Extensions")
	} else if resp.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		h.Body = string(b)
	}
	return h
}

// describe turns a failed dial into an error saying what went wrong and, where
// it can, what to do.
func (c *Conn) describe(err error, took time.Duration) error {
	h := &c.Handshake
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ne net.Error
	switch {
	case errors.Is(err, websocket.ErrBadHandshake) && h.Status == http.StatusSwitchingProtocols:
		return fmt.Errorf("connect %s: the server's handshake answer is invalid (Upgrade, Connection or Sec-WebSocket-Accept)", c.url)
	case errors.Is(err, websocket.ErrBadHandshake):
		msg := fmt.Sprintf("connect %s: the server answered HTTP %d %s instead of 101 Switching Protocols", c.url, h.Status, http.StatusText(h.Status))
		if line, _, _ := strings.Cut(strings.TrimSpace(h.Body), "\n"); line != "" {
			msg += ": " + line
		}
		if h.Status >= 200 && h.Status < 300 {
			msg += " (is this URL a WebSocket endpoint?)"
		}
		return errors.New(msg)
	case errors.As(err, &ue), errors.As(err, &he):
		return fmt.Errorf("connect %s: %w (pass insecureSkipTLSVerify: true to accept it)", c.url, err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("connect %s: no handshake within %s (the timeout param)", c.url, took.Round(time.Millisecond))
	}
	return fmt.Errorf("connect %s: %w", c.url, err)
}
