package dict

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// The options of one entry of options.data, in the order error messages list them.
var dataOptions = []string{"file", "type", "rows", "rowsPerVU", "onExhausted", "shuffle", "separator", "header", "encoding", "groups"}

// tableOnly are the options that make no sense for a dictionary.
var tableOnly = []string{"rows", "rowsPerVU", "onExhausted", "shuffle", "separator", "header", "encoding"}

// LoadData turns the options.data declaration of a script (as JSON decoding
// gives it: map[string]any of objects) into bindings, loading every file once.
// Relative file names are resolved from baseDir (the script's folder).
//
// Each entry is { file, type?, rows?, rowsPerVU?, onExhausted?, shuffle?,
// separator?, header?, encoding?, groups? }. type is "table" or "dictionary" and defaults
// from the extension: .csv and .tsv (tab-separated) are tables; .json, .txt
// and .properties dictionaries. rows defaults to "per-vu"; shuffle is true,
// false or an integer seed; groups is a group name or a list of them.
//
// Any error (unknown option, bad type, unreadable or malformed file) names
// the entry and what is accepted, and nothing is returned: no half-loaded data.
// Group names and VU counts are checked later, by [NewDataBindings].
func LoadData(decl map[string]any, baseDir string) ([]*DataBinding, error) {
	type fileKey struct {
		path string
		opts TableOptions
	}
	tables := make(map[fileKey]*Table)
	dicts := make(map[string]*Dictionary)
	var out []*DataBinding
	for _, name := range slices.Sorted(maps.Keys(decl)) {
		b, path, topts, isTable, err := parseEntry(name, decl[name], baseDir)
		if err != nil {
			return nil, err
		}
		if isTable {
			k := fileKey{path, topts}
			if tables[k] == nil {
				if tables[k], err = LoadTable(path, topts); err != nil {
					return nil, fmt.Errorf("data %q: %w", name, err)
				}
			}
			b.Table = tables[k]
		} else {
			if dicts[path] == nil {
				if dicts[path], err = LoadDictionary(path); err != nil {
					return nil, fmt.Errorf("data %q: %w", name, err)
				}
			}
			b.Dictionary = dicts[path]
		}
		if err := b.Validate(0); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// entry reads the options of one data entry with errors that name it.
type entry struct {
	name string
	m    map[string]any
}

func (e entry) errorf(key, format string, args ...any) error {
	return fmt.Errorf("data %q: %s: %s", e.name, key, fmt.Sprintf(format, args...))
}

// parseEntry validates one entry and returns its binding (without source),
// the resolved file path, the table options and whether it is a table.
func parseEntry(name string, v any, baseDir string) (*DataBinding, string, TableOptions, bool, error) {
	var topts TableOptions
	m, ok := v.(map[string]any)
	if !ok {
		return nil, "", topts, false, fmt.Errorf("data %q: expected an object such as { file: 'users.csv', rows: 'per-vu' }, got %s", name, describe(v))
	}
	e := entry{name, m}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(dataOptions, k) {
			hint := ""
			if i := slices.IndexFunc(dataOptions, func(o string) bool { return strings.EqualFold(o, k) }); i >= 0 {
				hint = fmt.Sprintf(" (did you mean %q?)", dataOptions[i])
			}
			return nil, "", topts, false, fmt.Errorf("data %q: unknown option %q%s: accepted options are %s", name, k, hint, strings.Join(dataOptions, ", "))
		}
	}
	file, err := e.str("file", "", "a file name such as 'users.csv'")
	if err != nil {
		return nil, "", topts, false, err
	}
	if file == "" {
		return nil, "", topts, false, e.errorf("file", "missing: name the data file, e.g. { file: 'users.csv' }")
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	isTable, err := e.kind(file)
	if err != nil {
		return nil, "", topts, false, err
	}
	b := &DataBinding{Name: name}
	if b.Groups, err = e.groups(); err != nil {
		return nil, "", topts, false, err
	}
	if !isTable {
		for _, k := range tableOnly {
			if _, set := m[k]; set {
				return nil, "", topts, false, e.errorf(k, "applies only to CSV tables, and %s is a dictionary", file)
			}
		}
		return b, path, topts, false, nil
	}
	if strings.EqualFold(filepath.Ext(file), ".tsv") {
		topts.Separator = '\t'
	}
	if err := e.tableOptions(b, &topts); err != nil {
		return nil, "", topts, false, err
	}
	return b, path, topts, true, nil
}

// kind decides between table and dictionary.
func (e entry) kind(file string) (bool, error) {
	t, err := e.str("type", "", `"table" or "dictionary"`)
	if err != nil {
		return false, err
	}
	switch t {
	case "table":
		return true, nil
	case "dictionary":
		return false, nil
	case "":
	default:
		return false, e.errorf("type", "unknown type %q: use \"table\" or \"dictionary\"", t)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv", ".tsv":
		return true, nil
	case ".json", ".txt", ".properties":
		return false, nil
	}
	return false, e.errorf("file", "cannot tell the format of %s: use a .csv/.tsv table or a .json/.txt/.properties dictionary, or set type: 'table' or 'dictionary'", file)
}

// tableOptions reads the table-only options. The values of rows,
// rowsPerVU and onExhausted are checked by [DataBinding.Validate].
func (e entry) tableOptions(b *DataBinding, topts *TableOptions) error {
	rows, err := e.str("rows", string(PerVU), fmt.Sprintf("%q, %q, %q or %q", PerVU, PerIteration, Shared, Random))
	if err != nil {
		return err
	}
	b.Mode = Mode(rows)
	if b.RowsPerVU, err = e.positive("rowsPerVU"); err != nil {
		return err
	}
	pol, err := e.str("onExhausted", string(Cycle), fmt.Sprintf("%q, %q, %q or %q", Cycle, StopVU, Abort, Last))
	if err != nil {
		return err
	}
	b.OnExhausted = Policy(pol)
	switch v := e.m["shuffle"].(type) {
	case nil:
	case bool:
		b.Shuffle = v
	case float64:
		n, err := e.positive("shuffle")
		if err != nil {
			return e.errorf("shuffle", "expected true, false or a positive integer seed, got %s", describe(v))
		}
		b.Shuffle, b.Seed = true, uint64(n)
	default:
		return e.errorf("shuffle", "expected true, false or a positive integer seed, got %s", describe(v))
	}
	sep, err := e.str("separator", "", "one character such as ';' or '\\t'")
	if err != nil {
		return err
	}
	if sep != "" {
		if utf8.RuneCountInString(sep) != 1 {
			return e.errorf("separator", "expected one character such as ';' or '\\t', got %q", sep)
		}
		topts.Separator, _ = utf8.DecodeRuneInString(sep)
	}
	if topts.Encoding, err = e.str("encoding", "", "an encoding name such as 'windows-1252'"); err != nil {
		return err
	}
	if _, err := decodeFrom(nil, topts.Encoding); err != nil {
		return e.errorf("encoding", "%v", err)
	}
	switch v := e.m["header"].(type) {
	case nil:
	case bool:
		topts.NoHeader = !v
	default:
		return e.errorf("header", "expected true or false, got %s", describe(v))
	}
	return nil
}

// str reads an optional string option.
func (e entry) str(key, def, want string) (string, error) {
	v, ok := e.m[key]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", e.errorf(key, "expected %s, got %s", want, describe(v))
	}
	return s, nil
}

// positive reads an optional positive integer option (0 when absent).
func (e entry) positive(key string) (int, error) {
	v, ok := e.m[key]
	if !ok || v == nil {
		return 0, nil
	}
	n, err := ConvertInt(key, v)
	if _, isStr := v.(string); err != nil || isStr || n < 1 || n > 1<<31 {
		return 0, e.errorf(key, "expected a positive integer, got %s", describe(v))
	}
	return int(n), nil
}

// groups reads groups: a name or a list of names.
func (e entry) groups() ([]string, error) {
	const want = "a group name or a list of group names"
	switch v := e.m["groups"].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []string:
		return slices.Clone(v), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, g := range v {
			s, ok := g.(string)
			if !ok || s == "" {
				return nil, e.errorf("groups", "expected %s, got an element %s", want, describe(g))
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, e.errorf("groups", "expected %s, got %s", want, describe(v))
	}
}
