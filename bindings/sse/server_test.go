package sse_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// sseServer is the event-stream server of the tests:
//
//	/events?n=N&per=P   events 1…N (ids 1…N; even ids are named "price"), P per
//	                    connection, then the stream ends; a reconnection with
//	                    Last-Event-ID L goes on from L+1; once all are sent, 204
//	                    (the standard's "do not reconnect"). retry: 10 first.
//	/raw?body=B         the body B as it is (comments, CRLF, multi-line data…)
//	/hold               an event every 5 ms until the client goes
//	/refuse             500; /text: 200 with text/plain
//
// It records every Last-Event-ID header received, and each /hold client leaving.
type sseServer struct {
	*httptest.Server
	mu      sync.Mutex
	lastIDs []string
	left    chan struct{}
}

func newSSEServer(t *testing.T) *sseServer {
	t.Helper()
	s := &sseServer{left: make(chan struct{}, 16)}
	mux := http.NewServeMux()
	mux.HandleFunc("/events", s.events)
	mux.HandleFunc("/raw", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		_, _ = io.WriteString(w, r.URL.Query().Get("body"))
	})
	mux.HandleFunc("/hold", s.hold)
	mux.HandleFunc("/refuse", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "not a stream")
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Server.Close)
	return s
}

func (s *sseServer) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("n"))
	per, _ := strconv.Atoi(q.Get("per"))
	last := r.Header.Get("Last-Event-ID")
	s.mu.Lock()
	s.lastIDs = append(s.lastIDs, last)
	s.mu.Unlock()
	from, _ := strconv.Atoi(last)
	if from >= n {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	_, _ = io.WriteString(w, "retry: 10\n: a comment\n\n")
	for id := from + 1; id <= n && id <= from+per; id++ {
		if id%2 == 0 {
			_, _ = io.WriteString(w, "event: price\n")
		}
		fmt.Fprintf(w, "id: %d\ndata: event %d\n\n", id, id)
	}
}

func (s *sseServer) hold(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	defer func() { s.left <- struct{}{} }()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		fmt.Fprintf(w, "id: %d\ndata: tick %d\n\n", i, i)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
	}
}

// seenLastIDs returns the Last-Event-ID headers received so far.
func (s *sseServer) seenLastIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lastIDs...)
}

// waitLeft waits for a /hold client to leave, failing t after a generous bound.
func (s *sseServer) waitLeft(t *testing.T) {
	t.Helper()
	select {
	case <-s.left:
	case <-time.After(30 * time.Second):
		t.Fatal("the /hold client did not leave within 30 s")
	}
}
