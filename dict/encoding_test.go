package dict

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestInvalidUTF8 finds the bytes of a UTF-8 table that are not UTF-8 (which
// scripts would see as U+FFFD): the first line with some and the rows.
func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in      string
		line, records int
		warning       string
	}{
		{"valid", "nom\nÉlodie\n日本\n", 0, 0, ""},
		{"latin1 rows", "nom,ville\nok,Paris\n\xC9lodie,Lyon\nfine,Nice\nRen\xE9,S\xE8te\n", 3, 2,
			"t.csv:3: bytes that are not UTF-8 (2 rows, the first here): scripts see each as U+FFFD (\uFFFD): save the file as UTF-8, or name its encoding, e.g. { file: 't.csv', encoding: 'windows-1252' }"},
		{"one row", "a\n\xFF\n", 2, 1, "t.csv:2: bytes that are not UTF-8 (1 row):"},
		{"in the header", "n\xE9,b\n1,2\n", 1, 1, "t.csv:1:"},
		{"in a later line of a quoted cell", "a,b\nx,\"one\ntwo \x80\"\n", 2, 1, "t.csv:2:"},
		{"in a later cell", "a,b,c\nx,y,\n\"q\",\"r\",\"\xA0\"\n", 3, 1, "t.csv:3:"},
	} {
		tab, err := ReadTable(strings.NewReader(tt.in), "t.csv", TableOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		line, records := tab.InvalidUTF8()
		if line != tt.line || records != tt.records {
			t.Errorf("%s: InvalidUTF8() = %d, %d; want %d, %d", tt.name, line, records, tt.line, tt.records)
		}
		if w := tab.EncodingWarning(); (tt.warning == "") != (w == "") || !strings.HasPrefix(w, tt.warning) {
			t.Errorf("%s: warning %q, want %q", tt.name, w, tt.warning)
		}
	}
}

// TestEncodings: a table declared in another encoding is decoded to UTF-8.
func TestEncodings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		enc, in string
		want    []string
	}{
		{"windows-1252", "nom\n\xC9lodie\n\x80 12\n", []string{"Élodie", "€ 12"}},
		{"latin1", "nom\nRen\xE9\n", []string{"René"}},
		{"ISO-8859-15", "nom\n\xA4\n", []string{"€"}},
		{"utf-8", "nom\nÉlodie\n", []string{"Élodie"}},
		{"utf-16le", "n\x00o\x00m\x00\n\x00\xE5\x65\n\x00", []string{"日"}},
	} {
		tab, err := ReadTable(strings.NewReader(tt.in), "t.csv", TableOptions{Encoding: tt.enc})
		if err != nil {
			t.Fatalf("%s: %v", tt.enc, err)
		}
		var got []string
		for i := range tab.Len() {
			got = append(got, tab.Row(i)[0])
		}
		if !slices.Equal(got, tt.want) || tab.Columns()[0] != "nom" {
			t.Errorf("%s: rows %q, columns %q; want %q", tt.enc, got, tab.Columns(), tt.want)
		}
		if w := tab.EncodingWarning(); w != "" {
			t.Errorf("%s: warning %q", tt.enc, w)
		}
	}
	if _, err := ReadTable(strings.NewReader("a\n1\n"), "t.csv", TableOptions{Encoding: "ebcdic-klingon"}); err == nil ||
		!strings.Contains(err.Error(), `t.csv: unknown encoding "ebcdic-klingon"`) {
		t.Errorf("unknown encoding: %v", err)
	}
}

// TestEncodingWarnedOnce: a table with bytes that are not UTF-8 is warned
// about once when the run's bindings are made, however many use it, and not
// when its encoding is declared.
func TestEncodingWarnedOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.csv"), []byte("name\nRen\xE9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		js   string
		want int
	}{
		{`{"a": {"file": "users.csv", "groups": "default"}, "b": {"file": "users.csv", "groups": "other"}}`, 1},
		{`{"a": {"file": "users.csv", "encoding": "windows-1252"}}`, 0},
	} {
		list, err := LoadData(decl(t, tt.js), dir)
		if err != nil {
			t.Fatal(err)
		}
		var warnings []string
		if _, err := NewDataBindings(list, []GroupSize{{Name: "default", VUs: 1}, {Name: "other", VUs: 1}}, func(w string) { warnings = append(warnings, w) }); err != nil {
			t.Fatal(err)
		}
		if len(warnings) != tt.want || (tt.want > 0 && !strings.Contains(warnings[0], filepath.Join(dir, "users.csv")+":2: bytes that are not UTF-8")) {
			t.Errorf("%s: warnings %q", tt.js, warnings)
		}
	}
}
