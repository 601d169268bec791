package demo

// indexPage is the page at /.
const indexPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>jsload demo API</title></head>
<body>
<h1>jsload demo API</h1>
<p>A small shop and a price ticker to run load tests against.</p>
<ul>
<li><code>POST /login</code> — form or JSON <code>{user, password}</code> → <code>{"token": "..."}</code>; every password is <code>secret</code></li>
<li><code>GET /products</code> — the catalogue</li>
<li><code>GET /products/{id}</code> — one product</li>
<li><code>GET /price?symbol=JSL</code> — a ticker whose price moves every 100 ms: <code>{"symbol", "price", "seq"}</code></li>
<li><code>POST /buy</code> — <code>{product or symbol, price, qty}</code> → <code>{"orderId", ...}</code>; send <code>Authorization: Bearer &lt;token&gt;</code> to buy as a user</li>
<li><code>GET /delay?ms=250</code> — answers after 250 ms (at most 10 s)</li>
<li><code>GET /bytes?n=100</code> — n bytes, for benchmarks</li>
<li><code>GET /ws/prices?symbol=JSL</code> — WebSocket: the ticker pushed as JSON each time it moves; send <code>{"action":"pause"}</code> / <code>{"action":"resume"}</code></li>
<li><code>GET /ws/echo</code> — WebSocket: echoes every message</li>
<li><code>GET /sse/prices?symbol=JSL</code> — Server-Sent Events named <code>price</code>, id = seq; reconnect with <code>Last-Event-ID</code> to get the ticks missed</li>
</ul>
</body></html>
`
