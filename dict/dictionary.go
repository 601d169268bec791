package dict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Dictionary is a data source of fixed key/value pairs given to every VU
// alike. It is read-only after loading and safe for concurrent use.
type Dictionary struct {
	name string
	vals map[string]any
	keys []string // sorted
}

// LoadDictionary reads a dictionary file. A ".json" file must hold one JSON
// object: its values keep their JSON types (strings, booleans, nested arrays
// and objects; numbers become int64 when integral, float64 otherwise). Any
// other file holds key=value lines: the key and value are trimmed, blank lines
// and lines starting with '#' are ignored, values are strings, a key may
// appear once. Errors are *[SourceError] with path:line:col.
func LoadDictionary(path string) (*Dictionary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, openError("data dictionary", path, err)
	}
	return ParseDictionary(path, b)
}

// ParseDictionary parses the contents of a dictionary file; the format is
// chosen by name's extension as in [LoadDictionary].
func ParseDictionary(name string, b []byte) (*Dictionary, error) {
	b = bytes.TrimPrefix(b, bom)
	var (
		vals map[string]any
		err  error
	)
	if strings.EqualFold(filepath.Ext(name), ".json") {
		vals, err = parseJSONDict(name, b)
	} else {
		vals, err = parseLines(name, b)
	}
	if err != nil {
		return nil, err
	}
	return &Dictionary{name: name, vals: vals, keys: slices.Sorted(maps.Keys(vals))}, nil
}

// Name returns the file name the dictionary was loaded from.
func (d *Dictionary) Name() string { return d.name }

// Keys returns the keys, sorted. The slice is shared: do not modify it.
func (d *Dictionary) Keys() []string { return d.keys }

// parseJSONDict decodes one JSON object.
func parseJSONDict(name string, b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, jsonError(name, b, err)
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		rest := bytes.TrimLeft(b[end:], " \t\r\n")
		line, col := offsetPos(b, len(b)-len(rest))
		return nil, &SourceError{File: name, Line: line, Col: col, Msg: "unexpected data after the JSON object: the file must hold exactly one object"}
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, &SourceError{File: name, Line: 1, Msg: fmt.Sprintf("the file holds a JSON %s: a dictionary file must hold one object of key/value pairs", typeName(fromJSON(top)))}
	}
	return fromJSON(obj).(map[string]any), nil
}

// fromJSON replaces json.Number values with int64 (when integral) or float64,
// in place.
func fromJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		if n, ok := integral(f); ok {
			return n
		}
		return f
	case []any:
		for i := range v {
			v[i] = fromJSON(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = fromJSON(v[k])
		}
	}
	return v
}

// jsonError locates a JSON decoding error.
func jsonError(name string, b []byte, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		off = -1
	)
	switch {
	case errors.As(err, &syn):
		off = int(syn.Offset) - 1 // Offset counts the offending byte
	case errors.As(err, &typ):
		off = int(typ.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &SourceError{File: name, Err: err, Msg: "the JSON is empty or cut short: the file must hold one complete object"}
	}
	if off < 0 {
		return &SourceError{File: name, Err: err, Msg: "invalid JSON: " + err.Error()}
	}
	line, col := offsetPos(b, off)
	return &SourceError{File: name, Line: line, Col: col, Err: err, Msg: "invalid JSON: " + err.Error()}
}

// offsetPos converts a byte offset into a 1-based line and column.
func offsetPos(b []byte, off int) (line, col int) {
	off = min(max(off, 0), len(b))
	line = 1 + bytes.Count(b[:off], []byte{'\n'})
	col = off - (bytes.LastIndexByte(b[:off], '\n') + 1) + 1
	return line, col
}

// parseLines reads key=value lines.
func parseLines(name string, b []byte) (map[string]any, error) {
	vals := make(map[string]any)
	first := make(map[string]int)
	for i, line := range strings.Split(string(b), "\n") {
		n := i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, &SourceError{File: name, Line: n, Col: 1, Msg: fmt.Sprintf("expected key=value, got %q: add '=' or start the line with '#' to comment it out", truncate(line))}
		}
		k = strings.TrimSpace(k)
		if k == "" {
			return nil, &SourceError{File: name, Line: n, Col: 1, Msg: "empty key before '=': write key=value"}
		}
		if at, dup := first[k]; dup {
			return nil, &SourceError{File: name, Line: n, Col: 1, Msg: fmt.Sprintf("duplicate key %q (first set on line %d): keep one", k, at)}
		}
		first[k] = n
		vals[k] = strings.TrimSpace(v)
	}
	return vals, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
