package demo

import (
	"bufio"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// noKeepAlive leaves no idle connection (and no goroutine) behind.
var noKeepAlive = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// streamAPI serves an API on a clock the test moves, and closes both at the end.
func streamAPI(t *testing.T) (*API, *clock, string) {
	t.Helper()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	api := NewAPI(Config{Seed: 3, Tick: time.Millisecond, Now: clk.now})
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		srv.Close()
		api.Close()
	})
	return api, clk, srv.URL
}

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http"), nil)
	if err != nil {
		t.Fatalf("dial %s: %v (%v)", url, err, resp)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second)) // against hangs
	return c
}

// next reads one JSON message into a map.
func next(t *testing.T, c *websocket.Conn) map[string]any {
	t.Helper()
	var m map[string]any
	if err := c.ReadJSON(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWSPrices(t *testing.T) {
	t.Parallel()
	api, clk, url := streamAPI(t)
	c := dial(t, url+"/ws/prices?symbol=acme")
	first := next(t, c)
	if first["symbol"] != "ACME" || first["seq"] != 0.0 || first["price"] != api.Price("ACME", 0) {
		t.Fatalf("first tick %v", first)
	}
	clk.add(time.Millisecond)
	if m := next(t, c); m["seq"] != 1.0 {
		t.Fatalf("after one tick: %v, want seq 1", m)
	}
	_ = c.WriteJSON(map[string]string{"action": "pause"})
	if m := next(t, c); m["ack"] != "pause" {
		t.Fatalf("got %v, want the pause acknowledged", m)
	}
	clk.add(5 * time.Millisecond) // paused: no tick is sent for these
	_ = c.WriteJSON(map[string]string{"action": "resume"})
	if m := next(t, c); m["ack"] != "resume" {
		t.Fatalf("got %v while paused, want the resume acknowledged", m)
	}
	if m := next(t, c); m["seq"] != 6.0 {
		t.Fatalf("after resuming: %v, want the current tick, seq 6", m)
	}
}

func TestWSPricesLimitAndShutdown(t *testing.T) {
	t.Parallel()
	api, clk, url := streamAPI(t)
	c := dial(t, url+"/ws/prices?limit=2")
	next(t, c)
	clk.add(time.Millisecond)
	next(t, c)
	var ce *websocket.CloseError
	if _, _, err := c.ReadMessage(); !errors.As(err, &ce) || ce.Code != websocket.CloseNormalClosure || ce.Text != "limit reached" {
		t.Fatalf("after the limit: %v, want close 1000 limit reached", err)
	}
	echo := dial(t, url+"/ws/echo")
	_ = echo.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3})
	if typ, b, err := echo.ReadMessage(); err != nil || typ != websocket.BinaryMessage || string(b) != "\x01\x02\x03" {
		t.Fatalf("echo: %d %q %v", typ, b, err)
	}
	read := make(chan error, 1)
	go func() { // reading, the client answers the server's close frame
		_, _, err := echo.ReadMessage()
		read <- err
	}()
	api.Close() // the server stopping ends its streams
	if err := <-read; !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("after Close: %v, want close 1001", err)
	}
	resp, err := noKeepAlive.Get(url + "/sse/prices")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a stream after Close: %s, want 503", resp.Status)
	}
}

// sseEvents reads an event stream to its end: "id data" per event.
func sseEvents(t *testing.T, url, lastID string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := noKeepAlive.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	var out []string
	var id string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			id = v
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			var tk tick
			if err := json.Unmarshal([]byte(v), &tk); err != nil {
				t.Fatalf("data %q: %v", v, err)
			}
			out = append(out, id+" "+tk.Symbol)
		}
	}
	return out
}

func TestSSEPrices(t *testing.T) {
	t.Parallel()
	_, clk, url := streamAPI(t)
	clk.add(10 * time.Millisecond) // seq 10
	if got := sseEvents(t, url+"/sse/prices?symbol=X1&limit=1", ""); strings.Join(got, ",") != "10 X1" {
		t.Errorf("a new stream: %q, want the current tick, 10", got)
	}
	if got := sseEvents(t, url+"/sse/prices?symbol=X1&limit=3", "5"); strings.Join(got, ",") != "6 X1,7 X1,8 X1" {
		t.Errorf("Last-Event-ID 5: %q, want the ticks after it replayed", got)
	}
	resp, err := noKeepAlive.Get(url + "/sse/prices?symbol=bad-one")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad symbol: %s, want 400", resp.Status)
	}
}
