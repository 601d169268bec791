package metrics

import (
	"encoding/json"
	"fmt"
	"io"
)

// NewJSONOutput returns the --out json=FILE output: newline-delimited JSON,
// one object per series per collection interval (kind "interval"), then one
// per series for the whole run (kind "total", written by AddTotals). Series
// without samples in an interval are not written for it. Close flushes and,
// if w is an io.Closer, closes w.
//
// Line schema (fields absent when they do not apply to the metric type):
//
//	kind      "interval" | "total"
//	time      end of the period, RFC 3339 with nanoseconds, UTC
//	period_s  seconds the period covers (interval length, or run length)
//	metric    metric name, e.g. "http_req_duration"
//	type      "counter" | "gauge" | "rate" | "trend"
//	tags      {"status":"200", ...}, absent when empty
//	count     number of samples
//	value     counter: sum; gauge: last value; rate: fraction of true samples
//	rate      counter: sum per second over the period
//	trues     rate: number of true samples
//	min, max  gauge and trend
//	avg, med, p90, p95, p99  trend (time trends in milliseconds)
//
// Example:
//
//	{"kind":"interval","time":"2025-01-02T03:04:05Z","period_s":1,"metric":"http_reqs","type":"counter","count":40,"value":40,"rate":40}
func NewJSONOutput(w io.Writer) Output {
	return newFileOutput(w, encodeNDJSON)
}

func encodeNDJSON(w io.Writer, rs []row) error {
	enc := json.NewEncoder(w)
	for i := range rs {
		rs[i].Tags = rs[i].tags.Map()
		if err := enc.Encode(&rs[i]); err != nil {
			return fmt.Errorf("write json output: %w", err)
		}
	}
	return nil
}
