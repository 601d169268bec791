package demo

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is the demo API listening on a loopback address.
type Server struct {
	// API is the API served, e.g. to read the number of orders.
	API *API

	srv    *http.Server
	url    string
	done   chan struct{}
	once   sync.Once
	closed error
}

// Start serves the demo API with the default configuration on addr, which must be
// a loopback address ("127.0.0.1:0" picks a free port). It returns once the server
// accepts connections; Close stops it.
func Start(addr string) (*Server, error) { return StartAPI(addr, NewAPI(Config{})) }

// StartAPI is Start serving api.
func StartAPI(addr string, api *API) (*Server, error) {
	if err := CheckAddr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen on %s: %w", addr, err)
	}
	s := &Server{
		API:  api,
		srv:  &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second},
		url:  "http://" + ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// CheckAddr refuses addresses Start does not serve on: anything but host:port on a
// loopback address, which other machines could reach. The demo is a target for
// local load tests, not a service.
func CheckAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo: invalid address %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("demo: refusing to listen on %q: the demo serves on a loopback address only, e.g. 127.0.0.1:8080", addr)
}

// URL is the base URL of the server, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.url }

// Close stops the server at once: listeners and connections are closed (a request
// waiting in /delay ends), and it returns when the serving goroutine has.
// Idempotent.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.closed = s.srv.Close()
		s.API.Close() // the streams: http.Server.Close forgets hijacked connections
		<-s.done
		if errors.Is(s.closed, http.ErrServerClosed) {
			s.closed = nil
		}
	})
	return s.closed
}
