package metrics

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// csvHeader is the first line of the CSV output.
var csvHeader = []string{
	"kind", "time", "period_s", "metric", "type", "tags", "count",
	"value", "rate", "trues", "min", "max", "avg", "med", "p90", "p95", "p99",
}

// NewCSVOutput returns the --out csv=FILE output: the rows of NewJSONOutput as
// CSV under the header csvHeader; tags are rendered "k=v,k2=v2" and fields
// that do not apply are empty. The header is written even if no row follows.
// Close flushes and, if w is an io.Closer, closes w.
func NewCSVOutput(w io.Writer) Output {
	o := newFileOutput(w, encodeCSV)
	var h bytes.Buffer
	cw := csv.NewWriter(&h)
	_ = cw.Write(csvHeader) // into memory: cannot fail; written with the first rows or on Close
	cw.Flush()
	o.header = h.Bytes()
	return o
}

func encodeCSV(w io.Writer, rs []row) error {
	cw := csv.NewWriter(w)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	}
	for _, r := range rs {
		trues := ""
		if r.Trues != nil {
			trues = strconv.FormatUint(*r.Trues, 10)
		}
		rec := []string{
			r.Kind, r.Time, strconv.FormatFloat(r.Period, 'g', -1, 64), r.Metric, r.Type,
			r.tags.String(), strconv.FormatUint(r.Count, 10),
			num(r.Value), num(r.Rate), trues, num(r.Min), num(r.Max),
			num(r.Avg), num(r.Med), num(r.P90), num(r.P95), num(r.P99),
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv output: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv output: %w", err)
	}
	return nil
}
