//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serveTarget is the `target` mode of this program: a minimal HTTP server on
// 127.0.0.1 that the suite starts as a separate process, so it can be pinned to its
// own core. It serves the same routes on three listeners, plain HTTP, TLS with
// HTTP/1.1 only and TLS offering HTTP/2 (a self-signed certificate: clients
// skip its verification), prints their addresses on stdout, one a line in that
// order, and serves until killed.
//
//	/bytes?n=100   n bytes of body (up to 1 MiB)
//	/delay?ms=100  answers after ms milliseconds (see delayer)
//	/login         a POST of {"user","password"}: {"token": "..."}
//	/items         with "Authorization: Bearer <token>": a JSON list of 10 items
func serveTarget() error {
	mux := targetMux()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	tls1 := httptest.NewUnstartedServer(mux)
	tls1.Config.ErrorLog = log.New(io.Discard, "", 0)
	tls1.StartTLS()
	tls2 := httptest.NewUnstartedServer(mux)
	tls2.EnableHTTP2 = true
	tls2.Config.ErrorLog = log.New(io.Discard, "", 0)
	tls2.StartTLS()
	fmt.Println(ln.Addr().String())
	fmt.Println(tls1.Listener.Addr().String())
	fmt.Println(tls2.Listener.Addr().String())
	return http.Serve(ln, mux)
}

// targetMux is the target's routes.
func targetMux() *http.ServeMux {
	body := []byte(strings.Repeat("x", 1<<20))
	mux := http.NewServeMux()
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > len(body) {
			n = 100
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(body[:n])
	})
	delays := newDelayer()
	mux.HandleFunc("/delay", func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		delays.wait(r.Context(), arrived.Add(time.Duration(min(ms, 10000))*time.Millisecond))
		_, _ = w.Write([]byte("ok"))
	})
	const token = "4f1c2e0a9b8d7c6e5f4a3b2c1d0e9f8a"
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		var cred struct{ User, Password string }
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&cred) != nil || cred.User == "" {
			http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token":"`+token+`","user":"`+cred.User+`"}`)
	})
	var items strings.Builder
	items.WriteString(`{"items":[`)
	for i := range 10 {
		if i > 0 {
			items.WriteByte(',')
		}
		fmt.Fprintf(&items, `{"id":%d,"name":"product %d","price":%d.99,"stock":%d}`, i+1, i+1, 10+i, 100-i)
	}
	items.WriteString(`],"total":10}`)
	list := items.String()
	mux.HandleFunc("/items", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"no token"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, list)
	})
	return mux
}

// target is the target process as the suite sees it.
type target struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	tls1 string // https://, HTTP/1.1 only
	tls2 string // https://, offering HTTP/2
}

// startTarget runs this program in target mode, pinned to cpu when taskset is set.
func startTarget(taskset, cpu string) (*target, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	name, args := self, []string{"target"}
	if taskset != "" && cpu != "" {
		name, args = taskset, []string{"-c", cpu, self, "target"}
	}
	cmd := exec.Command(name, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := bufio.NewScanner(out)
	var addrs []string
	for len(addrs) < 3 && lines.Scan() {
		addrs = append(addrs, strings.TrimSpace(lines.Text()))
	}
	if len(addrs) < 3 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("target did not start: %v", lines.Err())
	}
	return &target{cmd: cmd, base: "http://" + addrs[0], tls1: "https://" + addrs[1], tls2: "https://" + addrs[2]}, nil
}

// cpu is the target's CPU time so far, for telling its load from other processes'.
// It reads /proc, since the target still runs.
func (t *target) cpu() time.Duration {
	if t == nil || t.cmd == nil || t.cmd.Process == nil {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", t.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

func (t *target) stop() {
	if t != nil && t.cmd != nil && t.cmd.Process != nil {
		_ = t.cmd.Process.Signal(syscall.SIGTERM)
		_ = t.cmd.Wait()
	}
}
