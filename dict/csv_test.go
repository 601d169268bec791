package dict

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		opts TableOptions
		cols []string
		rows [][]string
	}{
		{"simple", "user,pass\nu1,p1\nu2,p2\n", TableOptions{}, []string{"user", "pass"}, [][]string{{"u1", "p1"}, {"u2", "p2"}}},
		{"no final newline", "a,b\n1,2", TableOptions{}, []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"CRLF", "a,b\r\n1,2\r\n3,4\r\n", TableOptions{}, []string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}},
		{"BOM", "\xEF\xBB\xBFa,b\n1,2\n", TableOptions{}, []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"quotes", "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", TableOptions{}, []string{"a", "b"}, [][]string{{"x, y", `say "hi"`}}},
		{"newline in quotes", "a,b\n\"line1\nline2\",z\n\"crlf\r\nkept\",w\n", TableOptions{}, []string{"a", "b"},
			[][]string{{"line1\nline2", "z"}, {"crlf\nkept", "w"}}},
		{"empty fields", "a,b,c\n,,\n1,,3\n", TableOptions{}, []string{"a", "b", "c"}, [][]string{{"", "", ""}, {"1", "", "3"}}},
		{"blank lines skipped", "a\n1\n\n2\n", TableOptions{}, []string{"a"}, [][]string{{"1"}, {"2"}}},
		{"header trimmed", " a , b\n1,2\n", TableOptions{}, []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"semicolon", "a;b\n1,5;2\n", TableOptions{Separator: ';'}, []string{"a", "b"}, [][]string{{"1,5", "2"}}},
		{"tab", "a\tb\n1\t2\n", TableOptions{Separator: '\t'}, []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"unicode separator", "a§b\n1§2\n", TableOptions{Separator: '§'}, []string{"a", "b"}, [][]string{{"1", "2"}}},
		{"no header", "u1,p1\nu2,p2\n", TableOptions{NoHeader: true}, []string{"col1", "col2"}, [][]string{{"u1", "p1"}, {"u2", "p2"}}},
		{"header only", "a,b\n", TableOptions{}, []string{"a", "b"}, nil},
		{"long cell", "a\n" + strings.Repeat("x", 300) + "\n", TableOptions{}, []string{"a"}, [][]string{{strings.Repeat("x", 300)}}},
		{"utf-8 cells", "nom\nÉlodie\n日本\n", TableOptions{}, []string{"nom"}, [][]string{{"Élodie"}, {"日本"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := ReadTable(strings.NewReader(tt.in), "t.csv", tt.opts)
			if err != nil {
				t.Fatalf("ReadTable: %v", err)
			}
			if !slices.Equal(tab.Columns(), tt.cols) {
				t.Errorf("Columns() = %q; want %q", tab.Columns(), tt.cols)
			}
			if tab.Len() != len(tt.rows) {
				t.Fatalf("Len() = %d; want %d", tab.Len(), len(tt.rows))
			}
			for i, want := range tt.rows {
				if got := tab.Row(i); !slices.Equal(got, want) {
					t.Errorf("Row(%d) = %q; want %q", i, got, want)
				}
				m := map[string]any{}
				tab.Fill(i, m)
				for j, c := range tt.cols {
					if m[c] != want[j] {
						t.Errorf("row %d column %s: Fill %q; want %q", i, c, m[c], want[j])
					}
				}
			}
		})
	}
}

func TestReadTableErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		opts TableOptions
		want string // the whole message or a prefix of it
		line int
	}{
		{"bare quote", "a,b\n1,x\"y\n", TableOptions{}, `u.csv:2:4: a quote (") inside an unquoted field: quote the whole field`, 2},
		{"unclosed quote", "a,b\n1,\"xy\n2,3\n", TableOptions{}, "u.csv:2:3: a quoted field opens here and is never closed: add the closing quote", 2},
		{"text after quote", "a,b\n\"x\"y,2\n", TableOptions{}, "u.csv:2:3: a quoted field is not closed, or has text after its closing quote", 2},
		{"too many fields", "a,b\n1,2\n1,2,3\n", TableOptions{}, `u.csv:3: row has 3 fields but the header has 2: quote fields that contain ','`, 3},
		{"too few fields", "a;b\n1\n", TableOptions{Separator: ';'}, `u.csv:2: row has 1 fields but the header has 2: quote fields that contain ';'`, 2},
		{"no header too many", "1,2\n1,2,3\n", TableOptions{NoHeader: true}, "u.csv:2: row has 3 fields but the first row has 2", 2},
		{"duplicate header", "user,pass,user\n1,2,3\n", TableOptions{}, `u.csv:1:11: duplicate column name "user" (columns 1 and 3)`, 1},
		{"empty header", "user,,pass\n1,2,3\n", TableOptions{}, "u.csv:1:6: column 2 has no name: name every column in the header line, or set header: false", 1},
		{"blank header", "user,  \n1,2\n", TableOptions{}, "u.csv:1:6: column 2 has no name", 1},
		{"empty file", "", TableOptions{}, "u.csv: the file is empty", 0},
		{"only BOM", "\xEF\xBB\xBF", TableOptions{}, "u.csv: the file is empty", 0},
		{"bad separator", "a\n", TableOptions{Separator: '"'}, `u.csv: invalid separator '"'`, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadTable(strings.NewReader(tt.in), "u.csv", tt.opts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
			var se *SourceError
			if tt.line >= 0 && (!errors.As(err, &se) || se.Line != tt.line) {
				t.Errorf("err = %#v; want a *SourceError at line %d", err, tt.line)
			}
		})
	}
}

func TestLoadTableFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(path, []byte("username,password\nuser1,password1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tab, err := LoadTable(path, TableOptions{})
	if err != nil || tab.Len() != 1 || tab.Name() != path {
		t.Fatalf("LoadTable = %v, %v; want one row named %s", tab, err, path)
	}
	_, err = LoadTable(filepath.Join(dir, "nope.csv"), TableOptions{})
	if err == nil || !strings.Contains(err.Error(), "nope.csv: data table file not found: check the path") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file error = %v", err)
	}
}

// writeRows writes a CSV of n rows like "user123,password123,123,Firstname123 Lastname".
func writeRows(tb testing.TB, n int) (string, int64) {
	path := filepath.Join(tb.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "username,password,accountId,fullName")
	for i := range n {
		fmt.Fprintf(w, "user%d,password%d,%d,\"Firstname%d, Lastname\"\n", i, i, i, i)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return path, st.Size()
}

// loadMeasured loads path and returns the table, the load time and the live
// heap it added.
func loadMeasured(tb testing.TB, path string) (*Table, time.Duration, uint64, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	tab, err := LoadTable(path, TableOptions{})
	elapsed := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	return tab, elapsed, after.HeapAlloc - before.HeapAlloc, after.TotalAlloc - before.TotalAlloc
}

// TestTableMemory checks the storage goal: a table takes at most twice its
// file's size in live heap.
func TestTableMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and loads a 200,000-row file")
	}
	path, size := writeRows(t, 200_000)
	tab, _, live, _ := loadMeasured(t, path)
	if tab.Len() != 200_000 {
		t.Fatalf("Len() = %d; want 200000", tab.Len())
	}
	if ratio := float64(live) / float64(size); ratio > 2 {
		t.Errorf("table of a %d-byte file holds %d bytes of heap (%.2f×); want ≤ 2×", size, live, ratio)
	}
	if got, want := tab.Row(123_456), []string{"user123456", "password123456", "123456", "Firstname123456, Lastname"}; !slices.Equal(got, want) {
		t.Errorf("Row(123456) = %q; want %q", got, want)
	}
	runtime.KeepAlive(tab)
}

// BenchmarkLoadTable1M loads a generated 1,000,000-row CSV. Loading takes a
// good part of a second, so it loads once per benchmark run whatever b.N and
// reports per-load figures (ns/op is zeroed): load time, live heap and all
// bytes allocated while loading, both relative to the file size.
func BenchmarkLoadTable1M(b *testing.B) {
	if testing.Short() {
		b.Skip("writes a 1,000,000-row file")
	}
	path, size := writeRows(b, 1_000_000)
	b.ResetTimer()
	tab, elapsed, live, total := loadMeasured(b, path)
	b.StopTimer()
	if tab.Len() != 1_000_000 {
		b.Fatalf("Len() = %d", tab.Len())
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(elapsed)/float64(time.Millisecond), "ms/load")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	b.ReportMetric(float64(live)/float64(size), "heap/file")
	b.ReportMetric(float64(total)/float64(size), "alloc/file")
	runtime.KeepAlive(tab)
}

// BenchmarkFill copies one row into a map, as a Feed does per iteration.
func BenchmarkFill(b *testing.B) {
	tab, err := ReadTable(strings.NewReader("a,b,c,d\nuser1,password1,42,\"x, y\"\n"), "b.csv", TableOptions{})
	if err != nil {
		b.Fatal(err)
	}
	m := map[string]any{}
	for b.Loop() {
		tab.Fill(0, m)
	}
}

// FuzzReadTable checks that the loader never panics and, when it accepts a
// file, returns exactly the records encoding/csv reads from it.
func FuzzReadTable(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x,\"\"y\"\"\",2\r\n", "\xEF\xBB\xBFa\n\"multi\nline\"\n", "a,a\n", ",\n", "a\n\"", "a,b\n1\n",
	} {
		f.Add([]byte(s), false, uint8(0))
	}
	seps := []rune{',', ';', '\t', '|', '§'}
	f.Fuzz(func(t *testing.T, in []byte, noHeader bool, sepIdx uint8) {
		sep := seps[int(sepIdx)%len(seps)]
		tab, err := ReadTable(bytes.NewReader(in), "fuzz.csv", TableOptions{Separator: sep, NoHeader: noHeader})
		if err != nil {
			return
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(in, bom)))
		r.Comma = sep
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("ReadTable accepted what encoding/csv rejects: %v", err)
		}
		if !noHeader {
			recs = recs[1:]
		}
		if tab.Len() != len(recs) {
			t.Fatalf("Len() = %d; want %d", tab.Len(), len(recs))
		}
		for i, rec := range recs {
			if got := tab.Row(i); !slices.Equal(got, rec) {
				t.Fatalf("Row(%d) = %q; want %q", i, got, rec)
			}
		}
	})
}
