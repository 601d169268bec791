package webcrypto

import (
	"crypto/ed25519"
	"crypto/hmac"

	"github.com/dop251/goja"
)

// importAny imports a key of any algorithm and sets its extractable and usages,
// checking the usages against its type.
func importAny(format string, raw []byte, j *jwk, p *params, extractable bool, usages []string) (*key, error) {
	var k *key
	var err error
	switch family(p.name) {
	case "oct":
		return importSecret(format, raw, j, p, extractable, usages)
	case "RSA":
		if format == "jwk" {
			use := "sig"
			if p.name == "RSA-OAEP" {
				use = "enc"
			}
			if err := j.check("RSA", use, []string{rsaJWKAlg[p.name][p.hash]}, extractable, usages); err != nil {
				return nil, err
			}
		}
		k, err = importRSA(format, raw, j, p)
	case "EC":
		if format == "jwk" {
			use, algs := "sig", []string{ecdsaJWKAlg[p.namedCurve]}
			if p.name == "ECDH" {
				use, algs = "enc", nil
			}
			if err := j.check("EC", use, algs, extractable, usages); err != nil {
				return nil, err
			}
		}
		k, err = importEC(format, raw, j, p)
	default:
		if format == "jwk" {
			if err := j.check("OKP", "sig", []string{"EdDSA", "Ed25519"}, extractable, usages); err != nil {
				return nil, err
			}
		}
		k, err = importEd25519(format, raw, j)
	}
	if err != nil {
		return nil, err
	}
	allowed := algUsages[p.name].public
	if k.typ == privateKey {
		allowed = algUsages[p.name].private
	}
	if err := checkUsages(p.name, usages, allowed); err != nil {
		return nil, err
	}
	if k.typ == privateKey && len(usages) == 0 {
		return nil, fail("SyntaxError", "usages cannot be empty when creating a %s private key", p.name)
	}
	k.extractable, k.usages = extractable, usages
	return k, nil
}

// exportAny exports k in format: bytes, or a JWK.
func exportAny(format string, k *key) ([]byte, *jwk, error) {
	if !k.extractable {
		return nil, nil, fail("InvalidAccessError", "the key is not extractable: create it with extractable true to export it")
	}
	switch family(k.alg.name) {
	case "oct":
		if format != "raw" && format != "jwk" {
			return nil, nil, fail("NotSupportedError", "%s keys export to 'raw' or 'jwk', not '%s'", k.alg.name, format)
		}
		return exportSecret(format, k)
	case "RSA":
		return exportRSA(format, k)
	case "EC":
		return exportEC(format, k)
	}
	return exportEd25519(format, k)
}

func (wc *webCrypto) generateKey(a args) (goja.Value, error) {
	p, err := wc.norm().normalize(opGenerateKey, a.at(0))
	if err != nil {
		return nil, err
	}
	extractable := a.at(1).ToBoolean()
	usages, err := parseUsages(wc.rt, a.at(2))
	if err != nil {
		return nil, err
	}
	if family(p.name) == "oct" {
		k, err := generateSecret(p, extractable, usages)
		if err != nil {
			return nil, err
		}
		if len(usages) == 0 {
			return nil, fail("SyntaxError", "usages cannot be empty when creating a %s key", p.name)
		}
		return wc.newKey(k), nil
	}
	u := algUsages[p.name]
	if err := checkUsages(p.name, usages, append(append([]string{}, u.public...), u.private...)); err != nil {
		return nil, err
	}
	privUsages := intersect(usages, u.private)
	if len(privUsages) == 0 {
		return nil, fail("SyntaxError", "usages cannot be empty when creating a %s private key: give one of %v", p.name, u.private)
	}
	var pub, priv *key
	switch family(p.name) {
	case "RSA":
		pub, priv, err = generateRSA(p)
	case "EC":
		pub, priv, err = generateEC(p)
	default:
		pub, priv, err = generateEd25519()
	}
	if err != nil {
		return nil, err
	}
	pub.extractable, pub.usages = true, intersect(usages, u.public)
	priv.extractable, priv.usages = extractable, privUsages
	pair := wc.rt.NewObject()
	_ = pair.Set("publicKey", wc.newKey(pub))
	_ = pair.Set("privateKey", wc.newKey(priv))
	return pair, nil
}

func ed25519Sign(k *key, data []byte) []byte { return ed25519.Sign(k.edPriv, data) }

func ed25519Verify(k *key, sig, data []byte) bool {
	return len(sig) == ed25519.SignatureSize && ed25519.Verify(k.edPub, data, sig)
}

func hmacEqual(a, b []byte) bool { return hmac.Equal(a, b) }
