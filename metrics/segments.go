package metrics

import (
	"fmt"
	"slices"
	"strings"
)

// ExportedThresholds returns the thresholds recorded in exports (each
// threshold result keeps its metric key and expression), once each in the
// order they first appear, to be evaluated again on the merged exports: the
// segments of a test ran the same script, so they recorded the same ones. The
// abortOnFail and delayAbortEval settings are not recorded; they do not change
// the end-of-test verdict.
func ExportedThresholds(exports ...*Export) (Thresholds, error) {
	decl := map[string]any{}
	seen := map[[2]string]bool{}
	for _, e := range exports {
		for _, t := range e.Thresholds {
			k := [2]string{t.Metric, t.Threshold}
			if seen[k] {
				continue
			}
			seen[k] = true
			list, _ := decl[t.Metric].([]any)
			decl[t.Metric] = append(list, t.Threshold)
		}
	}
	if len(decl) == 0 {
		return nil, nil
	}
	return ParseThresholds(decl)
}

// CheckSegments checks that exports are distinct segments of one distributed
// test: no segment twice (it would be counted twice), the same number of
// segments and the same run id in all. It returns the segments none of the
// exports covers, sorted; exports without a segment (whole tests) are not
// checked.
func CheckSegments(names []string, exports ...*Export) (missing []int, err error) {
	var first *ExportSegment
	firstName := ""
	byIndex := map[int]string{}
	for i, e := range exports {
		s := e.Segment
		if s == nil {
			continue
		}
		if first == nil {
			first, firstName = s, names[i]
		}
		switch {
		case s.Count != first.Count:
			return nil, fmt.Errorf("%s is segment %d/%d but %s is of %d segments: merge the exports of one run", names[i], s.Index, s.Count, firstName, first.Count)
		case s.RunID != first.RunID:
			return nil, fmt.Errorf("%s is of run %q but %s of run %q: merge the exports of one run", names[i], s.RunID, firstName, first.RunID)
		}
		if other, dup := byIndex[s.Index]; dup {
			return nil, fmt.Errorf("%s and %s are both segment %d/%d: merging it twice would count it twice", other, names[i], s.Index, s.Count)
		}
		byIndex[s.Index] = names[i]
	}
	if first == nil {
		return nil, nil
	}
	for i := range first.Count {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, i)
		}
	}
	return missing, nil
}

// FormatSegments writes segment indexes for a message: "1, 2 and 5".
func FormatSegments(idx []int) string {
	s := make([]string, len(idx))
	for i, v := range slices.Sorted(slices.Values(idx)) {
		s[i] = fmt.Sprint(v)
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
