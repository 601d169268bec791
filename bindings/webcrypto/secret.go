package webcrypto

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"hash"
	"strconv"
)

// newHash returns the constructor of a normalized hash name.
func newHash(name string) func() hash.Hash { return hashes[name].New }

// blockBits is the block size of a hash in bits, HMAC's default key length.
func blockBits(name string) int { return hashes[name].New().BlockSize() * 8 }

// hmacJWKAlg is the JWK alg of an HMAC key with the given hash.
var hmacJWKAlg = map[string]string{"SHA-1": "HS1", "SHA-256": "HS256", "SHA-384": "HS384", "SHA-512": "HS512"}

// aesJWKAlg is the JWK alg suffix of each AES mode (A128GCM, A256KW, ...).
var aesJWKAlg = map[string]string{"AES-CTR": "CTR", "AES-CBC": "CBC", "AES-GCM": "GCM", "AES-KW": "KW"}

func aesAlg(name string, bits int) string {
	return "A" + strconv.Itoa(bits) + aesJWKAlg[name]
}

func generateSecret(p *params, extractable bool, usages []string) (*key, error) {
	if err := checkUsages(p.name, usages, algUsages[p.name].secret); err != nil {
		return nil, err
	}
	var bits int
	switch p.name {
	case "HMAC":
		bits = blockBits(p.hash)
		if p.hasLength {
			if p.length == 0 {
				return nil, fail("OperationError", "HMAC: the key length must not be 0")
			}
			bits = p.length
		}
	default: // AES
		if p.length != 128 && p.length != 192 && p.length != 256 {
			return nil, fail("OperationError", "%s: the key length must be 128, 192 or 256 bits, got %d", p.name, p.length)
		}
		bits = p.length
	}
	b := make([]byte, (bits+7)/8)
	_, _ = rand.Read(b)
	if bits%8 != 0 {
		b[len(b)-1] &= 0xff << (8 - bits%8)
	}
	return secretKeyOf(p, b, bits, extractable, usages), nil
}

func secretKeyOf(p *params, b []byte, bits int, extractable bool, usages []string) *key {
	k := &key{typ: secretKey, extractable: extractable, usages: usages, secret: b, alg: keyAlgorithm{name: p.name}}
	switch p.name {
	case "HMAC":
		k.alg.hash, k.alg.length = p.hash, bits
	case "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW":
		k.alg.length = bits
	}
	return k
}

// importSecret imports an AES, HMAC, PBKDF2 or HKDF key from raw bytes or a JWK.
func importSecret(format string, raw []byte, j *jwk, p *params, extractable bool, usages []string) (*key, error) {
	if err := checkUsages(p.name, usages, algUsages[p.name].secret); err != nil {
		return nil, err
	}
	isKDF := p.name == "PBKDF2" || p.name == "HKDF"
	switch {
	case format == "jwk" && !isKDF:
		var algs []string
		use := "enc"
		if p.name == "HMAC" {
			algs, use = []string{hmacJWKAlg[p.hash]}, "sig"
		}
		if err := j.check("oct", use, algs, extractable, usages); err != nil {
			return nil, err
		}
		b, err := j.required("k", j.K)
		if err != nil {
			return nil, err
		}
		if p.name != "HMAC" && j.Alg != "" && j.Alg != aesAlg(p.name, len(b)*8) {
			return nil, fail("DataError", "the JWK's alg is '%s' but its key is %d bits: it needs '%s'", j.Alg, len(b)*8, aesAlg(p.name, len(b)*8))
		}
		raw = b
	case format != "raw":
		return nil, fail("NotSupportedError", "%s keys import from 'raw'%s, not '%s'", p.name, map[bool]string{false: " or 'jwk'", true: ""}[isKDF], format)
	}
	bits := len(raw) * 8
	switch p.name {
	case "HMAC":
		if len(raw) == 0 {
			return nil, fail("DataError", "HMAC: the key is empty")
		}
		if p.hasLength {
			if p.length > bits || p.length <= bits-8 || p.length == 0 {
				return nil, fail("DataError", "HMAC: the length %d does not match the key's %d bytes", p.length, len(raw))
			}
			bits = p.length
		}
	case "PBKDF2", "HKDF":
		if extractable {
			return nil, fail("SyntaxError", "%s keys cannot be extractable: pass false", p.name)
		}
	default:
		if bits != 128 && bits != 192 && bits != 256 {
			return nil, fail("DataError", "%s: the key must be 16, 24 or 32 bytes, got %d", p.name, len(raw))
		}
	}
	if len(usages) == 0 {
		return nil, fail("SyntaxError", "usages cannot be empty when creating a %s key", p.name)
	}
	return secretKeyOf(p, append([]byte{}, raw...), bits, extractable, usages), nil
}

// exportSecret exports an AES or HMAC key as raw bytes or a JWK.
func exportSecret(format string, k *key) ([]byte, *jwk, error) {
	if k.alg.name == "PBKDF2" || k.alg.name == "HKDF" {
		return nil, nil, fail("InvalidAccessError", "%s keys cannot be exported", k.alg.name)
	}
	switch format {
	case "raw":
		return append([]byte{}, k.secret...), nil, nil
	case "jwk":
		j := &jwk{Kty: "oct", K: b64(k.secret)}
		if k.alg.name == "HMAC" {
			j.Alg = hmacJWKAlg[k.alg.hash]
		} else {
			j.Alg = aesAlg(k.alg.name, k.alg.length)
		}
		return nil, j.finish(k), nil
	}
	return nil, nil, fail("NotSupportedError", "%s keys export to 'raw' or 'jwk', not '%s'", k.alg.name, format)
}

func hmacSign(k *key, data []byte) []byte {
	m := hmac.New(newHash(k.alg.hash), k.secret)
	m.Write(data)
	return m.Sum(nil)
}

// deriveKDF runs PBKDF2 or HKDF for length bits.
func deriveKDF(p *params, k *key, length int, hasLength bool) ([]byte, error) {
	if !hasLength || length%8 != 0 {
		return nil, fail("OperationError", "%s: the length must be a multiple of 8 bits", p.name)
	}
	if length == 0 {
		return []byte{}, nil
	}
	var out []byte
	var err error
	if p.name == "PBKDF2" {
		if p.iterations == 0 {
			return nil, fail("OperationError", "PBKDF2: iterations must not be 0")
		}
		out, err = pbkdf2.Key(newHash(p.hash), string(k.secret), p.salt, p.iterations, length/8)
	} else {
		out, err = hkdf.Key(newHash(p.hash), k.secret, p.salt, string(p.info), length/8)
	}
	if err != nil {
		return nil, fail("OperationError", "%s: %v", p.name, err)
	}
	return out, nil
}
