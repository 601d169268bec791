package ws_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsServer is the WebSocket server of the Go tests. Its /echo endpoint echoes
// every message and obeys text commands:
//
//	close CODE REASON   close the connection with CODE and REASON
//	drop                cut the TCP connection, no close frame
//	ping DATA           send a ping carrying DATA
//	burst N             send the text messages m0 … m(N-1)
//	big N               send one text message of N bytes, in frames of 256 bytes
//	headers             send the handshake's request headers as JSON
//
// /refuse answers 403, /cookie sets a cookie in its handshake, /silent holds the
// connection and says nothing, /ticks sends "tick N" every 5 ms. The server
// reports how each connection ended on ends.
type wsServer struct {
	*httptest.Server
	URL  string // ws://127.0.0.1:port
	ends chan string

	mu    sync.Mutex
	conns []*websocket.Conn
}

var upgrader = websocket.Upgrader{
	Subprotocols:      []string{"chat", "superchat"},
	EnableCompression: true,
	WriteBufferSize:   256, // "big" messages go out in many frames
}

func newWSServer(t *testing.T) *wsServer { return startWSServer(t, (*httptest.Server).Start) }

// newWSSServer is newWSServer over TLS (wss://), with a certificate no one
// trusts; the handshakes refused are not logged.
func newWSSServer(t *testing.T) *wsServer { return startWSServer(t, (*httptest.Server).StartTLS) }

func startWSServer(t *testing.T, start func(*httptest.Server)) *wsServer {
	t.Helper()
	s := &wsServer{ends: make(chan string, 64)}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil, s.echo) })
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, http.Header{"Set-Cookie": {"wsc=fromhandshake; Path=/"}}, s.echo)
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil, s.silent) })
	mux.HandleFunc("/ticks", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, nil, s.ticks) })
	mux.HandleFunc("/refuse", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no entry for you", http.StatusForbidden)
	})
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "httpc", Value: "fromhttp", Path: "/"})
	})
	mux.HandleFunc("/cookies", func(w http.ResponseWriter, r *http.Request) {
		m := map[string]string{}
		for _, c := range r.Cookies() {
			m[c.Name] = c.Value
		}
		_ = json.NewEncoder(w).Encode(m)
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Server.Config.ErrorLog = log.New(io.Discard, "", 0)
	start(s.Server)
	s.URL = "ws" + strings.TrimPrefix(s.Server.URL, "http")
	t.Cleanup(func() {
		s.mu.Lock()
		for _, c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.Server.Close()
	})
	return s
}

func (s *wsServer) serve(w http.ResponseWriter, r *http.Request, h http.Header, handle func(*websocket.Conn, *http.Request) string) {
	c, err := upgrader.Upgrade(w, r, h)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	end := handle(c, r)
	_ = c.Close()
	s.ends <- end
}

// ended describes how a read ended: "close CODE" for a close frame, else
// "lost". (The library reports a connection that ended without a close frame
// as code 1006, which no close frame may carry.)
func ended(err error) string {
	if ce, ok := err.(*websocket.CloseError); ok && ce.Code != websocket.CloseAbnormalClosure {
		return "close " + strconv.Itoa(ce.Code)
	}
	return "lost"
}

func (s *wsServer) echo(c *websocket.Conn, r *http.Request) string {
	for {
		typ, data, err := c.ReadMessage()
		if err != nil {
			return ended(err)
		}
		if typ == websocket.TextMessage {
			if end, done := command(c, r, string(data)); done {
				return end
			} else if end == "handled" {
				continue
			}
		}
		if err := c.WriteMessage(typ, data); err != nil {
			return "lost"
		}
	}
}

// command runs a text command; done when the connection is over.
func command(c *websocket.Conn, r *http.Request, msg string) (string, bool) {
	verb, arg, _ := strings.Cut(msg, " ")
	deadline := time.Now().Add(5 * time.Second)
	switch verb {
	case "close":
		code, reason, _ := strings.Cut(arg, " ")
		n, _ := strconv.Atoi(code)
		_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(n, reason), deadline)
		_, _, err := c.ReadMessage() // the client's echo
		return "server closed, then " + ended(err), true
	case "drop":
		_ = c.UnderlyingConn().Close()
		return "dropped", true
	case "ping":
		_ = c.WriteControl(websocket.PingMessage, []byte(arg), deadline)
	case "burst":
		n, _ := strconv.Atoi(arg)
		for i := range n {
			_ = c.WriteMessage(websocket.TextMessage, []byte("m"+strconv.Itoa(i)))
		}
	case "big":
		n, _ := strconv.Atoi(arg)
		_ = c.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", n)))
	case "headers":
		h := map[string]string{}
		for k := range r.Header {
			h[k] = r.Header.Get(k)
		}
		b, _ := json.Marshal(h)
		_ = c.WriteMessage(websocket.TextMessage, b)
	default:
		return "", false
	}
	return "handled", false
}

func (s *wsServer) silent(c *websocket.Conn, _ *http.Request) string {
	_, _, err := c.ReadMessage() // only control frames answer: no message is ever sent
	return ended(err)
}

func (s *wsServer) ticks(c *websocket.Conn, _ *http.Request) string {
	done := make(chan string, 1)
	go func() {
		_, _, err := c.ReadMessage()
		done <- ended(err)
	}()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case end := <-done:
			return end
		case <-t.C:
			if err := c.WriteMessage(websocket.TextMessage, []byte("tick "+strconv.Itoa(i))); err != nil {
				return <-done
			}
		}
	}
}

// waitEnd returns how the server saw the next connection end, failing t after
// a generous bound against hangs.
func (s *wsServer) waitEnd(t *testing.T) string {
	t.Helper()
	select {
	case e := <-s.ends:
		return e
	case <-time.After(30 * time.Second):
		t.Fatal("the server saw no connection end within 30 s")
		return ""
	}
}
