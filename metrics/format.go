package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// formatDuration renders ms milliseconds the way k6 does: two decimals of the
// largest fitting unit, "850µs", "1.23ms", "2.5s", "1m2s".
func formatDuration(ms float64) string {
	d := time.Duration(ms * float64(time.Millisecond))
	abs := d.Abs()
	switch {
	case abs < time.Microsecond:
	case abs < time.Millisecond:
		d = d.Round(10 * time.Nanosecond)
	case abs < time.Second:
		d = d.Round(10 * time.Microsecond)
	case abs < time.Minute:
		d = d.Round(10 * time.Millisecond)
	default:
		d = d.Round(time.Second)
	}
	return d.String()
}

// formatBytes renders an amount of bytes in SI units: "512 B", "1.2 kB", "85 MB".
func formatBytes(b float64) string {
	if math.Abs(b) < 1000 {
		return strconv.FormatFloat(math.Round(b), 'f', 0, 64) + " B"
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	i := -1
	for math.Abs(b) >= 1000 && i < len(units)-1 {
		b /= 1000
		i++
	}
	if math.Abs(b) < 10 {
		return fmt.Sprintf("%.1f %s", b, units[i])
	}
	return fmt.Sprintf("%.0f %s", b, units[i])
}

// formatNumber renders a plain value: integers as such, others with two
// decimals (trailing zeros trimmed), small fractions with four significant
// digits.
func formatNumber(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) < 1:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// formatValue renders v according to what metric m measures.
func formatValue(m *Metric, v float64) string {
	switch m.contains {
	case Time:
		return formatDuration(v)
	case Data:
		return formatBytes(v)
	}
	return formatNumber(v)
}

// formatValueIn is formatValue with times in unit ("s", "ms", "us"; "" for
// each in the unit that suits it: formatValue).
func formatValueIn(m *Metric, v float64, unit string) string {
	if m.contains != Time || unit == "" {
		return formatValue(m, v)
	}
	div := map[string]float64{"s": 1000, "ms": 1, "us": 0.001}[unit]
	if div == 0 {
		return formatValue(m, v)
	}
	return strconv.FormatFloat(v/div, 'f', 2, 64) + unit
}

// formatPercent renders a fraction as "97.50%".
func formatPercent(f float64) string {
	return strconv.FormatFloat(f*100, 'f', 2, 64) + "%"
}

// formatPerSecond renders a rate per second, a counter's row in the summary
// and the observed value of its rate thresholds alike: "33.33/s", or
// "70 kB/s" for data.
func formatPerSecond(m *Metric, perSecond float64) string {
	if m.contains == Data {
		return formatBytes(perSecond) + "/s"
	}
	return strconv.FormatFloat(perSecond, 'f', 2, 64) + "/s"
}
