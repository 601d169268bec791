package ws

import (
	"slices"
	"time"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	wsbind "github.com/jsload/jsload/bindings/ws"
)

// loop runs the socket's events and timers, in order, on the runtime's
// goroutine, until its close event has run. A handler's exception ends it
// (connect then stops the socket and throws it); so does the end of the
// runtime's context, which has cut the socket already.
func (s *socket) loop() error {
	h := s.m.cl.Host()
	ctx := h.Context()
	for {
		wait := time.Duration(0) // no timer: wait for the next event
		if t := s.nextTimer(); t != nil {
			if wait = time.Until(t.due); wait <= 0 {
				if err := s.fire(t); err != nil {
					return err
				}
				continue
			}
		}
		ev, ok, err := s.conn.Events.Next(ctx, wait)
		switch {
		case err != nil:
			bindings.WaitFailed(h, ctx, err)
			return err
		case !ok && s.conn.Events.Ended():
			return nil
		case !ok:
			continue // a timer is due
		}
		if err := s.handle(&ev); err != nil {
			return err
		}
		if ev.Kind == wsbind.EventClose {
			return nil
		}
	}
}

func (s *socket) nextTimer() *timer {
	if len(s.timers) == 0 {
		return nil
	}
	return slices.MinFunc(s.timers, func(a, b *timer) int { return a.due.Compare(b.due) })
}

func (s *socket) fire(t *timer) error {
	if t.interval > 0 {
		t.due = t.due.Add(t.interval)
		if now := time.Now(); t.due.Before(now) {
			t.due = now.Add(t.interval) // late: no burst of catch-up calls
		}
	} else {
		s.timers = slices.DeleteFunc(s.timers, func(x *timer) bool { return x == t })
	}
	_, err := t.fn(goja.Undefined())
	return err
}

// handle dispatches one event to the k6 handlers, with k6's arguments.
func (s *socket) handle(ev *wsbind.Event) error {
	rt := s.m.rt
	switch ev.Kind {
	case wsbind.EventMessage:
		if ev.Binary {
			return s.emit("binaryMessage", rt.ToValue(rt.NewArrayBuffer(ev.Data)))
		}
		return s.emit("message", rt.ToValue(string(ev.Data)))
	case wsbind.EventPing:
		return s.emit("ping")
	case wsbind.EventPong:
		return s.emit("pong")
	case wsbind.EventError:
		e := rt.NewObject()
		msg := ev.Reason
		_ = e.Set("message", msg)
		_ = e.Set("error", func() string { return msg })
		_ = e.Set("toString", func() string { return msg })
		return s.emit("error", e)
	case wsbind.EventClose:
		code := ev.Code
		if s.closeCode != 0 {
			code = s.closeCode // k6 reports the code the script closed with
		}
		s.timers = nil
		return s.emit("close", rt.ToValue(code))
	}
	return nil
}

func (s *socket) emit(name string, args ...goja.Value) error {
	for _, fn := range s.handlers[name] {
		if _, err := fn(goja.Undefined(), args...); err != nil {
			return err
		}
	}
	return nil
}
