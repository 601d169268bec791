package webcrypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"math/big"
)

// aesCrypt encrypts or decrypts data with an AES-CBC, AES-CTR or AES-GCM key.
func aesCrypt(p *params, k *key, data []byte, encrypt bool) ([]byte, error) {
	block, err := aes.NewCipher(k.secret)
	if err != nil {
		return nil, fail("OperationError", "%s: %v", p.name, err)
	}
	switch p.name {
	case "AES-CBC":
		return aesCBC(block, p.iv, data, encrypt)
	case "AES-CTR":
		return aesCTR(block, p.counter, p.length, data)
	}
	return aesGCM(block, p, data, encrypt)
}

func aesCBC(block cipher.Block, iv, data []byte, encrypt bool) ([]byte, error) {
	if len(iv) != aes.BlockSize {
		return nil, fail("OperationError", "AES-CBC: the iv must be 16 bytes, got %d", len(iv))
	}
	if encrypt {
		pad := aes.BlockSize - len(data)%aes.BlockSize
		out := make([]byte, len(data)+pad)
		copy(out, data)
		for i := len(data); i < len(out); i++ {
			out[i] = byte(pad)
		}
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
		return out, nil
	}
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, fail("OperationError", "AES-CBC: the data to decrypt must be a non-empty multiple of 16 bytes, got %d", len(data))
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, fail("OperationError", "AES-CBC: the decrypted data has bad padding (wrong key or iv?)")
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, fail("OperationError", "AES-CBC: the decrypted data has bad padding (wrong key or iv?)")
		}
	}
	return out[:len(out)-pad], nil
}

// aesCTR is CTR mode whose counter is the rightmost length bits of the counter
// block, wrapping within them, as WebCrypto defines it; Go's cipher.NewCTR
// increments the whole 128-bit block, which differs once the counter wraps.
func aesCTR(block cipher.Block, counter []byte, length int, data []byte) ([]byte, error) {
	if len(counter) != aes.BlockSize {
		return nil, fail("OperationError", "AES-CTR: the counter must be 16 bytes, got %d", len(counter))
	}
	if length == 0 || length > 128 {
		return nil, fail("OperationError", "AES-CTR: the counter length must be 1 to 128 bits, got %d", length)
	}
	blocks := (len(data) + aes.BlockSize - 1) / aes.BlockSize
	if length < 64 && uint64(blocks) > uint64(1)<<length {
		return nil, fail("OperationError", "AES-CTR: %d blocks of data would reuse the %d-bit counter", blocks, length)
	}
	if length == 128 {
		out := make([]byte, len(data))
		cipher.NewCTR(block, counter).XORKeyStream(out, data)
		return out, nil
	}
	ctr := new(big.Int).SetBytes(counter)
	mod := new(big.Int).Lsh(big.NewInt(1), uint(length))
	low := new(big.Int).Mod(ctr, mod)
	high := new(big.Int).Sub(ctr, low)
	out := make([]byte, len(data))
	var cb, ks [aes.BlockSize]byte
	one := big.NewInt(1)
	for i := 0; i < len(data); i += aes.BlockSize {
		new(big.Int).Add(high, low).FillBytes(cb[:])
		block.Encrypt(ks[:], cb[:])
		end := min(i+aes.BlockSize, len(data))
		subtle.XORBytes(out[i:end], data[i:end], ks[:end-i])
		low.Add(low, one).Mod(low, mod)
	}
	return out, nil
}

// gcmTagBits are the tag lengths WebCrypto allows.
var gcmTagBits = map[int]bool{32: true, 64: true, 96: true, 104: true, 112: true, 120: true, 128: true}

// aesGCM seals with a full 16-byte tag and keeps its first tagLength bits, which
// is what a shorter GCM tag is; Go's GCM takes tags of 12 bytes or more only, so a
// shorter one is checked by sealing the plaintext again and comparing prefixes.
func aesGCM(block cipher.Block, p *params, data []byte, encrypt bool) ([]byte, error) {
	if !gcmTagBits[p.tagLength] {
		return nil, fail("OperationError", "AES-GCM: the tagLength must be 32, 64, 96, 104, 112, 120 or 128, got %d", p.tagLength)
	}
	if len(p.iv) == 0 {
		return nil, fail("OperationError", "AES-GCM: the iv must not be empty (12 bytes is usual)")
	}
	aead, err := cipher.NewGCMWithNonceSize(block, len(p.iv))
	if err != nil {
		return nil, fail("OperationError", "AES-GCM: %v", err)
	}
	tag := p.tagLength / 8
	if encrypt {
		out := aead.Seal(nil, p.iv, data, p.additionalData)
		return out[:len(data)+tag], nil
	}
	if len(data) < tag {
		return nil, fail("OperationError", "AES-GCM: the data is shorter than its %d-byte tag", tag)
	}
	ct, given := data[:len(data)-tag], data[len(data)-tag:]
	if tag == aead.Overhead() {
		out, err := aead.Open(nil, p.iv, data, p.additionalData)
		if err != nil {
			return nil, fail("OperationError", "AES-GCM: the data cannot be authenticated (wrong key, iv, additionalData or tag)")
		}
		return out, nil
	}
	// The keystream is the same both ways: sealing the ciphertext yields the
	// plaintext; sealing that yields the ciphertext with its full tag.
	pt := aead.Seal(nil, p.iv, ct, p.additionalData)[:len(ct)]
	full := aead.Seal(nil, p.iv, pt, p.additionalData)
	if subtle.ConstantTimeCompare(full[len(ct):len(ct)+tag], given) != 1 {
		return nil, fail("OperationError", "AES-GCM: the data cannot be authenticated (wrong key, iv, additionalData or tag)")
	}
	return pt, nil
}

// kwIV is RFC 3394's default initial value.
const kwIV = 0xA6A6A6A6A6A6A6A6

// aesKWWrap is the AES Key Wrap algorithm of RFC 3394 (section 2.2.1), which Go's
// standard library does not have.
func aesKWWrap(k *key, data []byte) ([]byte, error) {
	if len(data) < 16 || len(data)%8 != 0 {
		return nil, fail("OperationError", "AES-KW: the data to wrap must be a multiple of 8 bytes and at least 16, got %d", len(data))
	}
	block, err := aes.NewCipher(k.secret)
	if err != nil {
		return nil, fail("OperationError", "AES-KW: %v", err)
	}
	n := len(data) / 8
	out := make([]byte, 8+len(data))
	copy(out[8:], data)
	a := uint64(kwIV)
	var b [16]byte
	for j := 0; j < 6; j++ {
		for i := 1; i <= n; i++ {
			binary.BigEndian.PutUint64(b[:8], a)
			copy(b[8:], out[i*8:i*8+8])
			block.Encrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8]) ^ uint64(n*j+i)
			copy(out[i*8:], b[8:])
		}
	}
	binary.BigEndian.PutUint64(out[:8], a)
	return out, nil
}

// aesKWUnwrap reverses aesKWWrap (RFC 3394 section 2.2.2), checking the initial
// value.
func aesKWUnwrap(k *key, data []byte) ([]byte, error) {
	if len(data) < 24 || len(data)%8 != 0 {
		return nil, fail("OperationError", "AES-KW: the wrapped data must be a multiple of 8 bytes and at least 24, got %d", len(data))
	}
	block, err := aes.NewCipher(k.secret)
	if err != nil {
		return nil, fail("OperationError", "AES-KW: %v", err)
	}
	n := len(data)/8 - 1
	out := make([]byte, len(data)-8)
	copy(out, data[8:])
	a := binary.BigEndian.Uint64(data[:8])
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			binary.BigEndian.PutUint64(b[:8], a^uint64(n*j+i))
			copy(b[8:], out[(i-1)*8:i*8])
			block.Decrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8])
			copy(out[(i-1)*8:], b[8:])
		}
	}
	if a != kwIV {
		return nil, fail("OperationError", "AES-KW: the wrapped key fails its integrity check (wrong wrapping key?)")
	}
	return out, nil
}
