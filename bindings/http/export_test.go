package http

import "net/http"

// NewH1Transport returns jsload's own HTTP/1.1 transport, for the benchmarks
// of package http_test that measure it without JavaScript or metrics.
func NewH1Transport() http.RoundTripper { return new(h1Transport) }
