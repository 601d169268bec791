package webcrypto

import (
	"slices"
	"sort"

	"github.com/dop251/goja"
)

// Key usages, in the order of the KeyUsage enumeration.
var allUsages = []string{"encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"}

// keyUsages are the usages each algorithm allows, for its secret key or for the
// public and private keys of a pair.
type keyUsages struct{ secret, public, private []string }

var algUsages = map[string]keyUsages{
	"RSASSA-PKCS1-v1_5": {public: []string{"verify"}, private: []string{"sign"}},
	"RSA-PSS":           {public: []string{"verify"}, private: []string{"sign"}},
	"ECDSA":             {public: []string{"verify"}, private: []string{"sign"}},
	"Ed25519":           {public: []string{"verify"}, private: []string{"sign"}},
	"RSA-OAEP":          {public: []string{"encrypt", "wrapKey"}, private: []string{"decrypt", "unwrapKey"}},
	"ECDH":              {public: []string{}, private: []string{"deriveKey", "deriveBits"}},
	"AES-CTR":           {secret: []string{"encrypt", "decrypt", "wrapKey", "unwrapKey"}},
	"AES-CBC":           {secret: []string{"encrypt", "decrypt", "wrapKey", "unwrapKey"}},
	"AES-GCM":           {secret: []string{"encrypt", "decrypt", "wrapKey", "unwrapKey"}},
	"AES-KW":            {secret: []string{"wrapKey", "unwrapKey"}},
	"HMAC":              {secret: []string{"sign", "verify"}},
	"PBKDF2":            {secret: []string{"deriveKey", "deriveBits"}},
	"HKDF":              {secret: []string{"deriveKey", "deriveBits"}},
}

// parseUsages converts a sequence<KeyUsage>: an iterable of the enumeration's
// strings, returned without duplicates in the enumeration's order.
func parseUsages(rt *goja.Runtime, v goja.Value) (usages []string, err error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, fail("TypeError", "key usages are required: an array such as ['sign', 'verify']")
	}
	if _, ok := v.(*goja.Object); !ok {
		return nil, fail("TypeError", "key usages must be an array of strings such as ['sign', 'verify'], got %s", v)
	}
	seen := map[string]bool{}
	if ex := rt.Try(func() {
		rt.ForOf(v, func(u goja.Value) bool {
			s := u.String()
			if !slices.Contains(allUsages, s) {
				err = fail("TypeError", "'%s' is not a valid key usage (one of %v)", s, allUsages)
				return false
			}
			seen[s] = true
			return true
		})
	}); ex != nil {
		return nil, fail("TypeError", "key usages must be an array of strings: %v", ex.Value())
	}
	for _, u := range allUsages {
		if seen[u] {
			usages = append(usages, u)
		}
	}
	return usages, err
}

// checkUsages fails with a SyntaxError when usages has one that allowed lacks.
func checkUsages(alg string, usages, allowed []string) error {
	for _, u := range usages {
		if !slices.Contains(allowed, u) {
			return fail("SyntaxError", "%s: the usage '%s' is not allowed for this key (allowed: %v)", alg, u, allowed)
		}
	}
	return nil
}

// intersect returns the usages of usages that allowed has.
func intersect(usages, allowed []string) []string {
	out := []string{}
	for _, u := range usages {
		if slices.Contains(allowed, u) {
			out = append(out, u)
		}
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
