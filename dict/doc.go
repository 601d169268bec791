// Package dict holds the VU data dictionary and the data sources bound to it.
//
// A [Store] is one virtual user's dictionary: a goroutine-safe map from key to
// plain Go value (string, int64, float64, bool, nil, []any, map[string]any)
// shared by the VU's main runtime and its background runtimes. Typed reads
// convert on the way out ([ConvertString], [ConvertInt], ...), and
// [Store.Wait] and [Store.WaitChange] block until another goroutine writes a
// key: writers wake waiters directly through per-key waiter lists, nothing
// polls. [Store.Copy] and [Store.Overlay] give background scripts their
// dictionary modes (the fork semantics of the reference: see their docs);
// [Store.Snapshot] is a standalone copy.
//
// Data sources are loaded once per run into read-only memory shared by every
// VU: a [Table] (CSV, stored compactly, rows materialised on demand) or a
// [Dictionary] (a JSON object or key=value lines). A [DataBinding] says how a
// table's rows are dealt to VUs (per-vu, per-iteration, shared, random), and a
// [Feed] copies one VU's current row into its Store at each iteration start.
// [LoadData] turns the options.data declaration of a script into bindings.
//
// The package has no JavaScript dependency: the bindings layer converts JS
// values to Go values before they are stored here.
package dict
