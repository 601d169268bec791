package h1

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"testing"
)

func TestTrace(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "traced")
	}))
	tr := &Transport{}
	defer tr.CloseIdle()
	var events []string
	var conns []*CountingConn
	trace := &httptrace.ClientTrace{
		GetConn:      func(hostPort string) { events = append(events, "GetConn "+hostPort) },
		ConnectStart: func(network, _ string) { events = append(events, "ConnectStart "+network) },
		ConnectDone: func(network, _ string, err error) {
			events = append(events, fmt.Sprintf("ConnectDone %s %v", network, err))
		},
		GotConn: func(info httptrace.GotConnInfo) {
			events = append(events, fmt.Sprintf("GotConn reused=%v", info.Reused))
			conns = append(conns, CountingConnOf(info.Conn))
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			events = append(events, fmt.Sprintf("WroteRequest %v", info.Err))
		},
		GotFirstResponseByte: func() { events = append(events, "GotFirstResponseByte") },
	}
	ctx := httptrace.WithClientTrace(context.Background(), trace)
	hostPort := srv.Listener.Addr().String()
	for i := range 2 {
		events = events[:0]
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "traced" {
			t.Errorf("body %q", b)
		}
		want := []string{"GetConn " + hostPort, "ConnectStart tcp", "ConnectDone tcp <nil>", "GotConn reused=false",
			"WroteRequest <nil>", "GotFirstResponseByte"}
		if i == 1 {
			want = []string{"GetConn " + hostPort, "GotConn reused=true", "WroteRequest <nil>", "GotFirstResponseByte"}
		}
		if fmt.Sprint(events) != fmt.Sprint(want) {
			t.Errorf("request %d: events\n %q\nwant\n %q", i, events, want)
		}
	}
	if len(conns) != 2 || conns[0] == nil || conns[0] != conns[1] {
		t.Fatalf("CountingConnOf(GotConnInfo.Conn): %v, want the same CountingConn twice", conns)
	}
	if conns[0].BytesWritten() == 0 || conns[0].BytesRead() == 0 {
		t.Errorf("the connection counted %d bytes written and %d read", conns[0].BytesWritten(), conns[0].BytesRead())
	}
}
