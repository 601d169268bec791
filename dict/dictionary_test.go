package dict

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseDictionary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, in string
		want           map[string]any
	}{
		{"json types", "c.json", `{"s":"x","i":3,"f":2.5,"whole":3.0,"big":1e300,"b":true,"n":null,"arr":[1,"a",1.5],"obj":{"k":2}}`,
			map[string]any{"s": "x", "i": int64(3), "f": 2.5, "whole": int64(3), "big": 1e300, "b": true, "n": nil,
				"arr": []any{int64(1), "a", 1.5}, "obj": map[string]any{"k": int64(2)}}},
		{"json BOM", "c.JSON", "\xEF\xBB\xBF{\"a\":\"b\"}", map[string]any{"a": "b"}},
		{"lines", "c.txt", "# comment\n\nnumAccounts=3\r\n  url = http://h/?a=b  \nempty=\n", map[string]any{"numAccounts": "3", "url": "http://h/?a=b", "empty": ""}},
		{"properties", "c.properties", "a=1\n", map[string]any{"a": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := ParseDictionary(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d.vals, tt.want) || len(d.Keys()) != len(tt.want) {
				t.Errorf("values = %#v, keys %q; want %#v", d.vals, d.Keys(), tt.want)
			}
		})
	}
}

func TestParseDictionaryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, in, want string
	}{
		{"json syntax", "c.json", "{\n  \"a\": 1,\n  \"b\" 2\n}", "c.json:3:7: invalid JSON: invalid character '2' after object key"},
		{"json not object", "c.json", `[1,2]`, "c.json:1: the file holds a JSON array: a dictionary file must hold one object"},
		{"json trailing", "c.json", "{}\n{}", "c.json:2:1: unexpected data after the JSON object"},
		{"json empty", "c.json", "", "c.json: the JSON is empty or cut short"},
		{"json cut", "c.json", `{"a":`, "c.json: the JSON is empty or cut short"},
		{"no equals", "c.txt", "a=1\nfoo bar\n", `c.txt:2:1: expected key=value, got "foo bar"`},
		{"empty key", "c.txt", " = 3\n", "c.txt:1:1: empty key before '='"},
		{"duplicate", "c.txt", "a=1\n\na=2\n", `c.txt:3:1: duplicate key "a" (first set on line 1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDictionary(tt.file, []byte(tt.in))
			var se *SourceError
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.As(err, &se) {
				t.Fatalf("err = %v; want a *SourceError starting %q", err, tt.want)
			}
		})
	}
}

func TestLoadDictionaryFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(`{"numAccounts": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDictionary(path)
	if err != nil || d.Name() != path {
		t.Fatalf("LoadDictionary = %v, %v", d, err)
	}
	if _, err := LoadDictionary(path + ".missing"); err == nil || !strings.Contains(err.Error(), "data dictionary file not found") {
		t.Errorf("missing file error = %v", err)
	}
}
