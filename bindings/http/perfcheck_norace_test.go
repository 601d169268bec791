//go:build !race

package http_test

// perfRecorded are TestPerfRatio's recorded ratios, in the order of
// perfScenarios, without the race detector.
var perfRecorded = [...]float64{1.7, 1.4, 1.8}
