// Package webcrypto provides the Web Cryptography API as browsers and k6 have it:
// the global crypto (getRandomValues, randomUUID, subtle) and CryptoKey.
//
// crypto.subtle implements digest, generateKey, importKey/exportKey (raw, jwk, spki,
// pkcs8), sign/verify, encrypt/decrypt, deriveBits/deriveKey and wrapKey/unwrapKey
// for SHA-1/256/384/512, HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, RSA-OAEP, ECDSA and ECDH
// (P-256, P-384, P-521), Ed25519, AES-CTR/CBC/GCM/KW, PBKDF2 and HKDF, on Go's
// standard crypto packages. A few pieces the standard packages lack are written
// here, each explained where it is: AES-KW (RFC 3394), AES-CTR with a counter of
// fewer than 128 bits, AES-GCM tags shorter than 96 bits and RSA-PSS with an empty
// salt.
//
// Every method returns a Promise. The work is done at once, on the runtime's own
// goroutine, and the promise is settled before the method returns (its reactions
// run as microtasks, as always): no goja value is touched elsewhere. Errors reject
// the promise with the DOMException (or TypeError) the specification names.
//
// Like the other web globals, crypto and CryptoKey are built on first read.
package webcrypto

import (
	"crypto/rand"
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/bindings/webapi"
)

// Exports are the globals this package defines, for the runtime's globals table.
var Exports = []bindings.Export{
	webapi.Lazy("crypto", func(h bindings.Host) any { return stateOf(h.Goja()).cryptoObject() }),
	webapi.Lazy("CryptoKey", func(h bindings.Host) any { return stateOf(h.Goja()).cryptoKey().Ctor }),
}

// webCrypto is one runtime's WebCrypto state; runtime goroutine only.
type webCrypto struct {
	r      *webapi.Realm
	rt     *goja.Runtime
	keys   *webapi.Class
	crypto *goja.Object
	subtle *goja.Object
}

type stateKey struct{}

func stateOf(rt *goja.Runtime) *webCrypto {
	r := webapi.RealmOf(rt)
	return r.Local(stateKey{}, func() any { return &webCrypto{r: r, rt: rt} }).(*webCrypto)
}

func (wc *webCrypto) cryptoKey() *webapi.Class {
	if wc.keys == nil {
		wc.keys = wc.keyClass()
	}
	return wc.keys
}

// cryptoState is the (empty) Go side of the crypto object.
type cryptoState struct{}

// integerArrays are the typed arrays getRandomValues fills.
var integerArrays = map[string]bool{"Int8Array": true, "Uint8Array": true, "Uint8ClampedArray": true,
	"Int16Array": true, "Uint16Array": true, "Int32Array": true, "Uint32Array": true,
	"BigInt64Array": true, "BigUint64Array": true}

// maxRandomBytes is the most getRandomValues fills in one call.
const maxRandomBytes = 65536

func (wc *webCrypto) cryptoObject() *goja.Object {
	if wc.crypto != nil {
		return wc.crypto
	}
	r := wc.r
	c := r.NewClass("Crypto", nil)
	c.Method("getRandomValues", func(call goja.FunctionCall) goja.Value {
		webapi.This[*cryptoState](r, call)
		arg := call.Argument(0)
		view, ok := r.ArrayBufferView(arg)
		if !ok {
			r.ThrowTypeError("crypto.getRandomValues: the argument must be an integer typed array, got %s", arg)
		}
		if !integerArrays[view.TypedArray] {
			name := view.TypedArray
			if name == "" {
				name = "DataView"
			}
			r.ThrowDOMException("TypeMismatchError", "crypto.getRandomValues: a %s is not an integer array type (use a Uint8Array, Uint32Array, ...)", name)
		}
		if view.Length > maxRandomBytes {
			r.ThrowDOMException("QuotaExceededError", "crypto.getRandomValues: the array's byte length (%d) exceeds the number of bytes of entropy available via this API (%d): fill it in parts", view.Length, maxRandomBytes)
		}
		_, _ = rand.Read(view.Bytes())
		return arg
	})
	c.Method("randomUUID", func(call goja.FunctionCall) goja.Value {
		webapi.This[*cryptoState](r, call)
		var b [16]byte
		_, _ = rand.Read(b[:])
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // variant 10
		return wc.rt.ToValue(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
	})
	c.Getter("subtle", func(call goja.FunctionCall) goja.Value {
		webapi.This[*cryptoState](r, call)
		return wc.subtleObject()
	})
	wc.crypto = c.Wrap(&cryptoState{})
	return wc.crypto
}
