package webcrypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
)

// curves are the named curves of ECDSA and ECDH keys.
var curves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

// ecdsaJWKAlg is the JWK alg of an ECDSA key on each curve.
var ecdsaJWKAlg = map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}

func curveName(c elliptic.Curve) string {
	for name, curve := range curves {
		if curve == c {
			return name
		}
	}
	return c.Params().Name
}

func curveOf(p *params) (elliptic.Curve, error) {
	c, ok := curves[p.namedCurve]
	if !ok {
		return nil, fail("NotSupportedError", "%s: the curve '%s' is not supported (P-256, P-384 or P-521)", p.name, p.namedCurve)
	}
	return c, nil
}

func generateEC(p *params) (*key, *key, error) {
	c, err := curveOf(p)
	if err != nil {
		return nil, nil, err
	}
	priv, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		return nil, nil, fail("OperationError", "%s: %v", p.name, err)
	}
	alg := keyAlgorithm{name: p.name, namedCurve: p.namedCurve}
	return &key{typ: publicKey, alg: alg, ecPub: &priv.PublicKey}, &key{typ: privateKey, alg: alg, ecPriv: priv}, nil
}

func importEC(format string, data []byte, j *jwk, p *params) (*key, error) {
	c, err := curveOf(p)
	if err != nil {
		return nil, err
	}
	var pub *ecdsa.PublicKey
	var priv *ecdsa.PrivateKey
	switch format {
	case "raw":
		if pub, err = ecdsa.ParseUncompressedPublicKey(c, data); err != nil {
			return nil, fail("DataError", "%s: the data is not an uncompressed %s point (0x04 || x || y): %v", p.name, p.namedCurve, err)
		}
	case "spki":
		k, err := x509.ParsePKIXPublicKey(data)
		ek, ok := k.(*ecdsa.PublicKey)
		if err != nil || !ok {
			return nil, fail("DataError", "%s: the data is not an EC public key in SPKI (DER) form%s", p.name, errSuffix(err))
		}
		pub = ek
	case "pkcs8":
		k, err := x509.ParsePKCS8PrivateKey(data)
		ek, ok := k.(*ecdsa.PrivateKey)
		if err != nil || !ok {
			return nil, fail("DataError", "%s: the data is not an EC private key in PKCS #8 (DER) form%s", p.name, errSuffix(err))
		}
		priv, pub = ek, &ek.PublicKey
	case "jwk":
		if pub, priv, err = ecFromJWK(j, c, p); err != nil {
			return nil, err
		}
	default:
		return nil, fail("NotSupportedError", "%s keys import from 'raw', 'spki', 'pkcs8' or 'jwk', not '%s'", p.name, format)
	}
	if pub.Curve != c {
		return nil, fail("DataError", "%s: the key is on %s, not on the namedCurve %s", p.name, curveName(pub.Curve), p.namedCurve)
	}
	alg := keyAlgorithm{name: p.name, namedCurve: p.namedCurve}
	if priv != nil {
		return &key{typ: privateKey, alg: alg, ecPriv: priv}, nil
	}
	return &key{typ: publicKey, alg: alg, ecPub: pub}, nil
}

func ecFromJWK(j *jwk, c elliptic.Curve, p *params) (*ecdsa.PublicKey, *ecdsa.PrivateKey, error) {
	if j.Crv != p.namedCurve {
		return nil, nil, fail("DataError", "the JWK's crv is '%s', not the namedCurve %s", j.Crv, p.namedCurve)
	}
	x, err := j.required("x", j.X)
	if err != nil {
		return nil, nil, err
	}
	y, err := j.required("y", j.Y)
	if err != nil {
		return nil, nil, err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(c, append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, nil, fail("DataError", "the JWK's x and y are not a point of %s: %v", p.namedCurve, err)
	}
	if j.D == "" {
		return pub, nil, nil
	}
	d, err := j.b64("d", j.D)
	if err != nil {
		return nil, nil, err
	}
	priv, err := ecdsa.ParseRawPrivateKey(c, d)
	if err != nil {
		return nil, nil, fail("DataError", "the JWK's d is not a private key of %s: %v", p.namedCurve, err)
	}
	if !priv.PublicKey.Equal(pub) {
		return nil, nil, fail("DataError", "the JWK's d does not match its x and y")
	}
	return pub, priv, nil
}

func exportEC(format string, k *key) ([]byte, *jwk, error) {
	pub := k.ecPub
	if k.ecPriv != nil {
		pub = &k.ecPriv.PublicKey
	}
	switch format {
	case "raw", "spki":
		if k.typ != publicKey {
			return nil, nil, fail("InvalidAccessError", "only a public key exports as '%s'", format)
		}
		if format == "raw" {
			b, err := pub.Bytes()
			return b, nil, err
		}
		b, err := x509.MarshalPKIXPublicKey(pub)
		return b, nil, err
	case "pkcs8":
		if k.typ != privateKey {
			return nil, nil, fail("InvalidAccessError", "only a private key exports as 'pkcs8'")
		}
		b, err := x509.MarshalPKCS8PrivateKey(k.ecPriv)
		return b, nil, err
	case "jwk":
		pt, err := pub.Bytes()
		if err != nil {
			return nil, nil, err
		}
		n := (len(pt) - 1) / 2
		j := &jwk{Kty: "EC", Crv: k.alg.namedCurve, X: b64(pt[1 : 1+n]), Y: b64(pt[1+n:])}
		// No alg: an EC key is not bound to a hash, so none of ES256/384/512 names
		// it (browsers and Node leave it out too).
		if k.ecPriv != nil {
			d, err := k.ecPriv.Bytes()
			if err != nil {
				return nil, nil, err
			}
			j.D = b64(d)
		}
		return nil, j.finish(k), nil
	}
	return nil, nil, fail("NotSupportedError", "EC keys export to 'raw', 'spki', 'pkcs8' or 'jwk', not '%s'", format)
}

type ecdsaSig struct{ R, S *big.Int }

// coordBytes is the size of one coordinate (and of r and s) on the key's curve.
func coordBytes(c elliptic.Curve) int { return (c.Params().BitSize + 7) / 8 }

// ecdsaSign signs with WebCrypto's signature format, r || s of fixed size (IEEE
// P1363), not the DER that crypto/ecdsa produces.
func ecdsaSign(p *params, k *key, data []byte) ([]byte, error) {
	der, err := ecdsa.SignASN1(rand.Reader, k.ecPriv, digestOf(p.hash, data))
	if err != nil {
		return nil, fail("OperationError", "ECDSA: %v", err)
	}
	var sig ecdsaSig
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		return nil, fail("OperationError", "ECDSA: %v", err)
	}
	n := coordBytes(k.ecPriv.Curve)
	out := make([]byte, 2*n)
	sig.R.FillBytes(out[:n])
	sig.S.FillBytes(out[n:])
	return out, nil
}

func ecdsaVerify(p *params, k *key, sig, data []byte) bool {
	n := coordBytes(k.ecPub.Curve)
	if len(sig) != 2*n {
		return false
	}
	der, err := asn1.Marshal(ecdsaSig{R: new(big.Int).SetBytes(sig[:n]), S: new(big.Int).SetBytes(sig[n:])})
	if err != nil {
		return false
	}
	return ecdsa.VerifyASN1(k.ecPub, digestOf(p.hash, data), der)
}

// ecdhBits derives the shared secret of k (private) and the params' public key,
// truncated to length bits when hasLength.
func ecdhBits(p *params, k *key, length int, hasLength bool) ([]byte, error) {
	pub := p.public
	switch {
	case pub.typ != publicKey:
		return nil, fail("InvalidAccessError", "ECDH: 'public' must be a public key")
	case pub.alg.name != "ECDH":
		return nil, fail("InvalidAccessError", "ECDH: 'public' is a %s key, not an ECDH one", pub.alg.name)
	case pub.alg.namedCurve != k.alg.namedCurve:
		return nil, fail("InvalidAccessError", "ECDH: 'public' is on %s, the key on %s", pub.alg.namedCurve, k.alg.namedCurve)
	}
	priv, err := k.ecPriv.ECDH()
	if err != nil {
		return nil, fail("OperationError", "ECDH: %v", err)
	}
	peer, err := pub.ecPub.ECDH()
	if err != nil {
		return nil, fail("OperationError", "ECDH: %v", err)
	}
	secret, err := priv.ECDH(peer)
	if err != nil {
		return nil, fail("OperationError", "ECDH: %v", err)
	}
	return truncateBits(secret, length, hasLength, "ECDH")
}

// truncateBits keeps the first length bits of secret (all of it without a length).
func truncateBits(secret []byte, length int, hasLength bool, alg string) ([]byte, error) {
	if !hasLength {
		return secret, nil
	}
	if length > len(secret)*8 {
		return nil, fail("OperationError", "%s: %d bits asked, the secret has %d", alg, length, len(secret)*8)
	}
	out := secret[:(length+7)/8]
	if length%8 != 0 {
		out[len(out)-1] &= 0xff << (8 - length%8)
	}
	return out, nil
}
