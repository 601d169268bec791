package http

import (
	"crypto/md5" //nolint:gosec // RFC 7616's default algorithm
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"strings"
)

// HTTP Digest authentication (RFC 7616), as k6's auth: 'digest' does it: the
// request goes without credentials, and when the server answers 401 with a
// Digest challenge it is sent again with an Authorization computed from the
// challenge. Nothing is cached between requests: each one takes its own
// challenge (two round trips), so nonce counts stay at 1. Written here rather
// than taken from a library: the client side is a few hashes, and the
// well-known libraries are server-side or unmaintained; it is checked against
// the example of RFC 7616 section 3.9.1.

// digestChallenge is the parameters of a WWW-Authenticate: Digest challenge.
type digestChallenge struct {
	realm, nonce, opaque, algorithm, qop string
	userhash                             bool
}

// findDigestChallenge returns the Digest challenge of a 401's headers.
func findDigestChallenge(h http.Header) (*digestChallenge, error) {
	for _, v := range h.Values("Www-Authenticate") {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !strings.EqualFold(scheme, "Digest") {
			continue
		}
		params := parseAuthParams(rest)
		c := &digestChallenge{realm: params["realm"], nonce: params["nonce"], opaque: params["opaque"],
			algorithm: params["algorithm"], userhash: strings.EqualFold(params["userhash"], "true")}
		if c.nonce == "" {
			return nil, errors.New("digest challenge without a nonce")
		}
		if q, ok := params["qop"]; ok {
			for opt := range strings.SplitSeq(q, ",") {
				opt = strings.TrimSpace(opt)
				if opt == "auth" || (opt == "auth-int" && c.qop == "") {
					c.qop = opt
				}
			}
			if c.qop == "" {
				return nil, fmt.Errorf("digest challenge offers qop %q: jsload knows auth and auth-int", q)
			}
		}
		return c, nil
	}
	return nil, nil
}

// parseAuthParams reads the comma-separated name=value and name="quoted value"
// pairs of a challenge (RFC 9110 11.2), names in lower case.
func parseAuthParams(s string) map[string]string {
	params := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; {
		name, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		name = strings.ToLower(strings.Trim(strings.TrimSpace(name), ","))
		rest = strings.TrimLeft(rest, " \t")
		var value string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			value, rest = b.String(), rest[min(i+1, len(rest)):]
		} else {
			value, rest, _ = strings.Cut(rest, ",")
			value = strings.TrimSpace(value)
		}
		params[strings.TrimSpace(name)] = value
		s = strings.TrimLeft(rest, " \t,")
	}
	return params
}

// digestHash returns the hash of an algorithm and whether it is a -sess one.
func digestHash(algorithm string) (func() hash.Hash, bool, error) {
	switch strings.ToUpper(algorithm) {
	case "", "MD5":
		return md5.New, false, nil
	case "MD5-SESS":
		return md5.New, true, nil
	case "SHA-256":
		return sha256.New, false, nil
	case "SHA-256-SESS":
		return sha256.New, true, nil
	}
	return nil, false, fmt.Errorf("digest algorithm %q: jsload knows MD5, MD5-sess, SHA-256 and SHA-256-sess", algorithm)
}

// authorization returns the Authorization header answering c for a request of
// method to uri (its request target) with body, with the client nonce cnonce
// (random when empty).
func (c *digestChallenge) authorization(cred *credentials, method, uri, body, cnonce string) (string, error) {
	newHash, sess, err := digestHash(c.algorithm)
	if err != nil {
		return "", err
	}
	h := func(parts ...string) string {
		d := newHash()
		d.Write([]byte(strings.Join(parts, ":")))
		return hex.EncodeToString(d.Sum(nil))
	}
	if cnonce == "" {
		cnonce = rand.Text()
	}
	const nc = "00000001"
	ha1 := h(cred.user, c.realm, cred.password)
	if sess {
		ha1 = h(ha1, c.nonce, cnonce)
	}
	ha2 := h(method, uri)
	if c.qop == "auth-int" {
		ha2 = h(method, uri, h(body))
	}
	response := h(ha1, c.nonce, ha2)
	if c.qop != "" {
		response = h(ha1, c.nonce, nc, cnonce, c.qop, ha2)
	}
	user := cred.user
	if c.userhash {
		user = h(cred.user, c.realm)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `Digest username=%s, realm=%s, uri=%s, nonce=%s`, quote(user), quote(c.realm), quote(uri), quote(c.nonce))
	if c.algorithm != "" {
		fmt.Fprintf(&b, ", algorithm=%s", c.algorithm)
	}
	fmt.Fprintf(&b, ", response=%s", quote(response))
	if c.qop != "" {
		fmt.Fprintf(&b, ", qop=%s, nc=%s, cnonce=%s", c.qop, nc, quote(cnonce))
	}
	if c.opaque != "" {
		fmt.Fprintf(&b, ", opaque=%s", quote(c.opaque))
	}
	if c.userhash {
		b.WriteString(", userhash=true")
	}
	return b.String(), nil
}

// quote writes s as a quoted-string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
