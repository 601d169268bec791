package http

import (
	"net/http"
	"strings"
	"testing"
)

// TestDigestRFC7616 answers the challenges of RFC 7616 section 3.9.1 with its
// client nonce: the responses must be the RFC's.
func TestDigestRFC7616(t *testing.T) {
	t.Parallel()
	const cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	for _, tt := range []struct{ algorithm, response string }{
		{"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
		{"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
	} {
		h := http.Header{"Www-Authenticate": {`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=` + tt.algorithm +
			`, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`}}
		c, err := findDigestChallenge(h)
		if err != nil || c == nil {
			t.Fatalf("%s: challenge %v, %v", tt.algorithm, c, err)
		}
		got, err := c.authorization(&credentials{"Mufasa", "Circle of Life"}, "GET", "/dir/index.html", "", cnonce)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{`username="Mufasa"`, `realm="http-auth@example.org"`, `uri="/dir/index.html"`,
			"algorithm=" + tt.algorithm, `response="` + tt.response + `"`, "qop=auth,", "nc=00000001", `cnonce="` + cnonce + `"`,
			`opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`} {
			if !strings.Contains(got, part) {
				t.Errorf("%s: Authorization %s\nlacks %s", tt.algorithm, got, part)
			}
		}
	}
}

func TestParseAuthParams(t *testing.T) {
	t.Parallel()
	got := parseAuthParams(`realm="a, \"b\"", nonce=xyz , qop="auth,auth-int",opaque=""`)
	want := map[string]string{"realm": `a, "b"`, "nonce": "xyz", "qop": "auth,auth-int", "opaque": ""}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
