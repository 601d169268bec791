// Package k6 is the root of jsload's k6 compatibility: the `k6` module (check,
// sleep, group, fail, randomSeed), the globals k6 scripts use (__VU, __ITER,
// open), and the list of k6 modules jsload does not have, which the loader turns
// into one clear error at the import. Each other k6 module is a subpackage
// (k6http, execution, data, encoding, crypto, html, fs, csv), mapped onto
// jsload's own bindings where jsload has the concept; jsruntime registers them
// as built-in modules. k6's documentation and source are the reference for what
// scripts see.
//
// Test-wide state (open()'s files, SharedArray data) is plain Go behind a mutex,
// held by the test state through bindings.Host.TestLocal; no goja value crosses
// runtimes.
package k6
