package webcrypto

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings/webapi"
)

// Key types.
const (
	secretKey  = "secret"
	publicKey  = "public"
	privateKey = "private"
)

// key is the Go side of a CryptoKey: its internal slots and key material (one of
// secret, rsa*, ec*, ed*). It belongs to the runtime whose script holds the
// CryptoKey.
type key struct {
	typ         string
	extractable bool
	alg         keyAlgorithm
	usages      []string

	secret  []byte
	rsaPriv *rsa.PrivateKey
	rsaPub  *rsa.PublicKey
	ecPriv  *ecdsa.PrivateKey
	ecPub   *ecdsa.PublicKey
	edPriv  ed25519.PrivateKey
	edPub   ed25519.PublicKey

	algObj, usagesObj goja.Value // what the accessors return, made on first read
}

// keyAlgorithm is a key's [[algorithm]]: KeyAlgorithm and the members of its
// algorithm's dictionary (AesKeyAlgorithm, HmacKeyAlgorithm, ...).
type keyAlgorithm struct {
	name           string
	hash           string
	length         int // AES and HMAC, in bits
	namedCurve     string
	modulusLength  int
	publicExponent []byte
}

func (k *key) hasUsage(u string) bool {
	for _, x := range k.usages {
		if x == u {
			return true
		}
	}
	return false
}

// keyOf returns the key behind a CryptoKey value.
func keyOf(v goja.Value) (*key, bool) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	k, ok := obj.Export().(*key)
	return k, ok
}

// keyClass makes CryptoKey: scripts cannot construct one; its accessors read the
// internal slots, returning the same algorithm and usages objects on every read.
func (wc *webCrypto) keyClass() *webapi.Class {
	r := wc.r
	c := r.NewClass("CryptoKey", nil)
	c.Getter("type", func(call goja.FunctionCall) goja.Value { return wc.rt.ToValue(webapi.This[*key](r, call).typ) })
	c.Getter("extractable", func(call goja.FunctionCall) goja.Value {
		return wc.rt.ToValue(webapi.This[*key](r, call).extractable)
	})
	c.Getter("algorithm", func(call goja.FunctionCall) goja.Value {
		k := webapi.This[*key](r, call)
		if k.algObj == nil {
			k.algObj = wc.algorithmObject(k.alg)
		}
		return k.algObj
	})
	c.Getter("usages", func(call goja.FunctionCall) goja.Value {
		k := webapi.This[*key](r, call)
		if k.usagesObj == nil {
			items := make([]any, len(k.usages))
			for i, u := range k.usages {
				items[i] = u
			}
			k.usagesObj = wc.rt.NewArray(items...)
		}
		return k.usagesObj
	})
	return c
}

func (wc *webCrypto) algorithmObject(a keyAlgorithm) goja.Value {
	rt := wc.rt
	o := rt.NewObject()
	_ = o.Set("name", a.name)
	if a.namedCurve != "" {
		_ = o.Set("namedCurve", a.namedCurve)
	}
	if a.modulusLength != 0 {
		_ = o.Set("modulusLength", a.modulusLength)
		_ = o.Set("publicExponent", wc.r.NewUint8Array(append([]byte{}, a.publicExponent...)))
	}
	if a.length != 0 {
		_ = o.Set("length", a.length)
	}
	if a.hash != "" {
		h := rt.NewObject()
		_ = h.Set("name", a.hash)
		_ = o.Set("hash", h)
	}
	return o
}

// newKey wraps k as a CryptoKey.
func (wc *webCrypto) newKey(k *key) goja.Value { return wc.cryptoKey().Wrap(k) }
