package webcrypto

import (
	"bytes"
	"crypto/rsa"
	"crypto/subtle"
	"math/big"
)

// RSA-PSS with an empty salt (saltLength 0), which WebCrypto allows and gives
// deterministic signatures: Go's crypto/rsa reads a SaltLength of 0 as "as long as
// possible" and has no way to ask for none, so EMSA-PSS (RFC 8017 section 9.1) is
// written out here for that one case, over textbook RSA on math/big.

// mgf1XOR xors out with MGF1(seed) using hash h.
func mgf1XOR(out []byte, h string, seed []byte) {
	var counter [4]byte
	done := 0
	for done < len(out) {
		d := hashes[h].New()
		d.Write(seed)
		d.Write(counter[:])
		for _, b := range d.Sum(nil) {
			if done == len(out) {
				break
			}
			out[done] ^= b
			done++
		}
		for i := 3; i >= 0; i-- {
			counter[i]++
			if counter[i] != 0 {
				break
			}
		}
	}
}

// pssHash is H = Hash(0x00 x 8 || mHash), M' with an empty salt.
func pssHash(h string, mHash []byte) []byte {
	d := hashes[h].New()
	d.Write(make([]byte, 8))
	d.Write(mHash)
	return d.Sum(nil)
}

func signPSSNoSalt(priv *rsa.PrivateKey, h string, mHash []byte) ([]byte, error) {
	emBits := priv.N.BitLen() - 1
	emLen := (emBits + 7) / 8
	hLen := len(mHash)
	if emLen < hLen+2 {
		return nil, fail("OperationError", "RSA-PSS: the key is too small for the hash")
	}
	em := make([]byte, emLen)
	db := em[:emLen-hLen-1]
	db[len(db)-1] = 0x01
	hh := pssHash(h, mHash)
	mgf1XOR(db, h, hh)
	db[0] &= 0xff >> (8*emLen - emBits)
	copy(em[emLen-hLen-1:], hh)
	em[emLen-1] = 0xbc
	m := new(big.Int).SetBytes(em)
	s := new(big.Int).Exp(m, priv.D, priv.N)
	// Check the result with the public key, as crypto/rsa does, so a fault never
	// leaks a bad signature.
	if new(big.Int).Exp(s, big.NewInt(int64(priv.E)), priv.N).Cmp(m) != 0 {
		return nil, fail("OperationError", "RSA-PSS: signature check failed")
	}
	return s.FillBytes(make([]byte, (priv.N.BitLen()+7)/8)), nil
}

func verifyPSSNoSalt(pub *rsa.PublicKey, h string, mHash, sig []byte) bool {
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) != k {
		return false
	}
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(pub.N) >= 0 {
		return false
	}
	emBits := pub.N.BitLen() - 1
	emLen := (emBits + 7) / 8
	hLen := len(mHash)
	m := new(big.Int).Exp(s, big.NewInt(int64(pub.E)), pub.N)
	if m.BitLen() > emLen*8 || emLen < hLen+2 {
		return false
	}
	em := m.FillBytes(make([]byte, emLen))
	if em[emLen-1] != 0xbc || em[0]&^(0xff>>(8*emLen-emBits)) != 0 {
		return false
	}
	db := append([]byte{}, em[:emLen-hLen-1]...)
	hh := em[emLen-hLen-1 : emLen-1]
	mgf1XOR(db, h, hh)
	db[0] &= 0xff >> (8*emLen - emBits)
	want := make([]byte, len(db))
	want[len(want)-1] = 0x01
	return bytes.Equal(db, want) && subtle.ConstantTimeCompare(hh, pssHash(h, mHash)) == 1
}
