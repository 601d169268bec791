package sse

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func parseAll(t testing.TB, r io.Reader, lastID string) ([]message, *parser, error) {
	p := newParser(r, lastID)
	var out []message
	for {
		m, err := p.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out, p, err
		}
		out = append(out, m)
	}
}

func TestParser(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in string
		want     []message
		lastID   string
		retry    int64
	}{
		{"one event", "data: hi\n\n", []message{{"message", "hi", "old"}}, "old", -1},
		{"multi-line data", "data: a\ndata:b\ndata\n\n", []message{{"message", "a\nb\n", "old"}}, "old", -1},
		{"named and id", "event: price\nid: 42\ndata: 1.5\n\n", []message{{"price", "1.5", "42"}}, "42", -1},
		{"CRLF and CR", "data: a\r\n\r\ndata: b\r\rdata: c\n\n", []message{{"message", "a", "old"}, {"message", "b", "old"}, {"message", "c", "old"}}, "old", -1},
		{"comments and unknown fields", ": hi\nfoo: bar\ndata: x\n\n", []message{{"message", "x", "old"}}, "old", -1},
		{"only one leading space removed", "data:  two\n\n", []message{{"message", " two", "old"}}, "old", -1},
		{"BOM", "\ufeffdata: x\n\n", []message{{"message", "x", "old"}}, "old", -1},
		{"no data, no event; the id counts", "id: 9\n\n", nil, "9", -1},
		{"id with NUL ignored", "id: a\x00b\ndata: x\n\n", []message{{"message", "x", "old"}}, "old", -1},
		{"empty id resets", "id\ndata: x\n\n", []message{{"message", "x", ""}}, "", -1},
		{"event type resets after dispatch", "event: a\ndata: 1\n\ndata: 2\n\n", []message{{"a", "1", "old"}, {"message", "2", "old"}}, "old", -1},
		{"unfinished event dropped", "data: x\n\ndata: cut", []message{{"message", "x", "old"}}, "old", -1},
		{"unfinished id not committed", "data: x\n\nid: 5\ndata: y\n", []message{{"message", "x", "old"}}, "old", -1},
		{"retry", "retry: 250\n\n", nil, "old", 250},
		{"retry not digits ignored", "retry: 1s\nretry: -5\n\n", nil, "old", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// One byte at a time: a CR at the end of a read must wait for a possible LF.
			got, p, err := parseAll(t, iotest.OneByteReader(strings.NewReader(tt.in)), "old")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("event %d: got %q, want %q", i, got[i], tt.want[i])
				}
			}
			if p.lastID != tt.lastID {
				t.Errorf("last event ID %q, want %q", p.lastID, tt.lastID)
			}
			if p.retry != tt.retry {
				t.Errorf("retry %d, want %d", p.retry, tt.retry)
			}
		})
	}
}

func TestParserLineTooLong(t *testing.T) {
	t.Parallel()
	_, _, err := parseAll(t, strings.NewReader("data: "+strings.Repeat("x", maxLine+1)+"\n\n"), "")
	if err == nil {
		t.Fatal("a line over maxLine parsed without error")
	}
}

// FuzzParser checks that no input panics, and that input split anywhere
// parses as it does whole.
func FuzzParser(f *testing.F) {
	for _, s := range []string{"data: a\n\n", "event: x\r\ndata\r\n\r\n", "id: 1\rretry: 10\r\rdata: b\n\n", ":\n\n\ufeff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		whole, _, err1 := parseAll(t, strings.NewReader(s), "")
		bytewise, _, err2 := parseAll(t, iotest.OneByteReader(strings.NewReader(s)), "")
		if (err1 == nil) != (err2 == nil) || len(whole) != len(bytewise) {
			t.Fatalf("whole %q (%v), byte by byte %q (%v)", whole, err1, bytewise, err2)
		}
		for i := range whole {
			if whole[i] != bytewise[i] {
				t.Fatalf("event %d: whole %q, byte by byte %q", i, whole[i], bytewise[i])
			}
		}
	})
}
