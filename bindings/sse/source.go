package sse

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jsload/jsload/bindings/internal/stream"
)

// maxQueued is how many events wait for the script before the reader stops
// reading (back-pressure through TCP).
const maxQueued = 1024

// errClosed is the cause that ends a source closed by its script (close(), a
// stop request): it ends with its queue finished, not abandoned.
var errClosed = errors.New("the event source was closed")

// Kind is the kind of an Event.
type Kind uint8

// The kinds of events a source produces: open for each connection made, a
// message per event of the stream, an error for each connection lost or
// refused (Reconnecting says whether another attempt follows), and closed, last.
const (
	EventOpen Kind = iota
	EventMessage
	EventError
	EventClosed
)

// Event is what happened on a source, as plain Go data.
type Event struct {
	Kind         Kind
	At           time.Time
	Type         string // a message's event type ("message" by default)
	Data         string
	LastID       string // the last event ID after this event
	Reason       string // an error's message
	Status       int    // an error's HTTP status (0 without a response)
	Reconnecting bool   // an error: the source reconnects after its reconnection time
}

// Source is one EventSource connection, reconnected as the standard says. It
// owns one goroutine, which connects, reads and reconnects, pushing events
// into Events. Close ends it gracefully (its queue finishes); the end of the
// context it was made with ends it at once (its queue is abandoned).
type Source struct {
	// Events carries what happened to the runtime.
	Events *stream.Queue[Event]

	url       string
	opts      Options
	rec       *recorder
	ctx       context.Context
	cancel    context.CancelCauseFunc
	done      chan struct{}
	stopClose func() bool // stops the stop request's AfterFunc; nil without one
	client    *http.Client
	count     atomic.Pointer[stream.CountingConn] // the connection now; net/http dials on a goroutine of its own
	retry     atomic.Int64                        // the reconnection time in ns, changed by retry: fields
}

// start makes a source and starts its goroutine; stopReq, when not nil, closes
// it when done (a background script's stop request).
func start(parent, stopReq context.Context, rawURL string, opts Options, rec *recorder) *Source {
	ctx, cancel := context.WithCancelCause(parent)
	s := &Source{Events: stream.New[Event](maxQueued), url: rawURL, opts: opts, rec: rec, ctx: ctx,
		cancel: cancel, done: make(chan struct{})}
	s.retry.Store(int64(opts.Retry))
	s.client = &http.Client{Jar: opts.Jar, Transport: s.transport()}
	if stopReq != nil {
		s.stopClose = context.AfterFunc(stopReq, s.Close)
	}
	go s.run()
	return s
}

// transport is the source's own: keep-alive off (a stream holds its
// connection; none is left idle), bytes counted for data_sent/data_received.
func (s *Source) transport() *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if s.opts.Resolve != nil {
				addr = s.opts.Resolve(addr)
			}
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			cc := &stream.CountingConn{Conn: c}
			s.count.Store(cc)
			return cc, nil
		},
		DisableKeepAlives:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: s.opts.Timeout,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       s.tlsConfig(),
	}
}

func (s *Source) tlsConfig() *tls.Config {
	cfg := &tls.Config{}
	if s.opts.TLS != nil {
		cfg = s.opts.TLS.Clone()
	}
	cfg.InsecureSkipVerify = s.opts.Insecure //nolint:gosec // only when the script asks
	return cfg
}

// URL is the source's URL.
func (s *Source) URL() string { return s.url }

// Close stops the source gracefully: no reconnection, its queue finishes. Safe
// from any goroutine.
func (s *Source) Close() { s.cancel(errClosed) }

// Stop ends the source at once and waits for its goroutine. Its queue is
// abandoned: call it when the call that opened it has ended.
func (s *Source) Stop() {
	s.cancel(context.Canceled)
	<-s.done
}

// run is the source's goroutine: connect, read, wait, reconnect.
func (s *Source) run() {
	defer close(s.done)
	if s.stopClose != nil {
		defer s.stopClose()
	}
	lastID := ""
	for {
		again, id := s.connection(lastID)
		lastID = id
		if !again || !s.wait() {
			break
		}
	}
	if errors.Is(context.Cause(s.ctx), errClosed) || s.ctx.Err() == nil {
		s.Events.Finish(Event{Kind: EventClosed, At: time.Now(), LastID: lastID})
	} else {
		s.Events.Abandon()
	}
	s.cancel(nil)
}

// wait sleeps the reconnection time; false when the source ended meanwhile.
func (s *Source) wait() bool {
	t := time.NewTimer(time.Duration(s.retry.Load()))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// connection makes one connection and reads it to its end. It returns whether
// to reconnect, and the last event ID.
func (s *Source) connection(lastID string) (bool, string) {
	req, err := http.NewRequestWithContext(s.ctx, s.opts.Method, s.url, s.body())
	if err != nil {
		s.fail(0, err.Error(), false)
		return false, lastID
	}
	req.Header = s.opts.Header.Clone()
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-store")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	begin := time.Now()
	resp, err := s.client.Do(req)
	if s.ctx.Err() != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return false, lastID
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	tags := s.rec.connected(s, status, time.Since(begin))
	if err != nil {
		s.fail(0, fmt.Sprintf("connect %s: %v", s.url, errors.Unwrap(err)), s.opts.Reconnect)
		return s.opts.Reconnect, lastID
	}
	defer resp.Body.Close()
	if reason := refusal(resp); reason != "" {
		s.fail(status, fmt.Sprintf("connect %s: %s", s.url, reason), false)
		return false, lastID
	}
	if !s.Events.Push(Event{Kind: EventOpen, At: time.Now(), LastID: lastID}) {
		return false, lastID
	}
	lastID, err = s.read(resp.Body, lastID, tags)
	s.rec.flushData(s, tags)
	if s.ctx.Err() != nil {
		return false, lastID
	}
	msg := "the server ended the stream"
	if err != nil && !errors.Is(err, io.EOF) {
		msg = "the stream was lost: " + err.Error()
	}
	s.fail(status, msg, s.opts.Reconnect)
	return s.opts.Reconnect, lastID
}

// read dispatches the events of one connection's body until it ends.
func (s *Source) read(body io.Reader, lastID string, tags tagSet) (string, error) {
	p := newParser(body, lastID)
	for {
		m, err := p.next()
		if p.retry >= 0 {
			s.retry.Store(p.retry * int64(time.Millisecond))
			p.retry = -1
		}
		if err != nil {
			return p.lastID, err
		}
		s.rec.event(s, tags)
		if !s.Events.Push(Event{Kind: EventMessage, At: time.Now(), Type: m.typ, Data: m.data, LastID: m.id}) {
			return p.lastID, s.ctx.Err()
		}
	}
}

// refusal says why a response cannot be read as an event stream, or "".
func refusal(resp *http.Response) string {
	if resp.StatusCode != http.StatusOK {
		return "the server answered HTTP " + strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode) + ", not 200 OK"
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "text/event-stream" {
		return fmt.Sprintf("the response's Content-Type is %q, not text/event-stream", resp.Header.Get("Content-Type"))
	}
	return ""
}

// fail reports a connection that failed or ended.
func (s *Source) fail(status int, reason string, reconnecting bool) {
	s.Events.Push(Event{Kind: EventError, At: time.Now(), Reason: reason, Status: status, Reconnecting: reconnecting})
}

func (s *Source) body() io.Reader {
	if s.opts.Body == "" {
		return nil
	}
	return strings.NewReader(s.opts.Body)
}
