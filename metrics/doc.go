// Package metrics collects, aggregates and reports jsload's measurements.
//
// It holds the metric model (Counter, Gauge, Rate and Trend, with k6 semantics),
// the sinks VUs record through, into a few shards per processor, the
// bounded histograms behind Trends, threshold parsing and evaluation, the
// end-of-test summary (and handleSummary's data, SummaryData), the file
// outputs (NDJSON, CSV, the per-second series of a run folder and the
// mergeable summary export) and the script errors grouped by location. The
// Prometheus and InfluxDB outputs are in metrics/remote. It is plain Go and
// never imports goja.
//
// A run uses it like this:
//
//	reg := metrics.NewRegistry()                 // built-in metrics registered
//	th, err := metrics.ParseThresholds(opts)     // options.thresholds, decoded JSON
//	err = th.Validate(reg)                       // after init code registered custom metrics
//
//	sink := reg.NewSink()                        // one per VU, shared with its background scripts
//	sink.Add(reg.Builtins().HTTPReqs, tags, 1)   // hot path: a shard's lock, no allocation
//	sink.AddGroup(group, tags, 1, 12.5, ...)     // several metrics, one series lookup (NewSeriesGroup)
//	sink.Close()                                 // when the VU ends; its data stays in the totals
//
//	every second (one collector goroutine):
//	    iv := reg.Collect()                      // drain all shards: samples of the last interval
//	    out.AddInterval(iv)                      // --out json=/csv=
//	    if r, ok := th.Abort(reg.Totals(), elapsed); ok { ... abort the test ... }
//
//	at the end:
//	    out.AddInterval(reg.Collect())
//	    totals := reg.Totals()
//	    results := th.Evaluate(totals)           // any !Passed → exit code 99
//	    metrics.WriteSummary(os.Stdout, totals, results)
//	    out.AddTotals(totals); out.Close()
//	    metrics.WriteExportFile(path, metrics.NewExport(totals, results))
package metrics
