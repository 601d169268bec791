package dict

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Wanted type names used in [ConversionError.Want], as a script author says them.
const (
	WantString  = "string"
	WantInteger = "integer"
	WantNumber  = "number"
	WantBoolean = "boolean"
)

// ConvertString converts a dictionary value to a string: strings as they are,
// numbers in their shortest decimal form, booleans as "true"/"false", arrays
// and objects as JSON. key only labels the error; nil is an error.
func ConvertString(key string, v any) (string, error) {
	switch v := Normalize(v).(type) {
	case string:
		return v, nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return formatFloat(v), nil
	case bool:
		return strconv.FormatBool(v), nil
	case []any, map[string]any:
		b, err := json.Marshal(v)
		if err == nil {
			return string(b), nil
		}
	}
	return "", &ConversionError{Key: key, Value: v, Want: WantString}
}

// formatFloat formats like JavaScript's String(n) for the common range.
func formatFloat(f float64) string {
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ConvertInt converts a dictionary value to an integer: int64 as is, an
// integral float64 (3.0 → 3), a string holding an integer ("3", " 42 ",
// "3.0"). Fractions ("3.5", 3.5), booleans and anything else are errors.
func ConvertInt(key string, v any) (int64, error) {
	switch v := Normalize(v).(type) {
	case int64:
		return v, nil
	case float64:
		if n, ok := integral(v); ok {
			return n, nil
		}
	case string:
		s := strings.TrimSpace(v)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if n, ok := integral(f); ok {
				return n, nil
			}
		}
	}
	return 0, &ConversionError{Key: key, Value: v, Want: WantInteger}
}

// integral returns f as an int64 if it is a whole number in range.
func integral(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false // also rejects NaN and ±Inf
	}
	return int64(f), true
}

// ConvertFloat converts a dictionary value to a number: float64 and int64 as
// numbers, a string holding a decimal number (surrounding spaces allowed).
func ConvertFloat(key string, v any) (float64, error) {
	switch v := Normalize(v).(type) {
	case float64:
		return v, nil
	case int64:
		return float64(v), nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return f, nil
		}
	}
	return 0, &ConversionError{Key: key, Value: v, Want: WantNumber}
}

// ConvertBool converts a dictionary value to a boolean: a bool, the strings
// "true", "false", "1", "0" in any case (surrounding spaces allowed), or the
// numbers 1 and 0.
func ConvertBool(key string, v any) (bool, error) {
	switch v := Normalize(v).(type) {
	case bool:
		return v, nil
	case string:
		switch s := strings.TrimSpace(v); {
		case s == "1" || strings.EqualFold(s, "true"):
			return true, nil
		case s == "0" || strings.EqualFold(s, "false"):
			return false, nil
		}
	case int64:
		if v == 0 || v == 1 {
			return v == 1, nil
		}
	case float64:
		if v == 0 || v == 1 {
			return v == 1, nil
		}
	}
	return false, &ConversionError{Key: key, Value: v, Want: WantBoolean}
}
