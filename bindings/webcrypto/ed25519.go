package webcrypto

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
)

func generateEd25519() (*key, *key, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fail("OperationError", "Ed25519: %v", err)
	}
	alg := keyAlgorithm{name: "Ed25519"}
	return &key{typ: publicKey, alg: alg, edPub: pub}, &key{typ: privateKey, alg: alg, edPriv: priv}, nil
}

func importEd25519(format string, data []byte, j *jwk) (*key, error) {
	alg := keyAlgorithm{name: "Ed25519"}
	switch format {
	case "raw":
		if len(data) != ed25519.PublicKeySize {
			return nil, fail("DataError", "Ed25519: a raw public key is 32 bytes, got %d", len(data))
		}
		return &key{typ: publicKey, alg: alg, edPub: ed25519.PublicKey(append([]byte{}, data...))}, nil
	case "spki":
		k, err := x509.ParsePKIXPublicKey(data)
		pub, ok := k.(ed25519.PublicKey)
		if err != nil || !ok {
			return nil, fail("DataError", "Ed25519: the data is not an Ed25519 public key in SPKI (DER) form%s", errSuffix(err))
		}
		return &key{typ: publicKey, alg: alg, edPub: pub}, nil
	case "pkcs8":
		k, err := x509.ParsePKCS8PrivateKey(data)
		priv, ok := k.(ed25519.PrivateKey)
		if err != nil || !ok {
			return nil, fail("DataError", "Ed25519: the data is not an Ed25519 private key in PKCS #8 (DER) form%s", errSuffix(err))
		}
		return &key{typ: privateKey, alg: alg, edPriv: priv}, nil
	case "jwk":
		if j.Crv != "Ed25519" {
			return nil, fail("DataError", "the JWK's crv is '%s', not Ed25519", j.Crv)
		}
		x, err := j.required("x", j.X)
		if err != nil {
			return nil, err
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, fail("DataError", "the JWK's x is not 32 bytes")
		}
		if j.D == "" {
			return &key{typ: publicKey, alg: alg, edPub: ed25519.PublicKey(x)}, nil
		}
		d, err := j.b64("d", j.D)
		if err != nil {
			return nil, err
		}
		if len(d) != ed25519.SeedSize {
			return nil, fail("DataError", "the JWK's d is not 32 bytes")
		}
		priv := ed25519.NewKeyFromSeed(d)
		if !priv.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(x)) {
			return nil, fail("DataError", "the JWK's d does not match its x")
		}
		return &key{typ: privateKey, alg: alg, edPriv: priv}, nil
	}
	return nil, fail("NotSupportedError", "Ed25519 keys import from 'raw', 'spki', 'pkcs8' or 'jwk', not '%s'", format)
}

func exportEd25519(format string, k *key) ([]byte, *jwk, error) {
	pub := k.edPub
	if k.edPriv != nil {
		pub = k.edPriv.Public().(ed25519.PublicKey)
	}
	switch format {
	case "raw", "spki":
		if k.typ != publicKey {
			return nil, nil, fail("InvalidAccessError", "only a public key exports as '%s'", format)
		}
		if format == "raw" {
			return append([]byte{}, pub...), nil, nil
		}
		b, err := x509.MarshalPKIXPublicKey(pub)
		return b, nil, err
	case "pkcs8":
		if k.typ != privateKey {
			return nil, nil, fail("InvalidAccessError", "only a private key exports as 'pkcs8'")
		}
		b, err := x509.MarshalPKCS8PrivateKey(k.edPriv)
		return b, nil, err
	case "jwk":
		j := &jwk{Kty: "OKP", Crv: "Ed25519", Alg: "Ed25519", X: b64(pub)}
		if k.edPriv != nil {
			j.D = b64(k.edPriv.Seed())
		}
		return nil, j.finish(k), nil
	}
	return nil, nil, fail("NotSupportedError", "Ed25519 keys export to 'raw', 'spki', 'pkcs8' or 'jwk', not '%s'", format)
}
