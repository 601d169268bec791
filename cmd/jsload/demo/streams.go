package demo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// maxReplay bounds the ticks an event stream replays after a Last-Event-ID.
const maxReplay = 100

// streams tracks the API's long-lived responses (WebSockets, event streams),
// which http.Server.Close does not end (it forgets hijacked connections and
// does not wait for handlers): close ends them and waits for their handlers.
type streams struct {
	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by close
	wg     sync.WaitGroup
}

// enter registers a stream handler; false once the API is closing.
func (s *streams) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if s.done == nil {
		s.done = make(chan struct{})
	}
	s.wg.Add(1)
	return true
}

func (s *streams) leave() { s.wg.Done() }

// closing is done once close was called; enter first.
func (s *streams) closing() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// close ends every stream and waits for their handlers. Idempotent.
func (s *streams) close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		if s.done == nil {
			s.done = make(chan struct{})
		}
		close(s.done)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Close ends the API's open streams (WebSockets, event streams) and waits for
// their handlers; later stream requests get 503. Server.Close calls it.
func (a *API) Close() { a.streams.close() }

var upgrader = websocket.Upgrader{
	CheckOrigin:       func(*http.Request) bool { return true }, // load-test clients send any Origin
	EnableCompression: true,
}

// tick is one price message of the streams.
type tick struct {
	Symbol string  `json:"symbol"`
	Price  float64 `json:"price"`
	Seq    int64   `json:"seq"`
}

// streamParams reads ?symbol= and ?limit= of a stream request.
func streamParams(w http.ResponseWriter, r *http.Request) (string, int64, bool) {
	sym := strings.ToUpper(r.URL.Query().Get("symbol"))
	if sym == "" {
		sym = "JSL"
	}
	if !validSymbol(sym) {
		writeError(w, http.StatusBadRequest, "want ?symbol= of 1 to 8 letters or digits, e.g. ?symbol=JSL")
		return "", 0, false
	}
	var limit int64
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "want ?limit= a number of messages ≥ 1")
			return "", 0, false
		}
		limit = n
	}
	return sym, limit, true
}

// wsPrices streams the ticker over a WebSocket: one JSON tick each time the
// price moves (the current one first). The client may send {"action":"pause"}
// and {"action":"resume"}, each acknowledged with {"ack":"pause"|"resume"} once
// in force; with ?limit=N the server closes (1000) after N ticks.
func (a *API) wsPrices(w http.ResponseWriter, r *http.Request) {
	sym, limit, ok := streamParams(w, r)
	if !ok || !a.enterStream(w) {
		return
	}
	defer a.streams.leave()
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	actions, stop, readDone := make(chan string), make(chan struct{}), make(chan struct{})
	go readActions(c, actions, stop, readDone) // owned: the handler waits for it
	defer func() {
		close(stop)
		<-readDone
	}()
	t := time.NewTicker(a.tick)
	defer t.Stop()
	paused, sent, last := false, int64(0), int64(-1)
	for {
		if seq := a.Seq(); seq != last && !paused {
			last = seq
			if !sendJSON(c, tick{sym, a.Price(sym, seq), seq}) {
				return
			}
			if sent++; limit > 0 && sent >= limit {
				closeWS(c, websocket.CloseNormalClosure, "limit reached")
				return
			}
		}
		select {
		case act, ok := <-actions:
			if !ok {
				return
			}
			paused = act == "pause"
			if !sendJSON(c, map[string]string{"ack": act}) {
				return
			}
		case <-a.streams.closing():
			closeWS(c, websocket.CloseGoingAway, "the demo server is stopping")
			return
		case <-t.C:
		}
	}
}

// readActions reads a price stream's client messages and hands its pause and
// resume actions to the handler, until the connection ends (then it closes
// actions) or stop is closed; it closes done when it returns.
func readActions(c *websocket.Conn, actions chan<- string, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	defer close(actions)
	for {
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		var cmd struct{ Action string }
		if json.Unmarshal(msg, &cmd) == nil && (cmd.Action == "pause" || cmd.Action == "resume") {
			select {
			case actions <- cmd.Action:
			case <-stop:
				return
			}
		}
	}
}

// sendJSON sends v as a text message; false when the connection is gone.
func sendJSON(c *websocket.Conn, v any) bool {
	_ = c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if c.WriteJSON(v) != nil {
		_ = c.Close()
		return false
	}
	return true
}

// closeWS sends a close frame; the reader sees the echo (or gives up) and ends.
func closeWS(c *websocket.Conn, code int, reason string) {
	_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
}

// wsEcho echoes every message, text or binary, until the client closes.
func (a *API) wsEcho(w http.ResponseWriter, r *http.Request) {
	if !a.enterStream(w) {
		return
	}
	defer a.streams.leave()
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait() // after close(stop), deferred below
	defer close(stop)
	wg.Go(func() {
		select {
		case <-a.streams.closing():
			closeWS(c, websocket.CloseGoingAway, "the demo server is stopping")
		case <-stop:
		}
	})
	for {
		typ, msg, err := c.ReadMessage()
		if err != nil || c.WriteMessage(typ, msg) != nil {
			return
		}
	}
}

// ssePrices streams the ticker as Server-Sent Events named "price", with the
// tick's seq as id: a reconnection with Last-Event-ID replays the ticks missed
// (at most maxReplay). With ?limit=N the response ends after N events, for the
// client to reconnect.
func (a *API) ssePrices(w http.ResponseWriter, r *http.Request) {
	sym, limit, ok := streamParams(w, r)
	if !ok || !a.enterStream(w) {
		return
	}
	defer a.streams.leave()
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, "retry: 500\n\n")
	next := a.Seq()
	if id, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64); err == nil {
		next = max(id+1, next-maxReplay)
	}
	t := time.NewTicker(a.tick)
	defer t.Stop()
	var sent int64
	for {
		for ; next <= a.Seq(); next++ {
			b, _ := json.Marshal(tick{sym, a.Price(sym, next), next})
			if _, err := fmt.Fprintf(w, "event: price\nid: %d\ndata: %s\n\n", next, b); err != nil {
				return
			}
			if sent++; limit > 0 && sent >= limit {
				return
			}
		}
		if fl != nil {
			fl.Flush()
		}
		select {
		case <-r.Context().Done():
			return
		case <-a.streams.closing():
			return
		case <-t.C:
		}
	}
}

func (a *API) enterStream(w http.ResponseWriter) bool {
	if !a.streams.enter() {
		writeError(w, http.StatusServiceUnavailable, "the demo server is stopping")
		return false
	}
	return true
}
