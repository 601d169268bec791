package ws

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/jsload/jsload/bindings/internal/stream"
	"github.com/jsload/jsload/metrics"
)

const (
	// writeTimeout bounds one send, ping or close frame: a peer that stops
	// reading fails the socket instead of blocking the script for ever.
	writeTimeout = 10 * time.Second
	// closeTimeout is how long close() waits for the peer's close frame before
	// it drops the connection (wasClean false).
	closeTimeout = 3 * time.Second
	// abortWait bounds the courtesy close frame sent when a stop cuts the socket.
	abortWait = 20 * time.Millisecond
	// maxQueued is how many received events wait for the script before the
	// reader stops reading (back-pressure through TCP).
	maxQueued = 1024
	// maxPings bounds the pings waiting for their pong.
	maxPings = 256
)

// The close codes of RFC 6455 section 7.4 that jsload sends or reports itself.
const (
	CloseNormal    = websocket.CloseNormalClosure
	CloseGoingAway = websocket.CloseGoingAway
	CloseAbnormal  = websocket.CloseAbnormalClosure // no close frame: the connection was lost
	CloseNoStatus  = websocket.CloseNoStatusReceived
)

// Kind is the kind of an Event.
type Kind uint8

// The kinds of events a connection produces, in the order a connection can
// produce them: open (only for a connection dialled in the background), then
// messages, pings and pongs, then at most one error, then exactly one close.
const (
	EventOpen Kind = iota
	EventMessage
	EventPing
	EventPong
	EventError
	EventClose
)

// Event is one thing that happened on a connection, as plain Go data: the
// reader goroutine makes it, the runtime turns it into JavaScript.
type Event struct {
	Kind   Kind
	At     time.Time
	Binary bool   // a message: binary rather than text
	Data   []byte // a message, or a ping's or pong's payload
	Code   int    // close: the close code (CloseAbnormal when the connection was lost)
	Reason string // close: the reason; error: the message
	Clean  bool   // close: the closing handshake completed
}

// Conn is one WebSocket connection, made by Dial (on the caller's goroutine) or
// DialAsync (on the connection's own goroutine). It owns one goroutine, which
// dials (DialAsync) and then reads the connection until it ends, pushing every
// frame it reads into Events; Wait waits for it.
//
// Send, Ping and Close are called by the one runtime that uses the connection:
// gorilla/websocket allows one writer (the runtime's goroutine) beside the
// reader, and WriteControl (ping, pong, close) from any goroutine. The
// connection ends:
//
//	by                                  how                                   events
//	the peer's close frame              echoed, then TCP closed               close (Clean, the peer's code)
//	Close (the script)                  close frame, wait ≤ closeTimeout      close (the peer's echo; else CloseAbnormal)
//	the connection lost, a write error  TCP closed                            error, close (CloseAbnormal)
//	Abort (stop, interrupt, call end)   courtesy close frame, TCP closed now  none: the consumer is gone
type Conn struct {
	// Events carries what happened to the runtime.
	Events *stream.Queue[Event]
	// Handshake describes the opening handshake; set when Dial returns, or
	// before the EventOpen (or first EventError) of DialAsync.
	Handshake Handshake

	url     string
	opts    Options
	rec     *recorder
	tags    metrics.Tags // of its samples, with the handshake's status
	counter *stream.CountingConn
	opened  time.Time

	mu          sync.Mutex      // publishes ws and counter to Abort and Close, which may run during the dial
	ws          *websocket.Conn // set once, by the dial
	closedEarly bool            // Close was called during the dial

	stopClose func() bool // stops closeOn's AfterFunc
	finished  bool        // finish has begun: closeOn registers nothing

	done      chan struct{} // closed when the goroutine has ended
	stopAbort func() bool   // stops the context's AfterFunc
	abortOnce sync.Once
	aborted   atomic.Bool
	abortDone chan struct{} // closed when abort has finished

	closeSent atomic.Bool
	writeErr  atomic.Pointer[error] // the first failed write, reported as the error

	pingMu sync.Mutex
	pings  map[string]time.Time // payload → when sent, for ws_ping
	pingN  int
}

// Handshake is the outcome of the opening handshake.
type Handshake struct {
	Status     int               // the HTTP status (101 when it succeeded, 0 without a response)
	Header     map[string]string // the response headers, each list joined with ", "
	Body       string            // the start of the body of a refused handshake
	Protocol   string            // the subprotocol the server chose
	Extensions string            // the extensions the server accepted
	Err        error             // why it failed; nil when the connection is open
}

// HandshakeError is the error of a failed Dial: the handshake, whose Err says
// why it failed.
type HandshakeError struct{ Handshake Handshake }

func (e *HandshakeError) Error() string { return e.Handshake.Err.Error() }
func (e *HandshakeError) Unwrap() error { return e.Handshake.Err }

// Dial opens a connection on the calling goroutine and starts its reader; it
// returns when the handshake has ended. ctx bounds the dial and the
// connection's life: when it ends the connection is aborted at once. The error
// of a failed handshake is a *HandshakeError; the Conn is nil then.
func Dial(ctx context.Context, rawURL string, opts Options, rec *recorder) (*Conn, error) {
	c := newConn(rawURL, opts, rec)
	if !c.dial(ctx) {
		close(c.done)
		return nil, &HandshakeError{c.Handshake}
	}
	c.stopAbort = context.AfterFunc(ctx, c.Abort)
	go c.run(false)
	return c, nil
}

// DialAsync starts a connection whose goroutine dials and then reads it: the
// outcome of the handshake comes as the first event (EventOpen, or EventError
// and EventClose).
func DialAsync(ctx context.Context, rawURL string, opts Options, rec *recorder) *Conn {
	c := newConn(rawURL, opts, rec)
	c.stopAbort = context.AfterFunc(ctx, c.Abort)
	go func() {
		if !c.dial(ctx) {
			c.finish(nil)
			return
		}
		c.run(true)
	}()
	return c
}

func newConn(rawURL string, opts Options, rec *recorder) *Conn {
	return &Conn{Events: stream.New[Event](maxQueued), url: rawURL, opts: opts, rec: rec,
		done: make(chan struct{}), abortDone: make(chan struct{}), pings: map[string]time.Time{}}
}

// URL is the URL the connection was made to.
func (c *Conn) URL() string { return c.url }

// run reads the connection until it ends.
func (c *Conn) run(announce bool) {
	if announce && !c.Events.Push(Event{Kind: EventOpen, At: c.opened}) {
		c.finish(nil)
		return
	}
	c.ws.SetPingHandler(c.onPing)
	c.ws.SetPongHandler(c.onPong)
	c.ws.SetCloseHandler(c.onClose)
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			c.finish(err)
			return
		}
		c.rec.received(c)
		if !c.Events.Push(Event{Kind: EventMessage, At: time.Now(), Binary: typ == websocket.BinaryMessage, Data: data}) {
			c.finish(nil)
			return
		}
	}
}

// onPing answers a ping with a pong (what gorilla's default handler does) and
// reports it; reader goroutine.
func (c *Conn) onPing(data string) error {
	err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
	if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			return err
		}
	}
	c.Events.Push(Event{Kind: EventPing, At: time.Now(), Data: []byte(data)})
	return nil
}

// onPong records the round trip of the ping it answers; reader goroutine.
func (c *Conn) onPong(data string) error {
	now := time.Now()
	c.pingMu.Lock()
	sent, ok := c.pings[data]
	delete(c.pings, data)
	c.pingMu.Unlock()
	if ok {
		c.rec.ping(c, now.Sub(sent))
	}
	c.Events.Push(Event{Kind: EventPong, At: now, Data: []byte(data)})
	return nil
}

// onClose echoes the peer's close frame (unless the script's close already
// went out) and lets ReadMessage return the *websocket.CloseError.
func (c *Conn) onClose(code int, _ string) error {
	if c.closeSent.CompareAndSwap(false, true) {
		echo := code
		if echo == CloseNoStatus {
			echo = CloseNormal
		}
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(echo, ""), time.Now().Add(writeTimeout))
	}
	return nil
}

// finish ends the connection's goroutine: it closes the TCP connection, records
// the session and pushes the last events (none after an abort). err is what
// ended the reading (nil after an abort or a failed handshake).
func (c *Conn) finish(err error) {
	if c.ws != nil {
		_ = c.ws.Close()
		c.rec.flushData(c)
		c.rec.session(c, time.Since(c.opened))
	}
	if c.stopAbort != nil && !c.stopAbort() {
		<-c.abortDone // the context's abort is running: let it end first
	}
	c.mu.Lock()
	c.finished = true
	if c.stopClose != nil {
		c.stopClose() // a Close it started already may still be writing: harmless on a closed connection
	}
	c.mu.Unlock()
	switch {
	case c.aborted.Load():
		c.Events.Abandon()
	case c.ws == nil: // the handshake failed
		c.Events.Finish(Event{Kind: EventError, At: time.Now(), Reason: c.Handshake.Err.Error()},
			Event{Kind: EventClose, At: time.Now(), Code: CloseAbnormal})
	default:
		c.Events.Finish(c.lastEvents(err)...)
	}
	close(c.done)
}

// lastEvents describes how the connection ended.
func (c *Conn) lastEvents(err error) []Event {
	now := time.Now()
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code != CloseAbnormal { // gorilla reports an unexpected EOF as 1006
		return []Event{{Kind: EventClose, At: now, Code: ce.Code, Reason: ce.Text, Clean: true}}
	}
	if werr := c.writeErr.Load(); werr != nil {
		err = *werr
	} else if c.closeSent.Load() {
		return []Event{{Kind: EventClose, At: now, Code: CloseAbnormal}} // no echo within closeTimeout
	}
	msg := "the connection was lost"
	if err != nil {
		msg = "the connection was lost: " + err.Error()
	}
	return []Event{{Kind: EventError, At: now, Reason: msg}, {Kind: EventClose, At: now, Code: CloseAbnormal}}
}

// Send writes one text or binary message. A write that fails (the peer is gone)
// closes the connection: the error comes as events, not from Send, as in
// browsers. Runtime goroutine only.
func (c *Conn) Send(binary bool, data []byte) {
	typ := websocket.TextMessage
	if binary {
		typ = websocket.BinaryMessage
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := c.ws.WriteMessage(typ, data); err != nil {
		c.failWrite(err)
		return
	}
	c.rec.sent(c)
}

// Ping sends a ping whose pong ws_ping times. Runtime goroutine only.
func (c *Conn) Ping() {
	c.pingMu.Lock()
	c.pingN++
	id := strconv.Itoa(c.pingN)
	if len(c.pings) >= maxPings { // a peer that answers no ping: time none of the old ones
		clear(c.pings)
	}
	c.pings[id] = time.Now()
	c.pingMu.Unlock()
	if err := c.ws.WriteControl(websocket.PingMessage, []byte(id), time.Now().Add(writeTimeout)); err != nil {
		c.failWrite(err)
	}
}

// failWrite records a failed write and drops the connection, so that the reader
// reports it.
func (c *Conn) failWrite(err error) {
	if c.closeSent.Load() || c.aborted.Load() {
		return
	}
	c.writeErr.CompareAndSwap(nil, &err)
	_ = c.ws.UnderlyingConn().Close()
}

// Close starts the closing handshake with code and reason: the connection ends
// when the peer echoes it, or closeTimeout later. Calls after the first do
// nothing. Safe from any goroutine.
func (c *Conn) Close(code int, reason string) {
	c.mu.Lock()
	ws, raw := c.ws, c.counter
	if ws == nil { // in the handshake: fail it (error and close events, as browsers do)
		c.closedEarly = true
		c.mu.Unlock()
		if raw != nil {
			_ = raw.Close()
		}
		return
	}
	c.mu.Unlock()
	if !c.closeSent.CompareAndSwap(false, true) {
		return
	}
	err := ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeTimeout))
	if err != nil {
		_ = ws.UnderlyingConn().Close()
		return
	}
	_ = ws.UnderlyingConn().SetReadDeadline(time.Now().Add(closeTimeout))
}

// Abort ends the connection at once, for a consumer that is gone (the VU or
// the script stopping, the call that made it ending): a close frame 1001 is
// sent if it can go out within abortWait, the TCP connection is closed, and no
// more events are delivered. Safe from any goroutine; idempotent.
func (c *Conn) Abort() {
	c.abortOnce.Do(func() {
		defer close(c.abortDone)
		c.mu.Lock()
		c.aborted.Store(true)
		ws, raw := c.ws, c.counter
		c.mu.Unlock()
		c.Events.Abandon()
		switch {
		case ws != nil:
			if c.closeSent.CompareAndSwap(false, true) {
				_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(CloseGoingAway, ""), time.Now().Add(abortWait))
			}
			_ = ws.Close()
		case raw != nil: // in the handshake, which watches no context once connected
			_ = raw.Close()
		}
	})
}

// closeOn closes the connection with code and reason when ctx is done (a stop
// request). Call it once, before the connection can end.
func (c *Conn) closeOn(ctx context.Context, code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.finished {
		c.stopClose = context.AfterFunc(ctx, func() { c.Close(code, reason) })
	}
}

// Stop aborts the connection and waits until its goroutine has ended.
func (c *Conn) Stop() {
	c.Abort()
	c.Wait()
}

// Wait returns when the connection's goroutine has ended.
func (c *Conn) Wait() { <-c.done }
