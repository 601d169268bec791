// Package crypto is k6/crypto: one-shot hashes (md4, md5, sha1, sha256, sha384,
// sha512, sha512_224, sha512_256, ripemd160), hmac, the incremental
// createHash/createHMAC, randomBytes and hexEncode, on Go's crypto packages (MD4
// and RIPEMD-160 from golang.org/x/crypto, as k6 does).
package crypto

import (
	"crypto/hmac"
	"crypto/md5"  //nolint:gosec // k6 offers it; scripts need it for legacy signatures
	"crypto/rand" // randomBytes are cryptographically random, as in k6
	"crypto/sha1" //nolint:gosec // as md5
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"slices"
	"strings"

	"github.com/dop251/goja"
	"golang.org/x/crypto/md4"       //nolint:staticcheck // k6 offers it
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // k6 offers it

	"github.com/jsload/jsload/bindings"
	k6 "github.com/jsload/jsload/bindings/k6"
)

// algorithms are the hash functions by their k6 names.
var algorithms = map[string]func() hash.Hash{
	"md4": md4.New, "md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha384": sha512.New384,
	"sha512": sha512.New, "sha512_224": sha512.New512_224, "sha512_256": sha512.New512_256, "ripemd160": ripemd160.New,
}

// algorithmNames lists the keys of algorithms, for errors.
var algorithmNames = strings.Join(slices.Sorted(maps.Keys(algorithms)), ", ")

// maxRandomBytes bounds randomBytes, so a typo cannot take the machine's memory.
const maxRandomBytes = 64 << 20

// Module builds the exports of k6/crypto for h's runtime.
func Module(h bindings.Host) *goja.Object {
	c := &module{rt: h.Goja()}
	o := c.rt.NewObject()
	for name := range algorithms {
		_ = o.Set(name, func(call goja.FunctionCall) goja.Value {
			hs := c.hasher(name, nil, call.Argument(0))
			return c.digest(name, hs.Sum(nil), call.Argument(1))
		})
	}
	_ = o.Set("hmac", func(call goja.FunctionCall) goja.Value {
		name := call.Argument(0).String()
		hs := c.hasher(name, call.Argument(1), call.Argument(2))
		return c.digest("hmac", hs.Sum(nil), call.Argument(3))
	})
	_ = o.Set("createHash", func(call goja.FunctionCall) goja.Value {
		return c.incremental(call.Argument(0).String(), nil)
	})
	_ = o.Set("createHMAC", func(call goja.FunctionCall) goja.Value {
		return c.incremental(call.Argument(0).String(), call.Argument(1))
	})
	_ = o.Set("randomBytes", func(n int64) goja.Value {
		if n < 0 || n > maxRandomBytes {
			c.throw(fmt.Errorf("randomBytes(%d): the size must be from 0 to %d", n, maxRandomBytes))
		}
		b := make([]byte, n)
		_, _ = rand.Read(b) // never fails
		return c.rt.ToValue(c.rt.NewArrayBuffer(b))
	})
	_ = o.Set("hexEncode", func(call goja.FunctionCall) goja.Value {
		return c.rt.ToValue(hex.EncodeToString(c.bytes(call.Argument(0), "hexEncode's input")))
	})
	return o
}

// module is k6/crypto in one runtime.
type module struct{ rt *goja.Runtime }

func (c *module) throw(err error) { bindings.Throw(c.rt, err) }

func (c *module) bytes(v goja.Value, what string) []byte {
	b, err := k6.ToBytes(c.rt, v, what)
	if err != nil {
		c.throw(err)
	}
	return b
}

// hasher returns a hash of algorithm name (an HMAC when key is not nil) that has
// been fed input, unless input is nil.
func (c *module) hasher(name string, key, input goja.Value) hash.Hash {
	newHash, ok := algorithms[name]
	if !ok {
		c.throw(fmt.Errorf("unknown hash algorithm %q: want one of %s", name, algorithmNames))
	}
	var hs hash.Hash
	if key != nil {
		hs = hmac.New(newHash, c.bytes(key, "the HMAC key"))
	} else {
		hs = newHash()
	}
	if input != nil {
		hs.Write(c.bytes(input, "the input"))
	}
	return hs
}

// digest encodes a sum as the output encoding asks: hex, base64, base64url,
// base64rawurl or binary (an ArrayBuffer).
func (c *module) digest(what string, sum []byte, enc goja.Value) goja.Value {
	switch e := enc.String(); e {
	case "hex":
		return c.rt.ToValue(hex.EncodeToString(sum))
	case "base64":
		return c.rt.ToValue(base64.StdEncoding.EncodeToString(sum))
	case "base64url":
		return c.rt.ToValue(base64.URLEncoding.EncodeToString(sum))
	case "base64rawurl":
		return c.rt.ToValue(base64.RawURLEncoding.EncodeToString(sum))
	case "binary":
		return c.rt.ToValue(c.rt.NewArrayBuffer(sum))
	default:
		if goja.IsUndefined(enc) {
			e = "none"
		}
		c.throw(fmt.Errorf("%s: invalid output encoding %s: want 'hex', 'base64', 'base64url', 'base64rawurl' or 'binary'", what, e))
	}
	return nil
}

// incremental is the Hasher of createHash and createHMAC: update(data) adds
// data (and returns the hasher), digest(encoding) encodes the sum so far.
func (c *module) incremental(name string, key goja.Value) goja.Value {
	hs := c.hasher(name, key, nil)
	o := c.rt.NewObject()
	_ = o.Set("update", func(call goja.FunctionCall) goja.Value {
		hs.Write(c.bytes(call.Argument(0), "update's input"))
		return o
	})
	_ = o.Set("digest", func(call goja.FunctionCall) goja.Value {
		return c.digest(name, hs.Sum(nil), call.Argument(0))
	})
	return o
}
