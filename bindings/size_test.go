package bindings

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in      any
		want    int64
		wantErr string
	}{
		{int64(100), 100, ""},
		{float64(2048), 2048, ""},
		{"64MiB", 64 << 20, ""},
		{"10 MB", 10_000_000, ""},
		{"512kib", 512 << 10, ""},
		{"1.5KiB", 1536, ""},
		{"100B", 100, ""},
		{"42", 42, ""},
		{"1GB", 1e9, ""},
		{"lots", 0, `invalid size "lots"`},
		{"10XB", 0, `invalid size "10XB"`},
		{"0", 0, "at least 1"},
		{float64(1.5), 0, "whole number"},
		{int64(-1), 0, "at least 1"},
		{true, 0, "invalid size true"},
		{"0.1B", 0, "whole number"},
	} {
		got, err := ParseSize(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSize(%v) = %d, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%v) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"64MiB", "1", "1e3KB", ".5GiB", "9999999999999TiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseSize(s); err == nil && n < 1 {
			t.Errorf("ParseSize(%q) = %d without error", s, n)
		}
	})
}
