package webcrypto_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/jsload/jsload/jsruntime/jstest"
)

// nodeRunner runs testdata/crosscheck.js in Node: argv[2] is the function, its
// argument comes as JSON on stdin, its result goes to stdout as JSON.
const nodeRunner = `import * as m from './crosscheck.mjs';
import { readFileSync } from 'node:fs';
const input = process.argv[2] === 'consume' ? JSON.parse(readFileSync(0, 'utf8')) : undefined;
process.stdout.write(JSON.stringify(await m[process.argv[2]](input)));
`

// TestNodeCrossCheck runs the same script in jsload and in Node's WebCrypto: the
// results computed from fixed inputs (digests, MACs, KDF output, AES ciphertexts,
// deterministic RSA and Ed25519 signatures, ECDH secrets, exported keys) must be
// equal, and each side must verify the other's random signatures, import its
// generated keys in every format and decrypt its RSA-OAEP ciphertext.
func TestNodeCrossCheck(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the cross-check against Node's WebCrypto needs it on PATH")
	}
	src, err := os.ReadFile("testdata/crosscheck.js")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"crosscheck.mjs": src, "run.mjs": []byte(nodeRunner)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runNode := func(fn string, in []byte) []byte {
		cmd := exec.CommandContext(ctx, node, "run.mjs", fn)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node %s: %v\n%s", fn, err, stderr.String())
		}
		return out
	}
	vu := jstest.NewVU(t, "testdata/crosscheck.js")
	ours, err := vu.CallJSON(ctx, "produce", nil)
	if err != nil {
		t.Fatalf("jsload produce: %v", err)
	}
	theirs := runNode("produce", nil)

	type produced struct {
		Deterministic map[string]any `json:"deterministic"`
	}
	var a, b produced
	if err := json.Unmarshal(ours, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(theirs, &b); err != nil {
		t.Fatal(err)
	}
	if len(a.Deterministic) == 0 || len(a.Deterministic) != len(b.Deterministic) {
		t.Fatalf("jsload computed %d results, node %d", len(a.Deterministic), len(b.Deterministic))
	}
	names := make([]string, 0, len(a.Deterministic))
	for name := range a.Deterministic {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !reflect.DeepEqual(a.Deterministic[name], b.Deterministic[name]) {
			t.Errorf("%s: jsload %v, node %v", name, a.Deterministic[name], b.Deterministic[name])
		}
	}

	passed, err := vu.CallJSON(ctx, "consume", theirs)
	if err != nil {
		t.Errorf("jsload checking node's keys and signatures: %v", err)
	}
	nodePassed := runNode("consume", ours)
	var p1, p2 []string
	_ = json.Unmarshal(passed, &p1)
	_ = json.Unmarshal(nodePassed, &p2)
	if len(p1) == 0 || len(p1) != len(p2) {
		t.Errorf("jsload passed %d checks of node's output, node %d of jsload's", len(p1), len(p2))
	}
	t.Logf("%d equal results, %d checks each way", len(names), len(p1))
}
