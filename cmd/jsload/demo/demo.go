// Package demo is a small, realistic HTTP API to point load tests at: the target
// of `jsload demo` and `jsload run --demo`, of the examples and of tests. It keeps
// no state that grows with traffic (tokens are signed, not stored), so it can take
// millions of requests.
//
// Endpoints (JSON unless said otherwise):
//
//	GET  /                 a short HTML page listing the endpoints
//	POST /login            form or JSON {user|username, password|pass} → {"token": "..."};
//	                       the password of every user is "secret", anything else is 401
//	GET  /products         the catalogue: [{"id", "name", "price"}, ...] (no login needed)
//	GET  /products/{id}    one product, 404 when unknown
//	GET  /price?symbol=X   a ticker: {"symbol", "price", "seq"}; the price of each symbol
//	                       (1 to 8 letters or digits) moves every Tick, seq counts the ticks
//	POST /buy              form, JSON or query {product|symbol, price|p, qty}: places an
//	                       order → {"orderId", ...}; with an Authorization: Bearer token
//	                       the order is the user's (a bad token is 401), without one a
//	                       guest's; GET works too, for the SPEC's first example
//	GET  /delay?ms=N       answers after N ms (at most 10 s), or when the client leaves
//	GET  /bytes?n=N        N bytes of text (default 100, at most 10 MiB), for benchmarks
//	GET  /ws/prices?symbol=X[&limit=N]
//	                       WebSocket: the ticker pushed as {"symbol", "price", "seq"} each
//	                       time it moves (the current tick first); send {"action":"pause"}
//	                       or {"action":"resume"}; with limit the server closes (1000)
//	                       after N ticks
//	GET  /ws/echo          WebSocket: echoes every text and binary message
//	GET  /sse/prices?symbol=X[&limit=N]
//	                       Server-Sent Events: the ticker as events named "price" whose
//	                       id is the seq; a reconnection with Last-Event-ID replays the
//	                       ticks missed (at most 100); with limit the response ends after
//	                       N events (and EventSource reconnects)
//
// The streams (WebSocket and SSE) end when the API is closed (API.Close,
// Server.Close), which waits for their handlers.
package demo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const (
	// Password is the password of every demo user.
	Password = "secret"
	// DefaultTick is how often ticker prices move.
	DefaultTick = 100 * time.Millisecond
	maxDelay    = 10 * time.Second
	maxBytes    = 10 << 20
)

// Config tunes an API; the zero Config is the default one.
type Config struct {
	// Seed makes the price walk (and tokens) differ between runs; 0 is 1.
	Seed uint64
	// Tick is how often prices move; 0 is DefaultTick.
	Tick time.Duration
	// Now is the clock; nil is time.Now. Tests set it to fix the prices.
	Now func() time.Time
}

// Product is one item of the catalogue.
type Product struct {
	ID    int     `json:"id"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

var products = []Product{
	{1, "Espresso machine", 249.00},
	{2, "Coffee grinder", 89.50},
	{3, "Milk frother", 34.90},
	{4, "Pour-over kettle", 59.00},
	{5, "Beans, 1 kg", 24.00},
}

// API is the demo HTTP API. It is safe for concurrent use.
type API struct {
	seed    uint64
	tick    time.Duration
	now     func() time.Time
	start   time.Time
	secret  []byte
	orders  atomic.Int64
	mux     *http.ServeMux
	streams streams
}

// NewAPI returns the demo API configured by c.
func NewAPI(c Config) *API {
	a := &API{seed: c.Seed, tick: c.Tick, now: c.Now}
	if a.seed == 0 {
		a.seed = 1
	}
	if a.tick <= 0 {
		a.tick = DefaultTick
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.start = a.now()
	a.secret = []byte("jsload-demo-" + strconv.FormatUint(a.seed, 10))
	a.mux = http.NewServeMux()
	a.mux.HandleFunc("GET /{$}", a.index)
	a.mux.HandleFunc("POST /login", a.login)
	a.mux.HandleFunc("GET /products", a.listProducts)
	a.mux.HandleFunc("GET /products/{id}", a.product)
	a.mux.HandleFunc("GET /price", a.price)
	a.mux.HandleFunc("POST /buy", a.buy)
	a.mux.HandleFunc("GET /buy", a.buy)
	a.mux.HandleFunc("GET /delay", a.delay)
	a.mux.HandleFunc("GET /bytes", a.bytes)
	a.mux.HandleFunc("GET /ws/prices", a.wsPrices)
	a.mux.HandleFunc("GET /ws/echo", a.wsEcho)
	a.mux.HandleFunc("GET /sse/prices", a.ssePrices)
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Orders returns the number of orders placed so far.
func (a *API) Orders() int64 { return a.orders.Load() }

// Token returns the token /login gives user.
func (a *API) Token(user string) string {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte(user))
	return url.PathEscape(user) + "." + hex.EncodeToString(m.Sum(nil)[:12])
}

// user returns the user a token was given to.
func (a *API) user(token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", false
	}
	user, err := url.PathUnescape(token[:i])
	if err != nil || user == "" || !hmac.Equal([]byte(a.Token(user)), []byte(token)) {
		return "", false
	}
	return user, true
}

// Price returns the price of symbol at tick seq: a deterministic walk (a slow wave
// plus noise around a base price that depends on the symbol and the seed).
func (a *API) Price(symbol string, seq int64) float64 {
	h := hash(a.seed, symbol)
	base := 20 + float64(h%48000)/100
	phase := float64(h>>32%1000) / 1000 * 2 * math.Pi
	wave := 0.05 * math.Sin(float64(seq)/25+phase)
	noise := float64(hash(h, strconv.FormatInt(seq, 10))%2001)/100000 - 0.01 // ±1 %
	return math.Round(base*(1+wave+noise)*100) / 100
}

// Seq returns the current tick number of the ticker.
func (a *API) Seq() int64 { return int64(a.now().Sub(a.start) / a.tick) }

func hash(seed uint64, s string) uint64 {
	f := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	f.Write(b[:])
	io.WriteString(f, s)
	return f.Sum64()
}

func (a *API) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, indexPage)
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	f, err := fields(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	user, pass := first(f, "user", "username"), first(f, "password", "pass")
	if user == "" || pass != Password {
		writeError(w, http.StatusUnauthorized, "wrong user or password (every user's password is \""+Password+"\")")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": a.Token(user), "user": user})
}

func (a *API) listProducts(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, products)
}

func (a *API) product(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	for _, p := range products {
		if p.ID == id {
			writeJSON(w, http.StatusOK, p)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no product "+strconv.Quote(r.PathValue("id")))
}

func (a *API) price(w http.ResponseWriter, r *http.Request) {
	sym := strings.ToUpper(r.URL.Query().Get("symbol"))
	if !validSymbol(sym) {
		writeError(w, http.StatusBadRequest, "want ?symbol= of 1 to 8 letters or digits, e.g. /price?symbol=JSL")
		return
	}
	seq := a.Seq()
	writeJSON(w, http.StatusOK, map[string]any{"symbol": sym, "price": a.Price(sym, seq), "seq": seq})
}

func validSymbol(s string) bool {
	if len(s) < 1 || len(s) > 8 {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func (a *API) buy(w http.ResponseWriter, r *http.Request) {
	user := "guest"
	if auth := r.Header.Get("Authorization"); auth != "" {
		tok, bearer := strings.CutPrefix(auth, "Bearer ")
		var ok bool
		if user, ok = a.user(strings.TrimSpace(tok)); !bearer || !ok {
			writeError(w, http.StatusUnauthorized, "invalid token: send Authorization: Bearer <token>, POST /login for one")
			return
		}
	}
	f, err := fields(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	price, err := strconv.ParseFloat(first(f, "price", "p"), 64)
	if err != nil || price <= 0 || math.IsInf(price, 0) {
		writeError(w, http.StatusBadRequest, "want a positive price (price or p)")
		return
	}
	qty := 1
	if q := first(f, "qty"); q != "" {
		if qty, err = strconv.Atoi(q); err != nil || qty < 1 {
			writeError(w, http.StatusBadRequest, "want a positive whole qty")
			return
		}
	}
	order := map[string]any{"user": user, "price": price, "qty": qty}
	if id := first(f, "product", "productId", "id"); id != "" {
		n, _ := strconv.Atoi(id)
		if n < 1 || n > len(products) {
			writeError(w, http.StatusNotFound, "no product "+strconv.Quote(id))
			return
		}
		order["product"] = n
	}
	if sym := strings.ToUpper(first(f, "symbol")); sym != "" {
		order["symbol"] = sym
	}
	order["orderId"] = a.orders.Add(1)
	writeJSON(w, http.StatusOK, order)
}

func (a *API) delay(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 {
		writeError(w, http.StatusBadRequest, "want ?ms= a number of milliseconds")
		return
	}
	d := min(time.Duration(ms)*time.Millisecond, maxDelay)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		writeJSON(w, http.StatusOK, map[string]int64{"delayedMs": d.Milliseconds()})
	case <-r.Context().Done(): // the client left, or the server is closing
	}
}

var filler = strings.Repeat("jsload demo payload. ", 4096)

func (a *API) bytes(w http.ResponseWriter, r *http.Request) {
	n := 100
	if s := r.URL.Query().Get("n"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 0 || n > maxBytes {
			writeError(w, http.StatusBadRequest, "want ?n= a number of bytes from 0 to 10485760")
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	for n > 0 {
		k := min(n, len(filler))
		if _, err := io.WriteString(w, filler[:k]); err != nil {
			return
		}
		n -= k
	}
}

// fields reads the parameters of a request: its query, then a form or JSON body
// (which wins).
func fields(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	f := map[string]string{}
	for k, v := range r.URL.Query() {
		f[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, errBadJSON
		}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				f[k] = v
			case float64:
				f[k] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			f[k] = v[0]
		}
	}
	return f, nil
}

var errBadJSON = errors.New("the body is not a JSON object")

// first returns the first non-empty field among names.
func first(f map[string]string, names ...string) string {
	for _, n := range names {
		if v := f[n]; v != "" {
			return v
		}
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
