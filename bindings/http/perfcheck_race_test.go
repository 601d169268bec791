//go:build race

package http_test

// perfRecorded are TestPerfRatio's recorded ratios, in the order of
// perfScenarios, under the race detector.
var perfRecorded = [...]float64{2.6, 2.1, 2.7}
