package scheduler

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Executor decides how many VUs a group needs and when each of them starts an
// iteration. It is a description, made by the executor table's build functions
// (options.groups) or by the shortcut plans (options.vus, duration, stages...);
// start makes the state of one run.
//
// Every method is required: what only some executors do is a field of the
// execution that start returns, nil when the executor does not do it.
type Executor interface {
	// MaxVUs is the most VUs the group may use; VU ids and per-VU data rows are
	// reserved for that many.
	MaxVUs() int64
	// InitVUs is how many VUs are initialised before the test starts; the others,
	// up to MaxVUs, are initialised on demand (arrival-rate executors).
	InitVUs() int64
	// PlannedDuration is the planned length of the group, or its maximum for the
	// executors that end by iteration count (0 for none); the group's iterations
	// stop being started when it elapses.
	PlannedDuration() time.Duration
	// Describe summarises the executor on one line for `jsload check`.
	Describe() string
	// kind is the executor's name in options.groups: its entry in executorKinds.
	kind() string
	// endsByCount reports whether the group ends when its iterations are done;
	// its PlannedDuration is then a maximum, not a plan.
	endsByCount() bool
	// timeline is one line per stage of a load that changes over time, for the
	// plan; nil for a steady load.
	timeline() []string
	// start returns the state of one run of the group.
	start() *execution
}

// executorKind is one entry of the executor table: an executor's name in
// options.groups, the settings it takes besides commonGroupKeys, and how to
// build it from a group's settings.
//
// Adding an executor is one entry here and one file that holds its type (the
// Executor methods), its build function, its split function and its execution.
// The split of a test into the segments of a distributed run (`--segment i/n`,
// segment.go) hangs off the same entry: split returns the part i of n of an
// executor of this kind, such that the parts add up to the whole (VUs,
// iterations, arrival rates and stage targets); TestSegmentsAddUp checks it for
// every kind on random plans.
type executorKind struct {
	name string
	keys []string // the settings of this kind, besides commonGroupKeys
	// build makes the executor from the group's settings, with defaults for the
	// missing ones. It reports a missing or bad setting, or a bad combination,
	// through f (the first error is kept); the executor it returns is then
	// discarded.
	build func(f *groupFields) Executor
	// split returns the part of e (an executor of this kind, of the whole test)
	// that the segment of s runs. It is a pure function of e and s and does not
	// change e.
	split func(e Executor, s share) Executor
}

// executorKinds is the executor table: every executor options.groups can name.
var executorKinds = []executorKind{
	{name: "per-vu-iterations", keys: []string{"vus", "iterations", "maxDuration"}, build: buildPerVUIterations, split: splitPerVUIterations},
	{name: "shared-iterations", keys: []string{"vus", "iterations", "maxDuration"}, build: buildSharedIterations, split: splitSharedIterations},
	{name: "constant-vus", keys: []string{"vus", "duration"}, build: buildConstantVUs, split: splitConstantVUs},
	{name: "ramping-vus", keys: []string{"startVUs", "stages", "gracefulRampDown"}, build: buildRampingVUs, split: splitRampingVUs},
	{name: "constant-arrival-rate", keys: []string{"rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"}, build: buildConstantArrivalRate, split: splitConstantArrivalRate},
	{name: "ramping-arrival-rate", keys: []string{"startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs"}, build: buildRampingArrivalRate, split: splitRampingArrivalRate},
}

// kindNamed returns the table entry of the executor called name, or nil.
func kindNamed(name string) *executorKind {
	for i := range executorKinds {
		if executorKinds[i].name == name {
			return &executorKinds[i]
		}
	}
	return nil
}

// executorNames lists the executors' names, sorted, for messages.
func executorNames() string {
	names := make([]string, len(executorKinds))
	for i, k := range executorKinds {
		names[i] = k.name
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// work is one iteration handed to a VU.
type work struct {
	inGroup int64     // the iteration's group-wide number
	planned time.Time // when an arrival-rate iteration was planned to start; zero otherwise
}

// execution is one run of a group's executor: how its VUs get iterations (next,
// which every executor has) and the parts only some executors have, each nil
// when the executor does not have it. The functions are safe to call from the
// goroutines named in their comments.
type execution struct {
	// next blocks until VU number vu (0-based in the group), which has completed
	// done iterations so far, should start another, and returns it; false when
	// the VU has no more work. It returns false at once when ctx (the group's
	// "stop starting iterations" context) is done. Each VU calls it from its own
	// goroutine.
	next func(ctx context.Context, vu int, done int64) (work, bool)

	// exhausted reports whether a VU that has completed done iterations has no
	// more work, so that it does not wait its pacing for nothing (the executors
	// that end by iteration count). Called from the VUs' goroutines.
	exhausted func(done int64) bool

	// drive follows the clock on a goroutine of its own, from the test's start
	// until its work is done or env.stop ends, and hands the VUs their work (the
	// ramping-vus controller, the arrival-rate dispatcher). Only a driven
	// execution's next blocks, until the driver hands the VU work, so only there
	// does runVU count the VU as not running meanwhile.
	drive func(env *driveEnv)

	// join makes the group an open model: its VUs run vuInit as soon as they
	// are created (before the test starts for the pre-allocated ones, so that
	// vuInit never delays an iteration), then join adds VU number vu to the free
	// VUs. Called from the VU's goroutine, once per VU.
	join func(vu int)

	// iterationContext returns the context of VU number vu's next iteration, a
	// child of parent (the group's hard stop) that the executor may cancel
	// sooner (ramping-vus, on ramp-down), and the function to call when the
	// iteration ends. Called from the VU's goroutine.
	iterationContext func(vu int, parent context.Context) (context.Context, func())
}

// driveEnv is what a driver may use of the test it runs in.
type driveEnv struct {
	group string          // the group's name, for messages
	begin time.Time       // the group's start: a schedule's offsets count from here
	stop  context.Context // done: the group starts no more iterations, and drive returns
	// newTimer returns a timer for planned starts: high-resolution when the
	// test asks for it and the system has one. The caller closes it.
	newTimer func() startTimer
	// dropped counts one iteration that was due when no VU was free
	// (dropped_iterations).
	dropped func()
	// startVU starts VU number vu (0-based in the group) on demand, on a
	// goroutine the test owns and waits for; the VU runs vuInit, then joins.
	startVU func(vu int)
	// warn logs msg once per distinct message.
	warn func(msg string)
}
