package webcrypto

import (
	"encoding/json"

	"github.com/dop251/goja"
)

// wrapParams normalizes a wrap algorithm: AES-KW, or any encryption algorithm.
func (wc *webCrypto) wrapParams(op, fallback string, v goja.Value) (*params, error) {
	p, err := wc.norm().normalize(op, v)
	if oe, ok := err.(*opError); ok && oe.name == "NotSupportedError" {
		return wc.norm().normalize(fallback, v)
	}
	return p, err
}

func (wc *webCrypto) wrapKey(a args) (goja.Value, error) {
	format, err := formatArg(a.at(0))
	if err != nil {
		return nil, err
	}
	k, err := keyArg(a.at(1), "the key to wrap")
	if err != nil {
		return nil, err
	}
	wk, err := keyArg(a.at(2), "the wrapping key")
	if err != nil {
		return nil, err
	}
	p, err := wc.wrapParams(opWrapKey, opEncrypt, a.at(3))
	if err != nil {
		return nil, err
	}
	if err := useKey(p, wk, "wrapKey"); err != nil {
		return nil, err
	}
	raw, j, err := exportAny(format, k)
	if err != nil {
		return nil, err
	}
	if j != nil {
		raw, _ = json.Marshal(j.toMap())
	}
	var out []byte
	if p.name == "AES-KW" {
		out, err = aesKWWrap(wk, raw)
	} else {
		out, err = cryptBytes(p, wk, raw, true)
	}
	if err != nil {
		return nil, err
	}
	return wc.r.NewArrayBuffer(out), nil
}

func (wc *webCrypto) unwrapKey(a args) (goja.Value, error) {
	format, err := formatArg(a.at(0))
	if err != nil {
		return nil, err
	}
	wrapped, err := wc.bytesArg(a.at(1), "the wrapped key")
	if err != nil {
		return nil, err
	}
	uk, err := keyArg(a.at(2), "the unwrapping key")
	if err != nil {
		return nil, err
	}
	p, err := wc.wrapParams(opUnwrapKey, opDecrypt, a.at(3))
	if err != nil {
		return nil, err
	}
	imp, err := wc.norm().normalize(opImportKey, a.at(4))
	if err != nil {
		return nil, err
	}
	usages, err := parseUsages(wc.rt, a.at(6))
	if err != nil {
		return nil, err
	}
	if err := useKey(p, uk, "unwrapKey"); err != nil {
		return nil, err
	}
	var raw []byte
	if p.name == "AES-KW" {
		raw, err = aesKWUnwrap(uk, wrapped)
	} else {
		raw, err = cryptBytes(p, uk, wrapped, false)
	}
	if err != nil {
		return nil, err
	}
	var j *jwk
	if format == "jwk" {
		if j, err = parseJWK(raw); err != nil {
			return nil, err
		}
		raw = nil
	}
	k, err := importAny(format, raw, j, imp, a.at(5).ToBoolean(), usages)
	if err != nil {
		return nil, err
	}
	return wc.newKey(k), nil
}
