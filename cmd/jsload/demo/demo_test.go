package demo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// call makes one request to h and returns the status and the body.
func call(t *testing.T, h http.Handler, method, target, contentType, body string, header ...string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	api := NewAPI(Config{Seed: 7})
	tok := api.Token("ann")
	const form, js = "application/x-www-form-urlencoded", "application/json"
	tests := []struct {
		name                     string
		method, target, ct, body string
		header                   []string
		status                   int
		contains                 string
	}{
		{"index", "GET", "/", "", "", nil, 200, "<h1>jsload demo API</h1>"},
		{"unknown", "GET", "/nope", "", "", nil, 404, ""},
		{"login form", "POST", "/login", form, "user=ann&password=secret", nil, 200, `"token":"` + tok + `"`},
		{"login json", "POST", "/login", js, `{"username":"ann","pass":"secret"}`, nil, 200, tok},
		{"login wrong password", "POST", "/login", form, "user=ann&password=x", nil, 401, "wrong user or password"},
		{"login no user", "POST", "/login", js, `{"password":"secret"}`, nil, 401, "wrong user"},
		{"login bad json", "POST", "/login", js, `[1`, nil, 400, "not a JSON object"},
		{"login GET", "GET", "/login", "", "", nil, 405, ""},
		{"products", "GET", "/products", "", "", nil, 200, `{"id":2,"name":"Coffee grinder","price":89.5}`},
		{"product", "GET", "/products/3", "", "", nil, 200, `"name":"Milk frother"`},
		{"product unknown", "GET", "/products/99", "", "", nil, 404, `no product \"99\"`},
		{"price", "GET", "/price?symbol=jsl", "", "", nil, 200, `"symbol":"JSL"`},
		{"price bad symbol", "GET", "/price?symbol=a-b", "", "", nil, 400, "symbol"},
		{"buy guest", "POST", "/buy", form, "product=1&price=249", nil, 200, `"user":"guest"`},
		{"buy user json", "POST", "/buy", js, `{"symbol":"jsl","price":12.5,"qty":3}`, []string{"Authorization", "Bearer " + tok}, 200, `"qty":3,"symbol":"JSL","user":"ann"`},
		{"buy GET query", "GET", "/buy?p=10.5", "", "", nil, 200, `"price":10.5`},
		{"buy bad token", "POST", "/buy", form, "price=1", []string{"Authorization", "Bearer ann.0000"}, 401, "invalid token"},
		{"buy forged user", "POST", "/buy", form, "price=1", []string{"Authorization", "Bearer bob." + tok[4:]}, 401, "invalid token"},
		{"buy no price", "POST", "/buy", form, "product=1", nil, 400, "positive price"},
		{"buy bad qty", "POST", "/buy", form, "price=1&qty=0", nil, 400, "qty"},
		{"buy unknown product", "POST", "/buy", form, "price=1&product=9", nil, 404, "no product"},
		{"delay", "GET", "/delay?ms=1", "", "", nil, 200, `{"delayedMs":1}`},
		{"delay bad", "GET", "/delay?ms=x", "", "", nil, 400, "milliseconds"},
		{"bytes default", "GET", "/bytes", "", "", nil, 200, "jsload demo payload"},
		{"bytes too many", "GET", "/bytes?n=99999999", "", "", nil, 400, "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := call(t, api, tt.method, tt.target, tt.ct, tt.body, tt.header...)
			if status != tt.status || !strings.Contains(body, tt.contains) {
				t.Errorf("%s %s = %d %q, want %d containing %q", tt.method, tt.target, status, body, tt.status, tt.contains)
			}
		})
	}
}

func TestBytes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 100, 200000} {
		_, body := call(t, NewAPI(Config{}), "GET", "/bytes?n="+strconv.Itoa(n), "", "")
		if len(body) != n {
			t.Errorf("/bytes?n=%d returned %d bytes", n, len(body))
		}
	}
}

func TestOrdersCounted(t *testing.T) {
	t.Parallel()
	api := NewAPI(Config{})
	for i := range 3 {
		_, body := call(t, api, "POST", "/buy", "application/x-www-form-urlencoded", "price=2")
		var order struct{ OrderID int64 }
		if err := json.Unmarshal([]byte(body), &order); err != nil || order.OrderID != int64(i+1) {
			t.Fatalf("order %d: %s (%v)", i+1, body, err)
		}
	}
	if n := api.Orders(); n != 3 {
		t.Errorf("Orders() = %d, want 3", n)
	}
}

// TestTicker checks that the price moves once per tick, deterministically for a
// seed, and stays near its base.
func TestTicker(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Unix(1e9, 0)}
	api := NewAPI(Config{Seed: 42, Tick: time.Second, Now: clk.now})
	get := func() (price float64, seq int64) {
		_, body := call(t, api, "GET", "/price?symbol=ABC", "", "")
		var p struct {
			Price float64
			Seq   int64
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("price: %s: %v", body, err)
		}
		return p.Price, p.Seq
	}
	p0, s0 := get()
	clk.add(999 * time.Millisecond)
	if p, s := get(); p != p0 || s != s0 {
		t.Errorf("within a tick: price %v seq %d, want %v and %d", p, s, p0, s0)
	}
	clk.add(time.Millisecond)
	p1, s1 := get()
	if s1 != s0+1 || p1 == p0 {
		t.Errorf("next tick: price %v seq %d, want a new price and seq %d", p1, s1, s0+1)
	}
	again := NewAPI(Config{Seed: 42})
	for seq := range int64(1000) {
		if a, b := api.Price("ABC", seq), again.Price("ABC", seq); a != b {
			t.Fatalf("seq %d: price %v then %v with the same seed", seq, a, b)
		}
		if p := api.Price("ABC", seq); p < 0.5*p0 || p > 1.5*p0 {
			t.Fatalf("seq %d: price %v strays from %v", seq, p, p0)
		}
	}
	if NewAPI(Config{Seed: 43}).Price("ABC", 0) == api.Price("ABC", 0) {
		t.Errorf("another seed gives the same price")
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		wantErr string
	}{
		{"127.0.0.1:0", ""},
		{"localhost:0", ""},
		{"[::1]:0", ""},
		{"0.0.0.0:0", "loopback address only"},
		{":0", "loopback address only"},
		{"192.0.2.1:80", "loopback address only"},
		{"nonsense", "invalid address"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			s, err := Start(tt.addr)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Start(%q) = %v, want an error containing %q", tt.addr, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				if tt.addr == "[::1]:0" && strings.Contains(err.Error(), "address") {
					t.Skipf("no IPv6 loopback: %v", err)
				}
				t.Fatalf("Start(%q): %v", tt.addr, err)
			}
			defer s.Close()
			resp, err := http.Get(s.URL() + "/products/1")
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), "Espresso") {
				t.Errorf("GET /products/1 = %d %s", resp.StatusCode, body)
			}
			http.DefaultClient.CloseIdleConnections()
		})
	}
}

// TestCloseEndsDelay checks that Close ends a request waiting in /delay at once,
// and that Close is idempotent.
func TestCloseEndsDelay(t *testing.T) {
	t.Parallel()
	s, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// Close once the request has been sent, not after a guess at how long that
	// takes: on a busy machine the guess could close the server before the
	// request, which would then test nothing.
	var once sync.Once
	sent := make(chan struct{})
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(sent) }) }}
	errc := make(chan error, 1)
	go func() {
		ctx := httptrace.WithClientTrace(context.Background(), trace)
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/delay?ms=10000", nil)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	select {
	case <-sent:
	case err := <-errc:
		t.Fatalf("the request to /delay ended before Close: %v", err)
	}
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// The delay lasts 10 s: a generous bound well under that tells a Close
	// that ends it from one that waits for it.
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Close took %v with a request in /delay", took)
	}
	if err := <-errc; err == nil {
		t.Errorf("the request in /delay got its answer: Close did not end it")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestDelayHonoursCancel checks that /delay returns when the client leaves,
// without an answer.
func TestDelayHonoursCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, "GET", "/delay?ms=10000", nil)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { NewAPI(Config{}).ServeHTTP(w, r); close(done) }()
	cancel()
	// Not a time limit, which a busy machine could overrun: a /delay that
	// ignored the client's leaving would answer once its 10 s are over. The
	// 30 s only stop a /delay that never returns from hanging the test.
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("/delay did not return after the client left")
	}
	if w.Body.Len() != 0 {
		t.Errorf("/delay answered %q to a client that had left", w.Body.String())
	}
}
