package memguard

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// Limit is a memory limit in bytes and where it comes from.
type Limit struct {
	Bytes uint64
	// Source says where the limit comes from, for messages: "--max-memory
	// 300MiB", "the cgroup's memory.max", "the machine's memory"...
	Source string
}

// String is the limit and its source, e.g. "300 MiB (--max-memory 300MiB)".
func (l Limit) String() string { return FormatBytes(l.Bytes) + " (" + l.Source + ")" }

// MinLimit is the smallest limit accepted: below it jsload itself does not fit.
const MinLimit = 64 << 20

// source is one place a default limit can come from.
type source struct {
	name string
	read func() (uint64, error)
}

// noLimit is what cgroup v1 writes for "no limit": the largest page-aligned
// int64. Anything at or above it (or above a petabyte) is no limit.
const noLimit = 1 << 50

// Detect returns the limit the process lives under: the tightest of its
// cgroup's limit (v2 memory.max or v1 memory.limit_in_bytes, the tightest of
// the cgroup's ancestors included) and the machine's memory.
func Detect() (Limit, error) {
	return detect([]source{
		{cgroupFile(), memlimit.FromCgroup},
		{"the machine's memory", memlimit.FromSystem},
	})
}

// cgroupFile names the file the cgroup limit is read from: memlimit reads
// cgroup v1's when the memory controller is mounted as v1 (a "N:memory:/path"
// line in /proc/self/cgroup), else v2's.
func cgroupFile() string {
	b, _ := os.ReadFile("/proc/self/cgroup")
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.SplitN(line, ":", 3); len(f) == 3 && slices.Contains(strings.Split(f[1], ","), "memory") {
			return "the cgroup's memory.limit_in_bytes"
		}
	}
	return "the cgroup's memory.max"
}

func detect(srcs []source) (Limit, error) {
	var best Limit
	var errs []error
	for _, s := range srcs {
		n, err := s.read()
		if err != nil {
			if !errors.Is(err, memlimit.ErrNoLimit) && !errors.Is(err, memlimit.ErrNoCgroup) && !errors.Is(err, memlimit.ErrCgroupsNotSupported) {
				errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
			}
			continue
		}
		if n == 0 || n >= noLimit {
			continue
		}
		if best.Bytes == 0 || n < best.Bytes {
			best = Limit{Bytes: n, Source: s.name}
		}
	}
	if best.Bytes == 0 {
		return best, fmt.Errorf("cannot tell how much memory jsload may use: %w; set one with --max-memory, e.g. 2GiB", errors.Join(errs...))
	}
	return best, nil
}

// Parse reads a --max-memory value: a size ("2GiB", "300MiB", "1.5GB",
// "512000000"; KiB/MiB/GiB/TiB count in 1024s, KB/MB/GB/TB in 1000s), a
// percentage of the detected limit ("80%"), or "off" for no guard (off is
// then true). detect gives the limit a percentage is taken of.
func Parse(s string, detect func() (Limit, error)) (l Limit, off bool, err error) {
	v := strings.TrimSpace(s)
	if strings.EqualFold(v, "off") {
		return Limit{}, true, nil
	}
	if pct, ok := strings.CutSuffix(v, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		if err != nil || math.IsNaN(f) || f <= 0 || f > 100 {
			return l, false, fmt.Errorf("invalid --max-memory %q: a percentage is more than 0 and at most 100, e.g. 80%%", s)
		}
		base, err := detect()
		if err != nil {
			return l, false, fmt.Errorf("--max-memory %s: %w", s, err)
		}
		l = Limit{Bytes: uint64(float64(base.Bytes) * f / 100), Source: fmt.Sprintf("--max-memory %s of %s, %s", v, base.Source, FormatBytes(base.Bytes))}
	} else {
		n, err := parseSize(v)
		if err != nil {
			return l, false, fmt.Errorf("invalid --max-memory %q: %w", s, err)
		}
		l = Limit{Bytes: n, Source: "--max-memory " + v}
	}
	if l.Bytes < MinLimit {
		return l, false, fmt.Errorf("invalid --max-memory %q: %s is too little for jsload itself: give at least %s, or off", s, FormatBytes(l.Bytes), FormatBytes(MinLimit))
	}
	return l, false, nil
}

var units = []struct {
	suffix string
	mult   float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
}

func parseSize(s string) (uint64, error) {
	const want = "write a size such as 2GiB, 300MiB or 1.5GB, a percentage of the memory such as 80%, or off"
	num, mult := s, 1.0
	for _, u := range units {
		if n, ok := cutSuffixFold(s, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f <= 0 {
		return 0, errors.New(want)
	}
	if f*mult >= noLimit {
		return 0, errors.New("more than a petabyte: " + want)
	}
	return uint64(f * mult), nil
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// FormatBytes writes n in binary units: "512 B", "300 MiB", "1.5 GiB".
func FormatBytes(n uint64) string {
	f := float64(n)
	for _, u := range []string{"B", "KiB", "MiB", "GiB", "TiB"} {
		if f < 1024 || u == "TiB" {
			if u == "B" || f == math.Trunc(f) {
				return fmt.Sprintf("%.0f %s", f, u)
			}
			return fmt.Sprintf("%.1f %s", f, u)
		}
		f /= 1024
	}
	return ""
}
