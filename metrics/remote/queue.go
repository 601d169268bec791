// Package remote holds the outputs that send a run's metrics to the systems
// teams already watch: Prometheus remote write (--out prometheus=URL) and
// InfluxDB v1 line protocol (--out influxdb=URL). Both implement
// metrics.Output.
//
// A backend that is down or slow never slows or fails the test: each
// collection interval is encoded on the collector's goroutine and queued
// without blocking; one sender goroutine per output writes the queue out,
// each write bounded by a timeout. When the queue is full the interval is
// dropped and counted. Close gives what is queued a bounded time to go out,
// then reports the writes that failed and the intervals that were dropped.
//
// The encodings use the backends' own libraries: the remote-write protobuf
// types of Prometheus (prompb) compressed with snappy, and InfluxData's line
// protocol encoder.
package remote

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jsload/jsload/metrics"
)

// Bounds of a queue.
const (
	// queueSize is how many encoded intervals wait for the backend: a
	// minute of collection intervals.
	queueSize = 60
	// writeTimeout bounds one write to the backend.
	writeTimeout = 5 * time.Second
	// flushTimeout bounds how long Close waits for the queue to drain.
	flushTimeout = 3 * time.Second
)

// queue sends encoded payloads to a backend on a goroutine of its own.
type queue struct {
	name  string // "prometheus", "influxdb": for messages
	send  func(ctx context.Context, payload []byte) error
	flush time.Duration

	ctx    context.Context // cancelled when Close gives up on the queue
	cancel context.CancelFunc
	ch     chan []byte
	ended  chan struct{} // closed when the sender goroutine returns

	mu       sync.Mutex // guards what follows, and ch against a send after close
	closed   bool
	closeErr error
	queued   int // payloads accepted into the queue
	sent     int
	failed   int // writes the backend refused or that failed
	dropped  int // payloads not queued (queue full) or never sent (Close gave up)
	lastErr  error
}

// newQueue starts the sender goroutine; Close stops it.
func newQueue(name string, send func(context.Context, []byte) error) *queue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &queue{name: name, send: send, flush: flushTimeout, ctx: ctx, cancel: cancel,
		ch: make(chan []byte, queueSize), ended: make(chan struct{})}
	go q.run()
	return q
}

// push queues payload without blocking; a full queue drops it.
func (q *queue) push(payload []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return metrics.ErrOutputClosed
	}
	select {
	case q.ch <- payload:
		q.queued++
	default:
		q.dropped++
	}
	return nil
}

func (q *queue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

func (q *queue) run() {
	defer close(q.ended)
	for p := range q.ch {
		if q.ctx.Err() != nil { // Close gave up: count the rest as dropped
			q.count(nil, true)
			continue
		}
		ctx, cancel := context.WithTimeout(q.ctx, writeTimeout)
		err := q.send(ctx, p)
		cancel()
		q.count(err, false)
	}
}

func (q *queue) count(err error, dropped bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case dropped:
		q.dropped++
	case err != nil:
		q.failed++
		q.lastErr = err
	default:
		q.sent++
	}
}

// Close stops accepting payloads, gives the queued ones up to the flush
// timeout to be written, and returns an error saying how many writes failed
// and how many intervals were dropped, or nil when all went out. It is
// idempotent and returns the same result every time.
func (q *queue) Close() error {
	q.mu.Lock()
	if q.closed {
		defer q.mu.Unlock()
		return q.closeErr
	}
	q.closed = true
	close(q.ch)
	q.mu.Unlock()

	timer := time.NewTimer(q.flush)
	select {
	case <-q.ended:
	case <-timer.C:
		q.cancel() // aborts the write in flight; the rest are dropped
		<-q.ended
	}
	timer.Stop()
	q.cancel()

	q.mu.Lock()
	defer q.mu.Unlock()
	q.closeErr = q.summary()
	return q.closeErr
}

// summary reports what did not reach the backend; q.mu is held.
func (q *queue) summary() error {
	if q.failed == 0 && q.dropped == 0 {
		return nil
	}
	total := q.sent + q.failed + q.dropped
	var parts []string
	if q.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d writes failed (last: %v)", q.failed, total, q.lastErr))
	}
	if q.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d intervals dropped (the backend was too slow or down)", q.dropped, total))
	}
	return fmt.Errorf("%s output: %s; the test itself was not affected", q.name, strings.Join(parts, ", "))
}
