package k6

import "strings"

// unsupported are the k6 modules jsload does not have, with what to do instead.
var unsupported = map[string]string{
	"k6/browser":              "browser testing is not supported by jsload",
	"k6/experimental/browser": "browser testing is not supported by jsload",
	"k6/net/grpc":             "gRPC is not supported by jsload yet",
	"k6/experimental/grpc":    "gRPC is not supported by jsload yet",
	"k6/secrets":              "secret sources are not supported by jsload: pass secrets with -e NAME=value and read __ENV.NAME",
	"k6/crypto/x509":          "X.509 parsing is not supported by jsload",
	"k6/experimental/streams": "the Streams API is not supported by jsload",
	"k6/experimental/redis":   "k6 removed it (k6/x/redis is an extension): use jsload's shared store (shared.get/set/push/pop) between VUs",
	"k6/experimental/tracing": "k6 removed it: set a traceparent header with http params",
}

// Unsupported returns why the module spec cannot be imported when it is a k6
// module jsload does not have (or a k6 extension, k6/x/...); ok is false for
// any other name.
func Unsupported(spec string) (why string, ok bool) {
	if spec != "k6" && !strings.HasPrefix(spec, "k6/") {
		return "", false
	}
	if why, ok := unsupported[spec]; ok {
		return "jsload does not support the k6 module " + spec + ": " + why, true
	}
	if strings.HasPrefix(spec, "k6/x/") {
		return "jsload does not support k6 extensions (" + spec + "): they are Go code built into a custom k6 binary", true
	}
	return "unknown k6 module " + spec + ": jsload has k6, k6/http, k6/metrics, k6/execution, k6/data, k6/encoding, k6/crypto, k6/timers, k6/html, k6/experimental/fs, k6/experimental/csv, k6/experimental/webcrypto, k6/ws and k6/websockets", true
}
