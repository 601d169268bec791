package ws

import (
	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/webapi"
)

// Client opens the WebSocket connections of one runtime, for jsload/ws and for
// the k6 compatibility modules built on it. Runtime goroutine only.
//
// Every connection it opens lives no longer than the call that opened it
// (bindings.Host.OnCallEnd stops it), ends at once when the runtime's context
// does (the VU or the background script stopping), and, in a background
// script, is closed with 1001 when the script is asked to stop.
type Client struct {
	h     bindings.Host
	rt    *goja.Runtime
	realm *webapi.Realm
	rec   *recorder
}

type clientKey struct{}

// ClientOf returns the Client of h's runtime, made on first use.
func ClientOf(h bindings.Host) *Client {
	r := webapi.RealmOf(h.Goja())
	return r.Local(clientKey{}, func() any {
		return &Client{h: h, rt: h.Goja(), realm: r, rec: &recorder{sink: h.Metrics(), m: metersOf(h)}}
	}).(*Client)
}

// Host is the runtime the client belongs to.
func (cl *Client) Host() bindings.Host { return cl.h }

// Options reads a connection's URL and params (see newOptions); protocols is the
// WebSocket constructor's second argument, or nil.
func (cl *Client) Options(urlV, params, protocols goja.Value) (string, Options, error) {
	return newOptions(cl.h, urlV, params, protocols)
}

// Dial opens a connection on the runtime's goroutine: it returns when the
// handshake has ended, with the connection open, or with the handshake's error.
func (cl *Client) Dial(rawURL string, opts Options) (*Conn, error) {
	c, err := Dial(cl.h.Context(), rawURL, opts, cl.rec)
	if err != nil {
		return nil, err
	}
	cl.own(c)
	return c, nil
}

// DialAsync starts a connection whose handshake runs in the background; its
// outcome is the connection's first event.
func (cl *Client) DialAsync(rawURL string, opts Options) *Conn {
	c := DialAsync(cl.h.Context(), rawURL, opts, cl.rec)
	cl.own(c)
	return c
}

func (cl *Client) own(c *Conn) {
	cl.h.OnCallEnd(c.Stop)
	if ctx := cl.h.StopRequests(); ctx != nil {
		c.closeOn(ctx, CloseGoingAway, "the background script was asked to stop")
	}
}
