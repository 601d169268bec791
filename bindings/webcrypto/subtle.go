package webcrypto

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/webapi"
)

// subtleState is the (empty) Go side of crypto.subtle.
type subtleState struct{}

// subtleObject builds crypto.subtle, once per runtime, on first read.
func (wc *webCrypto) subtleObject() *goja.Object {
	if wc.subtle != nil {
		return wc.subtle
	}
	c := wc.r.NewClass("SubtleCrypto", nil)
	for name, fn := range map[string]func(a args) (goja.Value, error){
		"digest": wc.digest, "generateKey": wc.generateKey, "importKey": wc.importKey,
		"exportKey": wc.exportKey, "sign": wc.sign, "verify": wc.verify, "encrypt": wc.encrypt,
		"decrypt": wc.decrypt, "deriveBits": wc.deriveBits, "deriveKey": wc.deriveKey,
		"wrapKey": wc.wrapKey, "unwrapKey": wc.unwrapKey,
	} {
		c.Method(name, wc.promise(name, fn))
	}
	wc.subtle = c.Wrap(&subtleState{})
	return wc.subtle
}

// args are a method's arguments.
type args []goja.Value

func (a args) at(i int) goja.Value {
	if i < len(a) {
		return a[i]
	}
	return goja.Undefined()
}

// promise wraps a SubtleCrypto method: fn runs at once and its result or error
// settles the promise returned. Exceptions (a getter of the script's throwing, a
// TypeError from reading arguments) reject it too, as WebIDL says for methods
// returning promises.
func (wc *webCrypto) promise(name string, fn func(a args) (goja.Value, error)) func(goja.FunctionCall) goja.Value {
	rt := wc.rt
	return func(call goja.FunctionCall) goja.Value {
		p, resolve, reject := rt.NewPromise()
		var v goja.Value
		var err error
		ex := rt.Try(func() {
			webapi.This[*subtleState](wc.r, call)
			v, err = fn(append(args(nil), call.Arguments...))
		})
		switch {
		case ex != nil:
			_ = reject(ex.Value())
		case err != nil:
			_ = reject(wc.jsError(name, err))
		default:
			_ = resolve(v)
		}
		return rt.ToValue(p)
	}
}

// jsError turns an operation's error into the exception WebCrypto names.
func (wc *webCrypto) jsError(method string, err error) goja.Value {
	var oe *opError
	if !errors.As(err, &oe) {
		oe = &opError{name: "OperationError", msg: err.Error()}
	}
	msg := "crypto.subtle." + method + ": " + oe.msg
	if oe.name == "TypeError" {
		return wc.r.TypeError("%s", msg)
	}
	return wc.r.DOMException(oe.name, msg)
}

func (wc *webCrypto) norm() normalizer { return normalizer{r: wc.r, wc: wc} }

func (wc *webCrypto) bytesArg(v goja.Value, what string) ([]byte, error) {
	b, ok := wc.r.BufferSource(v)
	if !ok {
		return nil, fail("TypeError", "%s must be an ArrayBuffer, a typed array or a DataView, got %s", what, v)
	}
	return append([]byte{}, b...), nil
}

func keyArg(v goja.Value, what string) (*key, error) {
	k, ok := keyOf(v)
	if !ok {
		return nil, fail("TypeError", "%s must be a CryptoKey, got %s", what, v)
	}
	return k, nil
}

// useKey checks that k is a key of the algorithm p and has the usage u.
func useKey(p *params, k *key, u string) error {
	if k.alg.name != p.name {
		return fail("InvalidAccessError", "the key is a %s key, not a %s one", k.alg.name, p.name)
	}
	if !k.hasUsage(u) {
		return fail("InvalidAccessError", "the key's usages %v do not include '%s'", k.usages, u)
	}
	return nil
}

func (wc *webCrypto) digest(a args) (goja.Value, error) {
	p, err := wc.norm().normalize(opDigest, a.at(0))
	if err != nil {
		return nil, err
	}
	data, err := wc.bytesArg(a.at(1), "the data")
	if err != nil {
		return nil, err
	}
	return wc.r.NewArrayBuffer(digestOf(p.name, data)), nil
}

func (wc *webCrypto) sign(a args) (goja.Value, error) {
	p, k, data, err := wc.keyOp(opSign, a, 2, "sign")
	if err != nil {
		return nil, err
	}
	var sig []byte
	switch p.name {
	case "HMAC":
		sig = hmacSign(k, data)
	case "ECDSA":
		sig, err = ecdsaSign(p, k, data)
	case "Ed25519":
		sig = ed25519Sign(k, data)
	default:
		sig, err = rsaSign(p, k, data)
	}
	if err != nil {
		return nil, err
	}
	return wc.r.NewArrayBuffer(sig), nil
}

func (wc *webCrypto) verify(a args) (goja.Value, error) {
	p, k, data, err := wc.keyOp(opVerify, a, 3, "verify")
	if err != nil {
		return nil, err
	}
	sig, err := wc.bytesArg(a.at(2), "the signature")
	if err != nil {
		return nil, err
	}
	return wc.rt.ToValue(verifyBytes(p, k, sig, data)), nil
}

func verifyBytes(p *params, k *key, sig, data []byte) bool {
	switch p.name {
	case "HMAC":
		return hmacEqual(hmacSign(k, data), sig)
	case "ECDSA":
		return ecdsaVerify(p, k, sig, data)
	case "Ed25519":
		return ed25519Verify(k, sig, data)
	}
	return rsaVerify(p, k, sig, data)
}

// keyOp reads (algorithm, key, ..., data) for op, data at index dataAt, and checks
// the key allows usage.
func (wc *webCrypto) keyOp(op string, a args, dataAt int, usage string) (*params, *key, []byte, error) {
	p, err := wc.norm().normalize(op, a.at(0))
	if err != nil {
		return nil, nil, nil, err
	}
	k, err := keyArg(a.at(1), "the key")
	if err != nil {
		return nil, nil, nil, err
	}
	data, err := wc.bytesArg(a.at(dataAt), "the data")
	if err != nil {
		return nil, nil, nil, err
	}
	return p, k, data, useKey(p, k, usage)
}

func (wc *webCrypto) encrypt(a args) (goja.Value, error) { return wc.crypt(a, true) }
func (wc *webCrypto) decrypt(a args) (goja.Value, error) { return wc.crypt(a, false) }

func (wc *webCrypto) crypt(a args, encrypt bool) (goja.Value, error) {
	op, usage := opEncrypt, "encrypt"
	if !encrypt {
		op, usage = opDecrypt, "decrypt"
	}
	p, k, data, err := wc.keyOp(op, a, 2, usage)
	if err != nil {
		return nil, err
	}
	out, err := cryptBytes(p, k, data, encrypt)
	if err != nil {
		return nil, err
	}
	return wc.r.NewArrayBuffer(out), nil
}

func cryptBytes(p *params, k *key, data []byte, encrypt bool) ([]byte, error) {
	if p.name == "RSA-OAEP" {
		return rsaOAEP(p, k, data, encrypt)
	}
	return aesCrypt(p, k, data, encrypt)
}

func (wc *webCrypto) deriveBits(a args) (goja.Value, error) {
	p, err := wc.norm().normalize(opDeriveBits, a.at(0))
	if err != nil {
		return nil, err
	}
	k, err := keyArg(a.at(1), "the base key")
	if err != nil {
		return nil, err
	}
	if err := useKey(p, k, "deriveBits"); err != nil {
		return nil, err
	}
	length, hasLength := 0, false
	if l := a.at(2); !goja.IsUndefined(l) && !goja.IsNull(l) {
		f := l.ToFloat()
		if f != f || f < 0 || f > 1<<32-1 {
			return nil, fail("TypeError", "the length must be a number of bits, got %s", l)
		}
		length, hasLength = int(f), true
	}
	bits, err := deriveBytes(p, k, length, hasLength)
	if err != nil {
		return nil, err
	}
	return wc.r.NewArrayBuffer(bits), nil
}

func deriveBytes(p *params, k *key, length int, hasLength bool) ([]byte, error) {
	if p.name == "ECDH" {
		return ecdhBits(p, k, length, hasLength)
	}
	return deriveKDF(p, k, length, hasLength)
}

func (wc *webCrypto) deriveKey(a args) (goja.Value, error) {
	n := wc.norm()
	p, err := n.normalize(opDeriveBits, a.at(0))
	if err != nil {
		return nil, err
	}
	k, err := keyArg(a.at(1), "the base key")
	if err != nil {
		return nil, err
	}
	imp, err := n.normalize(opImportKey, a.at(2))
	if err != nil {
		return nil, err
	}
	lp, err := n.normalize(opKeyLength, a.at(2))
	if err != nil {
		return nil, err
	}
	usages, err := parseUsages(wc.rt, a.at(4))
	if err != nil {
		return nil, err
	}
	if err := useKey(p, k, "deriveKey"); err != nil {
		return nil, err
	}
	length, hasLength, err := keyLength(lp)
	if err != nil {
		return nil, err
	}
	bits, err := deriveBytes(p, k, length, hasLength)
	if err != nil {
		return nil, err
	}
	dk, err := importAny("raw", bits, nil, imp, a.at(3).ToBoolean(), usages)
	if err != nil {
		return nil, err
	}
	return wc.newKey(dk), nil
}

// keyLength is the specification's "get key length" of a derived key's algorithm.
func keyLength(p *params) (int, bool, error) {
	switch p.name {
	case "HMAC":
		if !p.hasLength {
			return blockBits(p.hash), true, nil
		}
		if p.length == 0 {
			return 0, false, fail("TypeError", "HMAC: the length must not be 0")
		}
		return p.length, true, nil
	case "HKDF", "PBKDF2":
		return 0, false, nil
	}
	if p.length != 128 && p.length != 192 && p.length != 256 {
		return 0, false, fail("OperationError", "%s: the key length must be 128, 192 or 256 bits, got %d", p.name, p.length)
	}
	return p.length, true, nil
}

// formats are the key formats, KeyFormat.
var formats = map[string]bool{"raw": true, "spki": true, "pkcs8": true, "jwk": true}

func formatArg(v goja.Value) (string, error) {
	f := v.String()
	if !formats[f] {
		return "", fail("TypeError", "'%s' is not a key format: use 'raw', 'spki', 'pkcs8' or 'jwk'", f)
	}
	return f, nil
}

func (wc *webCrypto) importKey(a args) (goja.Value, error) {
	format, err := formatArg(a.at(0))
	if err != nil {
		return nil, err
	}
	var raw []byte
	var j *jwk
	if format == "jwk" {
		obj, ok := a.at(1).(*goja.Object)
		if !ok {
			return nil, fail("TypeError", "a 'jwk' key must be an object (a JsonWebKey)")
		}
		text, err := json.Marshal(obj.Export())
		if err != nil {
			return nil, fail("DataError", "the JWK cannot be read: %v", err)
		}
		if j, err = parseJWK(text); err != nil {
			return nil, err
		}
	} else if raw, err = wc.bytesArg(a.at(1), "the key data"); err != nil {
		return nil, err
	}
	p, err := wc.norm().normalize(opImportKey, a.at(2))
	if err != nil {
		return nil, err
	}
	usages, err := parseUsages(wc.rt, a.at(4))
	if err != nil {
		return nil, err
	}
	k, err := importAny(format, raw, j, p, a.at(3).ToBoolean(), usages)
	if err != nil {
		return nil, err
	}
	return wc.newKey(k), nil
}

func (wc *webCrypto) exportKey(a args) (goja.Value, error) {
	format, err := formatArg(a.at(0))
	if err != nil {
		return nil, err
	}
	k, err := keyArg(a.at(1), "the key")
	if err != nil {
		return nil, err
	}
	raw, j, err := exportAny(format, k)
	if err != nil {
		return nil, err
	}
	if j != nil {
		return bindings.ToJS(wc.rt, j.toMap()), nil
	}
	return wc.r.NewArrayBuffer(raw), nil
}

// family is the kind of key material an algorithm's keys hold.
func family(alg string) string {
	switch {
	case strings.HasPrefix(alg, "RSA"):
		return "RSA"
	case alg == "ECDSA" || alg == "ECDH":
		return "EC"
	case alg == "Ed25519":
		return "OKP"
	}
	return "oct"
}
