package metrics

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// Caps of the ERRORS block of the summary: a run with hundreds of distinct
// messages (one per id in a URL) still prints a screenful.
const (
	maxErrorLocations        = 10
	maxMessagesPerLocation   = 3
	noLocation               = "(no location)"
	maxErrorMessageRuneWidth = 160
)

// ExportError is one distinct script error of a run: where it happened
// (file:line:col, "" when unknown), its message without the location, and how
// often it happened.
type ExportError struct {
	Location string `json:"location,omitempty"`
	Message  string `json:"message"`
	Count    int    `json:"count"`
}

// locationRe finds a script position such as "lib/api.js:12:7" (optionally
// followed by goja's "(12)" program counter).
var locationRe = regexp.MustCompile(`(?:^|\s|\()(?:at\s+)?([^\s()]+:\d+:\d+)(?:\(\d+\))?\)?`)

// NewExportError splits an error message as the script error log holds it
// ("Error: boom at lib/api.js:12:7", maybe with more lines of stack) into
// location and message, counted count times.
func NewExportError(msg string, count int) ExportError {
	first, _, _ := strings.Cut(msg, "\n")
	m := locationRe.FindAllStringSubmatchIndex(first, -1)
	if len(m) == 0 {
		return ExportError{Message: strings.TrimSpace(first), Count: count}
	}
	last := m[len(m)-1]
	loc := first[last[2]:last[3]]
	text := strings.TrimSpace(first[:last[0]] + first[last[1]:])
	text = strings.TrimSuffix(text, " at")
	return ExportError{Location: loc, Message: text, Count: count}
}

// ErrorGroup is the errors of one location, most frequent message first.
type ErrorGroup struct {
	Location string
	Count    int
	Errors   []ExportError
}

// GroupErrors groups errors by location, most frequent location first
// (ties by location), merging the counts of identical messages.
func GroupErrors(errs []ExportError) []ErrorGroup {
	byLoc := map[string]*ErrorGroup{}
	var order []*ErrorGroup
	for _, e := range errs {
		loc := cmp.Or(e.Location, noLocation)
		g := byLoc[loc]
		if g == nil {
			g = &ErrorGroup{Location: loc}
			byLoc[loc] = g
			order = append(order, g)
		}
		g.Count += e.Count
		if i := slices.IndexFunc(g.Errors, func(o ExportError) bool { return o.Message == e.Message }); i >= 0 {
			g.Errors[i].Count += e.Count
			continue
		}
		g.Errors = append(g.Errors, e)
	}
	out := make([]ErrorGroup, 0, len(order))
	for _, g := range order {
		slices.SortStableFunc(g.Errors, func(a, b ExportError) int { return cmp.Compare(b.Count, a.Count) })
		out = append(out, *g)
	}
	slices.SortStableFunc(out, func(a, b ErrorGroup) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Location, b.Location))
	})
	return out
}

// WriteErrors writes the ERRORS block of the summary: errors grouped by
// location with their counts, the 10 most frequent locations with up to 3
// messages each, and a line saying what was left out. It writes nothing
// without errors.
func WriteErrors(w io.Writer, errs []ExportError) error {
	groups := GroupErrors(errs)
	if len(groups) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	total := 0
	for _, g := range groups {
		total += g.Count
	}
	fmt.Fprintf(bw, "  █ ERRORS: %s, %s\n\n", plural(total, "error"), plural(len(errs), "distinct message"))
	for i, g := range groups {
		if i == maxErrorLocations {
			rest := 0
			for _, g := range groups[i:] {
				rest += g.Count
			}
			fmt.Fprintf(bw, "    … %d more locations with %d errors (all of them in summary.json and report.html)\n", len(groups)-i, rest)
			break
		}
		fmt.Fprintf(bw, "    %s (%d×)\n", g.Location, g.Count)
		for j, e := range g.Errors {
			if j == maxMessagesPerLocation {
				rest := 0
				for _, e := range g.Errors[j:] {
					rest += e.Count
				}
				fmt.Fprintf(bw, "      … %d more messages, %d×\n", len(g.Errors)-j, rest)
				break
			}
			fmt.Fprintf(bw, "      %6d× %s\n", e.Count, clip(e.Message, maxErrorMessageRuneWidth))
		}
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// clip shortens s to n runes, marking the cut with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// plural renders "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
