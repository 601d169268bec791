package dict

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataDir writes the files the declaration tests use and returns its path.
func dataDir(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"users.csv":     "username,password\nuser1,password1\nuser2,password2\n",
		"customers.tsv": "custForename\tcustSurname\nf1\ts1\nf2\ts2\nf3\ts3\n",
		"semi.csv":      "a;b\n1;2\n",
		"noheader.csv":  "x,y\n",
		"config.json":   `{"numAccounts": 3}`,
		"settings.txt":  "mode=fast\n",
		"bad.csv":       "a,b\n1,\"2\n",
		"data.dat":      "a\n1\n",
		"empty.csv":     "a\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// decl decodes a JSON declaration as the runtime would hand it over.
func decl(t *testing.T, js string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLoadData(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	bs, err := LoadData(decl(t, `{
		"users":     {"file": "users.csv", "rows": "per-vu", "onExhausted": "abort"},
		"customers": {"file": "customers.tsv", "rows": "per-iteration", "rowsPerVU": 1, "groups": ["shoppers"], "shuffle": 42},
		"semi":      {"file": "semi.csv", "separator": ";", "rows": "random", "groups": "browsers"},
		"raw":       {"file": "noheader.csv", "header": false, "rows": "shared"},
		"again":     {"file": "users.csv", "rows": "shared", "groups": []},
		"config":    {"file": "config.json"},
		"settings":  {"file": "settings.txt", "groups": ["browsers"]},
		"dat":       {"file": "data.dat", "type": "table"}
	}`), dir)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*DataBinding{}
	for _, b := range bs {
		by[b.Name] = b
	}
	if len(by) != 8 {
		t.Fatalf("got %d bindings; want 8", len(by))
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"users", by["users"].Mode == PerVU && by["users"].OnExhausted == Abort && by["users"].Table.Len() == 2},
		{"customers", by["customers"].RowsPerVU == 1 && by["customers"].Shuffle && by["customers"].Seed == 42 &&
			by["customers"].Table.Columns()[1] == "custSurname" && by["customers"].Groups[0] == "shoppers"},
		{"semi", by["semi"].Mode == Random && by["semi"].Table.Row(0)[1] == "2" && by["semi"].Groups[0] == "browsers"},
		{"raw", by["raw"].Table.Columns()[0] == "col1" && by["raw"].Table.Len() == 1},
		{"again shares the loaded table", by["again"].Table == by["users"].Table && by["again"].OnExhausted == Cycle},
		{"config", by["config"].Dictionary != nil && len(by["config"].Dictionary.Keys()) == 1},
		{"settings", by["settings"].Dictionary != nil},
		{"dat", by["dat"].Table != nil && by["dat"].Mode == PerVU},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("binding %s not as declared: %+v", c.name, by[strings.Fields(c.name)[0]])
		}
	}
}

func TestLoadDataErrors(t *testing.T) {
	t.Parallel()
	dir := dataDir(t)
	tests := []struct {
		name, js, want string
	}{
		{"not an object", `{"users": "users.csv"}`, `data "users": expected an object such as { file: 'users.csv', rows: 'per-vu' }, got "users.csv" (string)`},
		{"unknown option", `{"users": {"file": "users.csv", "rowsPerVu": 3}}`, `data "users": unknown option "rowsPerVu" (did you mean "rowsPerVU"?): accepted options are file, type, rows`},
		{"missing file option", `{"users": {"rows": "per-vu"}}`, `data "users": file: missing`},
		{"file not a string", `{"users": {"file": 3}}`, `data "users": file: expected a file name such as 'users.csv', got 3 (number)`},
		{"unknown mode", `{"users": {"file": "users.csv", "rows": "per-user"}}`, `data table "users" (` + filepath.Join(dir, "users.csv") + `): unknown rows mode "per-user": use "per-vu", "per-iteration", "shared" or "random"`},
		{"unknown policy", `{"users": {"file": "users.csv", "onExhausted": "wrap"}}`, `data table "users" (` + filepath.Join(dir, "users.csv") + `): unknown onExhausted "wrap": use "cycle", "stop-vu", "abort" or "last"`},
		{"rowsPerVU not positive", `{"c": {"file": "users.csv", "rows": "per-iteration", "rowsPerVU": 0}}`, `data "c": rowsPerVU: expected a positive integer, got 0 (number)`},
		{"rowsPerVU fraction", `{"c": {"file": "users.csv", "rows": "per-iteration", "rowsPerVU": 1.5}}`, `rowsPerVU: expected a positive integer, got 1.5 (number)`},
		{"rowsPerVU string", `{"c": {"file": "users.csv", "rows": "per-iteration", "rowsPerVU": "3"}}`, `rowsPerVU: expected a positive integer, got "3" (string)`},
		{"rowsPerVU wrong mode", `{"c": {"file": "users.csv", "rowsPerVU": 2}}`, `data table "c" (` + filepath.Join(dir, "users.csv") + `): rowsPerVU must be a positive integer and applies only to rows "per-iteration"`},
		{"shuffle type", `{"c": {"file": "users.csv", "shuffle": "yes"}}`, `shuffle: expected true, false or a positive integer seed, got "yes" (string)`},
		{"separator too long", `{"c": {"file": "users.csv", "separator": ";;"}}`, `separator: expected one character such as ';' or '\t', got ";;"`},
		{"header type", `{"c": {"file": "users.csv", "header": "no"}}`, `header: expected true or false, got "no" (string)`},
		{"groups type", `{"c": {"file": "users.csv", "groups": [1]}}`, `groups: expected a group name or a list of group names, got an element 1 (number)`},
		{"table option on dictionary", `{"c": {"file": "config.json", "rows": "per-vu"}}`, `data "c": rows: applies only to CSV tables, and config.json is a dictionary`},
		{"unknown extension", `{"c": {"file": "data.dat"}}`, `data "c": file: cannot tell the format of data.dat`},
		{"unknown type", `{"c": {"file": "users.csv", "type": "sheet"}}`, `type: unknown type "sheet"`},
		{"missing file", `{"c": {"file": "nope.csv"}}`, `data "c": ` + filepath.Join(dir, "nope.csv") + `: data table file not found`},
		{"malformed csv", `{"c": {"file": "bad.csv"}}`, `data "c": ` + filepath.Join(dir, "bad.csv") + `:2:3: a quoted field opens here and is never closed`},
		{"empty table", `{"c": {"file": "empty.csv"}}`, `the table has no data rows`},
		{"missing dictionary", `{"c": {"file": "nope.json"}}`, `data dictionary file not found`},
		{"unknown encoding", `{"c": {"file": "users.csv", "encoding": "klingon"}}`, `data "c": encoding: unknown encoding "klingon": use a name such as 'utf-8', 'windows-1252'`},
		{"encoding type", `{"c": {"file": "users.csv", "encoding": 1252}}`, `encoding: expected an encoding name such as 'windows-1252', got 1252 (number)`},
		{"encoding on dictionary", `{"c": {"file": "config.json", "encoding": "latin1"}}`, `data "c": encoding: applies only to CSV tables`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bs, err := LoadData(decl(t, tt.js), dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
			if bs != nil {
				t.Errorf("got bindings with an error: nothing may be half-loaded")
			}
		})
	}
}
