//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// goFloor is the `goclient` mode of this program: the simplest Go client that
// gives each connection a goroutine, as jsload gives each VU one. Each of -c
// goroutines writes the same GET on its kept-alive connection and reads the
// answer's head and Content-Length body through a bufio.Reader, with no
// parsing beyond that, no timing and no metrics, for -d; then it prints "N
// requests". The cpu figures run it beside wrk for a plain GET: the difference
// between the two is about what Go's runtime costs (its scheduler, its
// network poller, the system calls of a read that finds nothing yet), the
// part of jsload's figure that is not jsload's own. (jsload's transport waits
// for the answer before reading it, which saves that empty read.)
func goFloor(args []string) error {
	fs := flag.NewFlagSet("goclient", flag.ContinueOnError)
	conns := fs.Int("c", 50, "connections, one goroutine each")
	dur := fs.Duration("d", 10*time.Second, "how long to run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: bench goclient [-c 50] [-d 10s] http://127.0.0.1:port/path")
	}
	u, err := url.Parse(fs.Arg(0))
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("goclient: want an http:// URL, got %q", fs.Arg(0))
	}
	req := []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n\r\n")
	deadline := time.Now().Add(*dur)
	var total atomic.Int64
	errs := make(chan error, *conns)
	var wg sync.WaitGroup
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := floorLoop(u.Host, req, deadline)
			total.Add(n)
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("goclient: %w", err)
	}
	fmt.Printf("%d requests\n", total.Load())
	return nil
}

// floorLoop sends req on one connection to addr until deadline, reading each
// answer, and returns how many it read.
func floorLoop(addr string, req []byte, deadline time.Time) (int64, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	br := bufio.NewReaderSize(c, 64<<10)
	var n int64
	for time.Now().Before(deadline) {
		if _, err := c.Write(req); err != nil {
			return n, err
		}
		length := int64(-1)
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return n, err
			}
			if len(line) <= 2 { // the empty line that ends the head
				break
			}
			if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
				if length, err = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64); err != nil {
					return n, fmt.Errorf("bad Content-Length %q", v)
				}
			}
		}
		if length < 0 {
			return n, errors.New("an answer without Content-Length: goclient reads only those")
		}
		if _, err := br.Discard(int(length)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
