// Package memguard keeps jsload from being killed for its memory: it watches
// the memory the process holds against a limit and, when the process comes near
// it, reports it once, so that the run can be ended cleanly (the VUs stopped,
// the summary, the outputs and the export written) before the kernel's
// out-of-memory killer ends it and every result with it.
//
// The limit ([Limit]) is the user's (--max-memory, see [Parse]) or, by default,
// the one the process lives under ([Detect]): its cgroup's (v2 memory.max, v1
// memory.limit_in_bytes, read with github.com/KimMachineGun/automemlimit's
// memlimit package, which walks the cgroup hierarchy for the tightest one),
// else the machine's memory.
//
// A [Guard] sets Go's soft memory limit (debug.SetMemoryLimit) to
// [SoftFraction] of the limit, so the garbage collector works harder before
// the guard trips and memory that is only garbage never ends a test, and trips
// at [TripFraction]: the headroom left is for stopping the VUs and writing the
// results. It samples runtime/metrics (a read that does not stop the world)
// every [DefaultInterval] and after every garbage collection, on a goroutine of
// its own, off the VUs' hot path. Everything a script holds lives on the Go
// heap (goja's values, response bodies), so the guard sees all of it.
//
// What it measures is the memory Go's runtime has mapped and not returned to
// the system (runtime/metrics /memory/classes/total:bytes less
// /memory/classes/heap/released:bytes), the figure Go's own memory limit is
// about; it is close to the process's resident memory.
package memguard
