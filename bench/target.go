//go:build linux

package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serveTarget is the `target` mode of this program: a minimal HTTP server on
// 127.0.0.1 that the suite starts as a separate process, so it can be pinned to its
// own core. It prints its address on stdout and serves until killed.
//
//	/bytes?n=100   n bytes of body
//	/delay?ms=100  answers after ms milliseconds (see delayer)
func serveTarget() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	body := []byte(strings.Repeat("x", 1<<16))
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
	fmt.Println(ln.Addr().String())
	return http.Serve(ln, mux)
}

// target is the target process as the suite sees it.
type target struct {
	cmd  *exec.Cmd
	base string
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
	buf := make([]byte, 64)
	n, err := out.Read(buf)
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("target did not start: %w", err)
	}
	return &target{cmd: cmd, base: "http://" + strings.TrimSpace(string(buf[:n]))}, nil
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
