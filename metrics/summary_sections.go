package metrics

import (
	"fmt"
	"slices"
)

// TagGroup is the tag key of the VU group a sample came from.
const TagGroup = "group"

// setupGroup is the group of the samples of setup() and teardown(), which no
// executor runs.
const setupGroup = "setup"

// maxTagValues caps the rows per metric of a BY section: a tag with more values
// (a URL with ids in it) would bury the summary.
const maxTagValues = 20

// detailMetrics are left out of the group and tag sections: the phases of a
// request and the test-wide VU gauges. The METRICS section still has them.
var detailMetrics = []string{
	"http_req_blocked", "http_req_connecting", "http_req_tls_handshaking",
	"http_req_sending", "http_req_waiting", "http_req_receiving", "vus", "vus_max",
}

func sectionMetric(m *Metric) bool { return !slices.Contains(detailMetrics, m.name) }

// RunGroups returns the VU groups that recorded samples in s, sorted, without
// the setup/teardown pseudo-group.
func RunGroups(s *Snapshot) []string {
	seen := map[string]bool{}
	for _, a := range s.Series() {
		if g, ok := a.Tags.Get(TagGroup); ok && g != setupGroup {
			seen[g] = true
		}
	}
	groups := make([]string, 0, len(seen))
	for g := range seen {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	return groups
}

// groupSections returns one "GROUP name" section per VU group, with the
// group's share of each metric, when the run has more than one group.
func groupSections(s *Snapshot, st *SummaryOptions) []summarySection {
	groups := RunGroups(s)
	if len(groups) < 2 {
		return nil
	}
	var out []summarySection
	for _, g := range groups {
		filter := NewTags(TagGroup, g)
		var rows []summaryRow
		for _, m := range s.Metrics() {
			if !sectionMetric(m) {
				continue
			}
			sum := s.Sum(m, filter)
			if sum.Count == 0 {
				continue
			}
			rows = append(rows, summaryRow{mark: " ", label: m.name, group: groupOf(m), cols: aggregateCols(sum, s, st)})
		}
		out = append(out, summarySection{"GROUP " + g, rows})
	}
	return out
}

// tagSections returns one "BY key" section per tag key: each metric with
// samples carrying the key, whole, then per value of the key (the first
// maxTagValues values, in order).
func tagSections(s *Snapshot, keys []string, st *SummaryOptions) []summarySection {
	var out []summarySection
	for _, key := range keys {
		var rows []summaryRow
		for _, m := range s.Metrics() {
			if !sectionMetric(m) {
				continue
			}
			values := s.GroupBy(m, key)
			if len(values) == 0 {
				continue
			}
			rows = append(rows, summaryRow{mark: " ", label: m.name, group: groupOf(m), cols: aggregateCols(s.Sum(m, Tags{}), s, st)})
			for i, v := range values {
				if i == maxTagValues {
					rows = append(rows, summaryRow{mark: " ", indent: 2,
						label: fmt.Sprintf("… %d more values of %s", len(values)-maxTagValues, key)})
					break
				}
				rows = append(rows, summaryRow{mark: " ", indent: 2, label: "{ " + key + ":" + v.Value + " }",
					group: groupOf(m), cols: aggregateCols(v.Aggregate, s, st)})
			}
		}
		if len(rows) == 0 {
			rows = append(rows, summaryRow{mark: " ", label: "no samples have the tag " + key})
		}
		out = append(out, summarySection{"BY " + key, rows})
	}
	return out
}
