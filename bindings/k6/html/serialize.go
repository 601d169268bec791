package html

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/dop251/goja"
)

// FormValue is one field of serializeArray: a form control's name and value.
type FormValue struct {
	Name  string     `js:"name"`
	Value goja.Value `js:"value"`
}

// SerializeArray returns the successful controls of the forms (or of the
// controls) of the selection, as jQuery does: named, not disabled, not buttons
// or files, checkboxes and radios only when checked.
func (s Selection) SerializeArray() []FormValue {
	const controls = "input,select,textarea,keygen"
	var els *goquery.Selection
	if s.sel.Is("form") {
		els = s.sel.Find(controls)
	} else {
		els = s.sel.Filter(controls)
	}
	els = els.FilterFunction(func(_ int, c *goquery.Selection) bool {
		name, typ := c.AttrOr("name", ""), c.AttrOr("type", "")
		_, disabled := c.Attr("disabled")
		_, checked := c.Attr("checked")
		switch typ {
		case "submit", "button", "reset", "image", "file":
			return false
		case "checkbox", "radio":
			return name != "" && !disabled && checked
		}
		return name != "" && !disabled
	})
	out := make([]FormValue, 0, els.Length())
	els.Each(func(_ int, c *goquery.Selection) {
		out = append(out, FormValue{Name: c.AttrOr("name", ""), Value: s.wrap(c).Val()})
	})
	return out
}

// SerializeObject returns the fields of SerializeArray by name (the last value
// of a repeated name).
func (s Selection) SerializeObject() map[string]goja.Value {
	out := map[string]goja.Value{}
	for _, f := range s.SerializeArray() {
		out[f.Name] = f.Value
	}
	return out
}

// Serialize returns the fields of SerializeArray URL-encoded, in order.
func (s Selection) Serialize() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
	}
	for _, f := range s.SerializeArray() {
		switch v := f.Value.Export().(type) {
		case []string:
			for _, x := range v {
				add(f.Name, x)
			}
		case []any:
			for _, x := range v {
				add(f.Name, toString(x))
			}
		case nil:
		default:
			add(f.Name, f.Value.String())
		}
	}
	return b.String()
}

func toString(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	return ""
}

// dataValue converts a data-* attribute as jQuery does: true, false, null,
// numbers, and JSON objects or arrays; other text as it is.
func dataValue(v string) any {
	switch v {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && strconv.FormatFloat(n, 'f', -1, 64) == v {
		return n
	}
	if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		var j any
		if json.Unmarshal([]byte(v), &j) == nil {
			return j
		}
	}
	return v
}

// camelToKebab turns a data key into its attribute: fooBar → foo-bar.
func camelToKebab(k string) string {
	var b strings.Builder
	for _, r := range k {
		if unicode.IsUpper(r) {
			b.WriteByte('-')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// kebabToCamel turns an attribute into its data key: foo-bar → fooBar.
func kebabToCamel(k string) string {
	parts := strings.Split(k, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
