package webcrypto

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
)

// rsaJWKAlg is the JWK alg of each RSA algorithm and hash.
var rsaJWKAlg = map[string]map[string]string{
	"RSASSA-PKCS1-v1_5": {"SHA-1": "RS1", "SHA-256": "RS256", "SHA-384": "RS384", "SHA-512": "RS512"},
	"RSA-PSS":           {"SHA-1": "PS1", "SHA-256": "PS256", "SHA-384": "PS384", "SHA-512": "PS512"},
	"RSA-OAEP":          {"SHA-1": "RSA-OAEP", "SHA-256": "RSA-OAEP-256", "SHA-384": "RSA-OAEP-384", "SHA-512": "RSA-OAEP-512"},
}

func rsaAlgorithm(name, hash string, pub *rsa.PublicKey) keyAlgorithm {
	return keyAlgorithm{name: name, hash: hash, modulusLength: pub.N.BitLen(),
		publicExponent: big.NewInt(int64(pub.E)).Bytes()}
}

func generateRSA(p *params) (*key, *key, error) {
	e := new(big.Int).SetBytes(p.publicExponent)
	if !e.IsInt64() || e.Int64() != 65537 {
		return nil, nil, fail("OperationError", "%s: the public exponent must be 65537 ([1, 0, 1]), got %s", p.name, e)
	}
	priv, err := rsa.GenerateKey(rand.Reader, p.modulusLength)
	if err != nil {
		return nil, nil, fail("OperationError", "%s: %v", p.name, err)
	}
	alg := rsaAlgorithm(p.name, p.hash, &priv.PublicKey)
	return &key{typ: publicKey, alg: alg, rsaPub: &priv.PublicKey}, &key{typ: privateKey, alg: alg, rsaPriv: priv}, nil
}

func importRSA(format string, data []byte, j *jwk, p *params) (*key, error) {
	var pub *rsa.PublicKey
	var priv *rsa.PrivateKey
	switch format {
	case "spki":
		k, err := x509.ParsePKIXPublicKey(data)
		rk, ok := k.(*rsa.PublicKey)
		if err != nil || !ok {
			return nil, fail("DataError", "%s: the data is not an RSA public key in SPKI (DER) form%s", p.name, errSuffix(err))
		}
		pub = rk
	case "pkcs8":
		k, err := x509.ParsePKCS8PrivateKey(data)
		rk, ok := k.(*rsa.PrivateKey)
		if err != nil || !ok {
			return nil, fail("DataError", "%s: the data is not an RSA private key in PKCS #8 (DER) form%s", p.name, errSuffix(err))
		}
		priv = rk
	case "jwk":
		var err error
		if pub, priv, err = rsaFromJWK(j); err != nil {
			return nil, err
		}
	default:
		return nil, fail("NotSupportedError", "%s keys import from 'spki', 'pkcs8' or 'jwk', not '%s'", p.name, format)
	}
	if priv != nil {
		return &key{typ: privateKey, alg: rsaAlgorithm(p.name, p.hash, &priv.PublicKey), rsaPriv: priv}, nil
	}
	return &key{typ: publicKey, alg: rsaAlgorithm(p.name, p.hash, pub), rsaPub: pub}, nil
}

func rsaFromJWK(j *jwk) (*rsa.PublicKey, *rsa.PrivateKey, error) {
	n, err := j.required("n", j.N)
	if err != nil {
		return nil, nil, err
	}
	e, err := j.required("e", j.E)
	if err != nil {
		return nil, nil, err
	}
	eInt := new(big.Int).SetBytes(e)
	if !eInt.IsInt64() || eInt.Int64() > 1<<31-1 {
		return nil, nil, fail("DataError", "the JWK's exponent e is too large")
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(eInt.Int64())}
	if j.D == "" {
		return pub, nil, nil
	}
	var parts [6]*big.Int
	for i, m := range []struct{ name, v string }{{"d", j.D}, {"p", j.P}, {"q", j.Q}, {"dp", j.DP}, {"dq", j.DQ}, {"qi", j.QI}} {
		b, err := j.required(m.name, m.v)
		if err != nil {
			return nil, nil, err
		}
		parts[i] = new(big.Int).SetBytes(b)
	}
	priv := &rsa.PrivateKey{PublicKey: *pub, D: parts[0], Primes: []*big.Int{parts[1], parts[2]},
		Precomputed: rsa.PrecomputedValues{Dp: parts[3], Dq: parts[4], Qinv: parts[5]}}
	if err := priv.Validate(); err != nil {
		return nil, nil, fail("DataError", "the JWK is not a valid RSA private key: %v", err)
	}
	return nil, priv, nil
}

func exportRSA(format string, k *key) ([]byte, *jwk, error) {
	switch format {
	case "spki":
		if k.typ != publicKey {
			return nil, nil, fail("InvalidAccessError", "only a public key exports as 'spki'")
		}
		b, err := x509.MarshalPKIXPublicKey(k.rsaPub)
		return b, nil, err
	case "pkcs8":
		if k.typ != privateKey {
			return nil, nil, fail("InvalidAccessError", "only a private key exports as 'pkcs8'")
		}
		b, err := x509.MarshalPKCS8PrivateKey(k.rsaPriv)
		return b, nil, err
	case "jwk":
		pub := k.rsaPub
		if k.rsaPriv != nil {
			pub = &k.rsaPriv.PublicKey
		}
		j := &jwk{Kty: "RSA", Alg: rsaJWKAlg[k.alg.name][k.alg.hash], N: b64(pub.N.Bytes()), E: b64(big.NewInt(int64(pub.E)).Bytes())}
		if priv := k.rsaPriv; priv != nil {
			if len(priv.Primes) != 2 {
				return nil, nil, fail("OperationError", "an RSA key with %d primes cannot be exported as a JWK", len(priv.Primes))
			}
			priv.Precompute()
			j.D, j.P, j.Q = b64(priv.D.Bytes()), b64(priv.Primes[0].Bytes()), b64(priv.Primes[1].Bytes())
			j.DP, j.DQ, j.QI = b64(priv.Precomputed.Dp.Bytes()), b64(priv.Precomputed.Dq.Bytes()), b64(priv.Precomputed.Qinv.Bytes())
		}
		return nil, j.finish(k), nil
	}
	return nil, nil, fail("NotSupportedError", "RSA keys export to 'spki', 'pkcs8' or 'jwk', not '%s'", format)
}

func digestOf(h string, data []byte) []byte {
	d := hashes[h].New()
	d.Write(data)
	return d.Sum(nil)
}

func rsaSign(p *params, k *key, data []byte) ([]byte, error) {
	h := hashes[k.alg.hash]
	digest := digestOf(k.alg.hash, data)
	var sig []byte
	var err error
	if p.name == "RSA-PSS" {
		if p.saltLength == 0 {
			sig, err = signPSSNoSalt(k.rsaPriv, k.alg.hash, digest)
		} else {
			sig, err = rsa.SignPSS(rand.Reader, k.rsaPriv, h, digest, &rsa.PSSOptions{SaltLength: p.saltLength, Hash: h})
		}
	} else {
		sig, err = rsa.SignPKCS1v15(nil, k.rsaPriv, h, digest)
	}
	if err != nil {
		return nil, fail("OperationError", "%s: %v", p.name, err)
	}
	return sig, nil
}

func rsaVerify(p *params, k *key, sig, data []byte) bool {
	h := hashes[k.alg.hash]
	digest := digestOf(k.alg.hash, data)
	if p.name == "RSA-PSS" {
		if p.saltLength == 0 {
			return verifyPSSNoSalt(k.rsaPub, k.alg.hash, digest, sig)
		}
		return rsa.VerifyPSS(k.rsaPub, h, digest, sig, &rsa.PSSOptions{SaltLength: p.saltLength, Hash: h}) == nil
	}
	return rsa.VerifyPKCS1v15(k.rsaPub, h, digest, sig) == nil
}

func rsaOAEP(p *params, k *key, data []byte, encrypt bool) ([]byte, error) {
	h := hashes[k.alg.hash].New()
	var out []byte
	var err error
	if encrypt {
		out, err = rsa.EncryptOAEP(h, rand.Reader, k.rsaPub, data, p.label)
	} else {
		out, err = rsa.DecryptOAEP(h, nil, k.rsaPriv, data, p.label)
	}
	if err != nil {
		return nil, fail("OperationError", "RSA-OAEP: %v", err)
	}
	return out, nil
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}
