// Package http is the Go side of the `jsload/http` module: it turns a script's
// request into plain Go, sends it, records its metrics and hands the response
// back to the script. What scripts see (calls, params, bodies, the response
// object, error codes) is documented in README.md and types/jsload.d.ts; this
// comment is about how a request travels and who owns what.
//
// # Pipeline
//
//	script call ─▶ module          one per runtime            http.go, async.go, params.go
//	            ─▶ vuState.do      one state per VU           client.go, send.go, body.go
//	            ─▶ route ─┬▶ h1.Transport ─┬▶ HTTP/1.1        internal/h1: http:// and https://
//	                      │                └▶ h2Conn          h2.go: HTTP/2 when the server chooses it
//	                      └▶ net/http Transport               proxies (HTTP_PROXY, HTTPS_PROXY)
//	            ─▶ result (plain Go) ─▶ record                metrics.go
//	                                 ─▶ response              response.go, jsonvalue.go
//
// A module is built by Module for one runtime and used by that runtime's
// goroutine only. It converts a call's arguments into a request (params.go: the
// method, the URL, the body, the params over the VU's defaults), plain Go, and
// keeps what repeats between the runtime's requests: parsed URLs, tag sets, the
// tracer of its synchronous requests.
//
// A vuState is what the VU's runtimes (its main one and its background
// scripts) share, through bindings.Host.VULocal: the cookie jar, the defaults of
// setDefaults, the connection pools and the owner of the asyncRequest
// goroutines. vuState.do (send.go) makes one request: cookies, the redirect loop
// (each hop one RoundTrip; a Digest challenge answered is a hop too, digest.go),
// the request's timeout, the body read into a result: decoded from its
// Content-Encoding (decode.go) and bounded by maxResponseBodySize (limit.go).
// It never touches goja, so it runs on any goroutine.
//
// Cookies (cookies.go): each request sends its params.cookies, then the
// cookies of its jar for the hop's URL: params.jar (a CookieJar the script
// made) or the VU's jar, which also stores what responses set. A vuState
// subscribes to bindings.Host.OnNewBrowser: before each iteration of a group
// with newBrowserEachIteration, vuState.newBrowser empties the VU's jar and
// closes its pools' idle connections, allocating nothing when there are none.
//
// A route picks the transport of each hop: the VU's h1.Transport for plain
// http:// (unless the environment sets a proxy), else one of two net/http
// Transports, with TLS verification and without (insecureSkipTLSVerify), made
// on first use. Every connection is an h1.CountingConn, which gives a hop's
// bytes. A tracer (phases.go: the timing phases of a hop, through httptrace;
// deadline.go: the request's context and timeout) follows each request.
//
// The response is a goja.DynamicObject over the result: its fields become
// JavaScript values only when the script reads them.
//
// # Metrics
//
// record (metrics.go) turns each hop of a result into one group of samples
// (http_reqs, http_req_duration and its phases, http_req_failed, data_sent,
// data_received) added to the VU's metric sink, with the tag set the runtime's
// tag cache gives for the hop. It runs on the runtime's goroutine: when the
// request ends for get, post and the others, after all of them for batch, in
// the promise's callback for asyncRequest. A request cut because its VU or
// script is stopping (the end of the test) is recorded as a failure of its own
// (errorCode 1060, tagged interrupted=true) with its duration so far; an
// asyncRequest cut so records from its goroutine (recordUncached: the sink is
// safe for the VU's goroutines, the tag cache is the runtime's), since its
// callback will not run. errors.go classifies failures into the response's
// error and errorCode.
//
// # Goroutines
//
//   - get, post, request and the others run on the runtime's goroutine; so does
//     h1.Transport's HTTP/1.1 I/O: it starts no goroutine.
//   - batch runs its requests on up to maxBatchParallel goroutines of its own
//     (vuState.doAll) and waits for them before the call returns.
//   - asyncRequest runs each request on a goroutine owned by vuState's
//     asyncRequests (async.go); the result re-enters the runtime through
//     bindings.Host.Reserve. vuState.Close cancels those still running and
//     waits for them.
//   - net/http's Transports run goroutines per connection, and an HTTP/2
//     connection (x/net's) one reading goroutine, and one per request in
//     flight; vuState.Close closes the idle connections and the HTTP/2 ones,
//     which ends them.
//   - A tracer's timeout timer runs on a timer goroutine; it only cancels the
//     request's context.
//
// The VU closes its vuState (a VULocal value with a Close method) once all its
// runtimes have ended.
package http
