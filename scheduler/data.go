package scheduler

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"path/filepath"

	"github.com/jsload/jsload/dict"
)

// loadData loads options.data once for the run and prepares the row bindings for
// the plan's groups. Errors (missing file, malformed CSV, too few rows) happen here,
// before any VU starts.
func (t *Test) loadData() error {
	if !present(t.Options.Data) {
		return nil
	}
	var decl map[string]any
	if err := json.Unmarshal(t.Options.Data, &decl); err != nil {
		return fmt.Errorf("options.data must be an object of named data sources, e.g. { users: { file: 'users.csv' } }")
	}
	list, err := dict.LoadData(decl, filepath.Dir(t.cfg.Program.Main.Path))
	if err != nil {
		return err
	}
	// Rows are bound by the VUs of the whole test, so that the segments of a
	// distributed run, whose VUs have their whole-test indexes, take disjoint rows.
	whole := t.Plan.Whole()
	groups := make([]dict.GroupSize, len(whole.Groups))
	for i, g := range whole.Groups {
		groups[i] = dict.GroupSize{Name: g.Name, VUs: int(g.Executor.MaxVUs())}
	}
	t.data, err = dict.NewPartitionedBindings(list, groups, t.dataPartition(), t.warn)
	if err != nil {
		return err
	}
	t.DataFiles = dataFiles(list)
	return nil
}

// dataPartition is the part of the shared row sequences this process takes,
// and the seed of the tables without one: derived from the run id when the
// test has one, else from the test's name and segment count, so that every
// segment of a run shuffles alike (a run without a run id shuffles the same
// way each time; a whole test without a run id draws a seed).
func (t *Test) dataPartition() dict.Partition {
	seg := t.Plan.Segment
	if seg.Count == 0 && t.cfg.RunID == "" {
		return dict.Partition{}
	}
	p := dict.Partition{Index: seg.Index, Count: max(seg.Count, 1)}
	key := t.cfg.RunID
	if key == "" {
		key = fmt.Sprintf("%s/%d", t.TestName(), seg.Count)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	p.Seed = h.Sum64() | 1
	return p
}

// dataFiles lists the files the bindings were loaded from.
func dataFiles(list []*dict.DataBinding) []string {
	seen := map[string]bool{}
	var files []string
	for _, b := range list {
		var name string
		switch {
		case b.Table != nil:
			name = b.Table.Name()
		case b.Dictionary != nil:
			name = b.Dictionary.Name()
		}
		if name != "" && !seen[name] {
			seen[name] = true
			files = append(files, name)
		}
	}
	return files
}

// newStore builds the dictionary of a new VU: the standard keys, its identity and
// the rows its data bindings give it before vuInit.
func (t *Test) newStore(info vuIdentity) (*dict.Store, *dict.Feed, error) {
	store := dict.NewFrom(t.stdKeys) // one bulk copy of the standard keys
	store.Set("vuId", info.id)
	store.Set("vuIdInGroup", info.idInGroup)
	store.Set("groupName", info.group)
	store.SetInt(dict.IterationKey, 0)
	if t.data == nil {
		return store, nil, nil
	}
	feed, err := t.data.Feed(info.group, int(info.idInGroup-1))
	if err != nil {
		return nil, nil, err
	}
	feed.VU = info.id
	if err := feed.Init(store); err != nil {
		return store, feed, err
	}
	return store, feed, nil
}

// vuIdentity is what newStore needs to know of a VU.
type vuIdentity struct {
	id, idInGroup int64
	group         string
}

// exhausted handles a data table running out of rows: abort ends the test;
// the VU that needed the row stops either way (its caller sees to that).
func (t *Test) exhausted(ex *dict.ExhaustedError) {
	if ex.Policy == dict.Abort {
		t.Abort(fmt.Errorf("aborting: %w", ex))
	}
}
