package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// describeFlagError rewrites pflag's errors for people: an unknown flag names
// the nearest known one, a bad value says what the flag takes instead of
// quoting strconv ("invalid --vus "ten": want a whole number, e.g. --vus 10").
func describeFlagError(fs *pflag.FlagSet, err error) string {
	var notExist *pflag.NotExistError
	if errors.As(err, &notExist) {
		name := notExist.GetSpecifiedName()
		if short := notExist.GetSpecifiedShortnames(); short != "" {
			return fmt.Sprintf("unknown flag -%s in -%s", name, short)
		}
		return fmt.Sprintf("unknown flag --%s%s", name, didYouMean(name, flagNames(fs), "--"))
	}
	var invalid *pflag.InvalidValueError
	if errors.As(err, &invalid) {
		fl := invalid.GetFlag()
		return fmt.Sprintf("invalid --%s %q: %s", fl.Name, invalid.GetValue(), wantValue(fl))
	}
	var required *pflag.ValueRequiredError
	if errors.As(err, &required) {
		return fmt.Sprintf("flag --%s needs a value, e.g. %s", required.GetFlag().Name, example(required.GetFlag()))
	}
	return err.Error()
}

// wantValue says what a flag's value must look like.
func wantValue(fl *pflag.Flag) string {
	switch fl.Value.Type() {
	case "int", "int64", "int32", "uint", "uint64":
		return "want a whole number, e.g. " + example(fl)
	case "float64", "float32":
		return "want a number, e.g. " + example(fl)
	case "bool":
		return "want true or false"
	}
	return "see its description in --help"
}

func example(fl *pflag.Flag) string {
	switch fl.Value.Type() {
	case "int", "int64", "int32", "uint", "uint64":
		return "--" + fl.Name + " 10"
	case "float64", "float32":
		return "--" + fl.Name + " 0.5"
	}
	return "--" + fl.Name + " VALUE"
}

func flagNames(fs *pflag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

// didYouMean returns "; did you mean <prefix>X?" for the candidate nearest
// to typed, when one is near enough to be a typo (at most a third of its
// letters differ, or typed is the start of it), else "".
func didYouMean(typed string, candidates []string, prefix string) string {
	typed = strings.ToLower(typed)
	best, bestDist := "", 0
	for _, c := range candidates {
		d := editDistance(typed, c)
		if len(typed) >= 2 && strings.HasPrefix(c, typed) {
			d = 1
		}
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || bestDist > max(1, len(best)/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean %s%s?", prefix, best)
}

// editDistance is the optimal string alignment distance of a and b (by
// bytes; flag and command names are ASCII): insertions, deletions,
// substitutions and swaps of two neighbours ("rnu" is 1 from "run"). Written
// here rather than imported: it is a dozen lines for lists of a dozen names.
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}
