package scheduler

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// ErrorLog reports script errors once per distinct message: the first occurrence is
// written at once, later ones are only counted, and Summary lists the counts. Safe
// for concurrent use; only the error path takes its lock.
type ErrorLog struct {
	mu     sync.Mutex
	w      io.Writer
	counts map[string]int
	order  []string
}

// NewErrorLog returns a log writing to w (nil discards the immediate lines).
func NewErrorLog(w io.Writer) *ErrorLog {
	return &ErrorLog{w: w, counts: map[string]int{}}
}

// Add records one error; what names where it happened ("VU 3, iteration 7").
func (l *ErrorLog) Add(what string, err error) {
	msg := err.Error()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts[msg]++
	if l.counts[msg] > 1 {
		return
	}
	l.order = append(l.order, msg)
	if l.w != nil {
		fmt.Fprintf(l.w, "ERROR %s: %s\n", what, indentMore(msg))
	}
}

// Total returns how many errors were recorded.
func (l *ErrorLog) Total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.counts {
		n += c
	}
	return n
}

// Summary writes one line per distinct error with its count, most frequent first.
func (l *ErrorLog) Summary(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.order) == 0 {
		return
	}
	msgs := append([]string(nil), l.order...)
	sort.SliceStable(msgs, func(i, j int) bool { return l.counts[msgs[i]] > l.counts[msgs[j]] })
	fmt.Fprintln(w, "errors:")
	for _, m := range msgs {
		fmt.Fprintf(w, "  %6d× %s\n", l.counts[m], indentMore(firstLine(m)))
	}
}

func indentMore(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// ErrorCount is one distinct error message and how often it was recorded.
type ErrorCount struct {
	Message string
	Count   int
}

// Messages returns every distinct error message with its count, in the order
// they first happened.
func (l *ErrorLog) Messages() []ErrorCount {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]ErrorCount, len(l.order))
	for i, m := range l.order {
		out[i] = ErrorCount{m, l.counts[m]}
	}
	return out
}
