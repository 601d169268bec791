package webcrypto

import (
	"crypto"
	"fmt"
	"math"
	"strings"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings/webapi"
)

// opError is a failed operation, named as WebCrypto names it: a DOMException name
// (NotSupportedError, DataError, OperationError, InvalidAccessError, SyntaxError,
// QuotaExceededError) or "TypeError".
type opError struct{ name, msg string }

func (e *opError) Error() string { return e.name + ": " + e.msg }

func fail(name, format string, args ...any) error {
	return &opError{name: name, msg: fmt.Sprintf(format, args...)}
}

// Operations, as the specification's "normalize an algorithm" names them.
const (
	opDigest      = "digest"
	opGenerateKey = "generateKey"
	opImportKey   = "importKey"
	opSign        = "sign"
	opVerify      = "verify"
	opEncrypt     = "encrypt"
	opDecrypt     = "decrypt"
	opDeriveBits  = "deriveBits"
	opWrapKey     = "wrapKey"
	opUnwrapKey   = "unwrapKey"
	opKeyLength   = "get key length"
)

// supported lists the algorithms of each operation with the name of the dictionary
// their parameters are read from ("" for none).
var supported = map[string]map[string]string{
	opDigest: {"SHA-1": "", "SHA-256": "", "SHA-384": "", "SHA-512": ""},
	opGenerateKey: {"RSASSA-PKCS1-v1_5": "RsaHashedKeyGenParams", "RSA-PSS": "RsaHashedKeyGenParams",
		"RSA-OAEP": "RsaHashedKeyGenParams", "ECDSA": "EcKeyGenParams", "ECDH": "EcKeyGenParams",
		"Ed25519": "", "AES-CTR": "AesKeyGenParams", "AES-CBC": "AesKeyGenParams",
		"AES-GCM": "AesKeyGenParams", "AES-KW": "AesKeyGenParams", "HMAC": "HmacKeyGenParams"},
	opImportKey: {"RSASSA-PKCS1-v1_5": "RsaHashedImportParams", "RSA-PSS": "RsaHashedImportParams",
		"RSA-OAEP": "RsaHashedImportParams", "ECDSA": "EcKeyImportParams", "ECDH": "EcKeyImportParams",
		"Ed25519": "", "AES-CTR": "", "AES-CBC": "", "AES-GCM": "", "AES-KW": "",
		"HMAC": "HmacImportParams", "PBKDF2": "", "HKDF": ""},
	opSign: {"RSASSA-PKCS1-v1_5": "", "RSA-PSS": "RsaPssParams", "ECDSA": "EcdsaParams",
		"Ed25519": "", "HMAC": ""},
	opEncrypt: {"RSA-OAEP": "RsaOaepParams", "AES-CTR": "AesCtrParams", "AES-CBC": "AesCbcParams",
		"AES-GCM": "AesGcmParams"},
	opDeriveBits: {"ECDH": "EcdhKeyDeriveParams", "HKDF": "HkdfParams", "PBKDF2": "Pbkdf2Params"},
	opWrapKey:    {"AES-KW": ""},
	opKeyLength: {"AES-CTR": "AesDerivedKeyParams", "AES-CBC": "AesDerivedKeyParams",
		"AES-GCM": "AesDerivedKeyParams", "AES-KW": "AesDerivedKeyParams",
		"HMAC": "HmacImportParams", "HKDF": "", "PBKDF2": ""},
}

func init() {
	supported[opVerify] = supported[opSign]
	supported[opDecrypt] = supported[opEncrypt]
	supported[opUnwrapKey] = supported[opWrapKey]
}

// allNames maps every algorithm name, upper-cased, to its spelling: names match
// case-insensitively.
var allNames = func() map[string]string {
	m := map[string]string{}
	for _, algs := range supported {
		for name := range algs {
			m[strings.ToUpper(name)] = name
		}
	}
	return m
}()

// hashes are the digest algorithms, also the hash of HMAC, RSA, ECDSA and the KDFs.
var hashes = map[string]crypto.Hash{"SHA-1": crypto.SHA1, "SHA-256": crypto.SHA256,
	"SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512}

// params is a normalized algorithm: its name and the members its dictionary has.
type params struct {
	name           string
	hash           string // normalized hash name
	length         int    // AES key length, HMAC key length, AES-CTR counter length
	hasLength      bool
	namedCurve     string
	modulusLength  int
	publicExponent []byte
	iv, counter    []byte
	additionalData []byte
	hasAD          bool
	tagLength      int
	label          []byte
	saltLength     int
	salt, info     []byte
	iterations     int
	public         *key
}

// normalizer reads algorithm identifiers (a name or a dictionary with a name) and
// their members from script values.
type normalizer struct {
	r  *webapi.Realm
	wc *webCrypto
}

// normalize implements the specification's "normalize an algorithm" for op.
func (n normalizer) normalize(op string, v goja.Value) (*params, error) {
	var obj *goja.Object
	var name string
	switch a := v.(type) {
	case *goja.Object:
		obj = a
		nv := a.Get("name")
		if nv == nil || goja.IsUndefined(nv) {
			return nil, fail("TypeError", "the algorithm has no name: give a name such as 'AES-GCM' or {name: 'AES-GCM', ...}")
		}
		name = nv.String()
	default:
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return nil, fail("TypeError", "an algorithm is required (a name such as 'SHA-256', or a dictionary with a name)")
		}
		name = v.String()
	}
	canon, known := allNames[strings.ToUpper(name)]
	dict, ok := supported[op][canon]
	if !known || !ok {
		what := "is not supported"
		if !known {
			what = "is not a recognized algorithm name"
		}
		return nil, fail("NotSupportedError", "%s: %q %s for %s (supported: %s)", op, name, what, op, namesOf(op))
	}
	p := &params{name: canon}
	if dict == "" {
		return p, nil
	}
	if obj == nil { // a name alone is a dictionary with just the name
		obj = n.r.Runtime().NewObject()
	}
	return p, n.members(p, dict, obj)
}

func namesOf(op string) string {
	var names []string
	for name := range supported[op] {
		names = append(names, name)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

// members reads the members of the dictionary dict into p; a required member that
// is missing or of the wrong type is a TypeError, as WebIDL's conversion makes it.
func (n normalizer) members(p *params, dict string, obj *goja.Object) error {
	m := member{dict: dict, obj: obj, n: n}
	switch dict {
	case "RsaHashedKeyGenParams":
		p.modulusLength = m.integer("modulusLength", true, math.MaxUint32)
		p.publicExponent = m.bytes("publicExponent", true)
		p.hash = m.hash("hash", true)
	case "RsaHashedImportParams", "EcdsaParams":
		p.hash = m.hash("hash", true)
	case "HmacKeyGenParams", "HmacImportParams":
		p.hash = m.hash("hash", true)
		if m.has("length") {
			p.length, p.hasLength = m.integer("length", true, math.MaxUint32), true
		}
	case "EcKeyGenParams", "EcKeyImportParams":
		p.namedCurve = m.str("namedCurve", true)
	case "AesKeyGenParams", "AesDerivedKeyParams":
		p.length, p.hasLength = m.integer("length", true, math.MaxUint16), true
	case "RsaPssParams":
		p.saltLength = m.integer("saltLength", true, math.MaxUint32)
	case "RsaOaepParams":
		p.label = m.bytes("label", false)
	case "AesCbcParams":
		p.iv = m.bytes("iv", true)
	case "AesCtrParams":
		p.counter = m.bytes("counter", true)
		p.length, p.hasLength = m.integer("length", true, math.MaxUint8), true
	case "AesGcmParams":
		p.iv = m.bytes("iv", true)
		p.hasAD = m.has("additionalData")
		p.additionalData = m.bytes("additionalData", false)
		p.tagLength = 128
		if m.has("tagLength") {
			p.tagLength = m.integer("tagLength", true, math.MaxUint8)
		}
	case "HkdfParams":
		p.hash = m.hash("hash", true)
		p.salt = m.bytes("salt", true)
		p.info = m.bytes("info", true)
	case "Pbkdf2Params":
		p.salt = m.bytes("salt", true)
		p.iterations = m.integer("iterations", true, math.MaxUint32)
		p.hash = m.hash("hash", true)
	case "EcdhKeyDeriveParams":
		p.public = m.key("public")
	}
	return m.err
}

// member reads dictionary members, keeping the first error.
type member struct {
	dict string
	obj  *goja.Object
	n    normalizer
	err  error
}

func (m *member) get(name string, required bool) goja.Value {
	v := m.obj.Get(name)
	if v == nil || goja.IsUndefined(v) {
		if required && m.err == nil {
			m.err = fail("TypeError", "%s: the member '%s' is required", m.dict, name)
		}
		return nil
	}
	return v
}

func (m *member) has(name string) bool {
	v := m.obj.Get(name)
	return v != nil && !goja.IsUndefined(v)
}

func (m *member) typeErr(name, want string) {
	if m.err == nil {
		m.err = fail("TypeError", "%s: the member '%s' must be %s", m.dict, name, want)
	}
}

// integer converts with WebIDL's [EnforceRange]: a finite number in 0..max.
func (m *member) integer(name string, required bool, max float64) int {
	v := m.get(name, required)
	if v == nil {
		return 0
	}
	f := math.Trunc(v.ToFloat())
	if math.IsNaN(f) || f < 0 || f > max {
		m.typeErr(name, fmt.Sprintf("an integer from 0 to %.0f, got %s", max, v))
		return 0
	}
	return int(f)
}

func (m *member) str(name string, required bool) string {
	v := m.get(name, required)
	if v == nil {
		return ""
	}
	return v.String()
}

// bytes returns a copy of a BufferSource member.
func (m *member) bytes(name string, required bool) []byte {
	v := m.get(name, required)
	if v == nil {
		return nil
	}
	b, ok := m.n.r.BufferSource(v)
	if !ok {
		m.typeErr(name, "an ArrayBuffer, a typed array or a DataView")
		return nil
	}
	return append([]byte{}, b...)
}

func (m *member) hash(name string, required bool) string {
	v := m.get(name, required)
	if v == nil {
		return ""
	}
	p, err := m.n.normalize(opDigest, v)
	if err != nil {
		if m.err == nil {
			m.err = err
		}
		return ""
	}
	return p.name
}

func (m *member) key(name string) *key {
	v := m.get(name, true)
	if v == nil {
		return nil
	}
	k, ok := keyOf(v)
	if !ok {
		m.typeErr(name, "a CryptoKey")
	}
	return k
}
