package webcrypto

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

// jwk is a JSON Web Key (RFC 7517) as WebCrypto imports and exports it.
type jwk struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use,omitempty"`
	KeyOps []string `json:"key_ops,omitempty"`
	Alg    string   `json:"alg,omitempty"`
	Ext    *bool    `json:"ext,omitempty"`
	Crv    string   `json:"crv,omitempty"`
	X      string   `json:"x,omitempty"`
	Y      string   `json:"y,omitempty"`
	D      string   `json:"d,omitempty"`
	N      string   `json:"n,omitempty"`
	E      string   `json:"e,omitempty"`
	P      string   `json:"p,omitempty"`
	Q      string   `json:"q,omitempty"`
	DP     string   `json:"dp,omitempty"`
	DQ     string   `json:"dq,omitempty"`
	QI     string   `json:"qi,omitempty"`
	K      string   `json:"k,omitempty"`
}

// parseJWK reads a JWK from its JSON text (unwrapKey) or from a script's object
// exported to Go values (importKey).
func parseJWK(data []byte) (*jwk, error) {
	var j jwk
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fail("DataError", "the key is not a valid JWK: %v", err)
	}
	if j.Kty == "" {
		return nil, fail("DataError", "the JWK has no 'kty' member")
	}
	return &j, nil
}

// b64 decodes a base64url member of a JWK (padding tolerated).
func (j *jwk) b64(name, s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fail("DataError", "the JWK member '%s' is not base64url: %v", name, err)
	}
	return b, nil
}

// required decodes a member that must be present.
func (j *jwk) required(name, s string) ([]byte, error) {
	if s == "" {
		return nil, fail("DataError", "the JWK has no '%s' member", name)
	}
	return j.b64(name, s)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// check applies the checks every JWK import makes: kty, use, key_ops, ext and
// (when want is not "") alg.
func (j *jwk) check(kty, use string, algs []string, extractable bool, usages []string) error {
	if j.Kty != kty {
		return fail("DataError", "the JWK's kty is '%s', this algorithm needs '%s'", j.Kty, kty)
	}
	if len(usages) > 0 && j.Use != "" && j.Use != use {
		return fail("DataError", "the JWK's use is '%s', this key needs '%s'", j.Use, use)
	}
	if j.KeyOps != nil {
		for _, u := range usages {
			if !slices.Contains(j.KeyOps, u) {
				return fail("DataError", "the usage '%s' is not in the JWK's key_ops %v", u, j.KeyOps)
			}
		}
	}
	if j.Ext != nil && !*j.Ext && extractable {
		return fail("DataError", "the JWK is not extractable (ext: false), so the key cannot be")
	}
	if j.Alg != "" && algs != nil && !slices.Contains(algs, j.Alg) {
		return fail("DataError", "the JWK's alg is '%s', this key needs %s", j.Alg, strings.Join(algs, " or "))
	}
	return nil
}

// finish sets the members every exported JWK has.
func (j *jwk) finish(k *key) *jwk {
	ext := k.extractable
	j.Ext = &ext
	j.KeyOps = append([]string{}, k.usages...)
	return j
}

// toMap returns the JWK as the object exportKey resolves with.
func (j *jwk) toMap() map[string]any {
	b, _ := json.Marshal(j)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if _, ok := m["key_ops"]; !ok {
		m["key_ops"] = []any{} // omitempty drops an empty list; WebCrypto keeps it
	}
	return m
}
