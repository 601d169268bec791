package jsruntime

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// SourceError is an error located in a user's file: a syntax error, a bad import, an
// invalid option. Its message is `file:line:col: msg` followed by the offending line
// and a caret under the column.
type SourceError struct {
	File     string // absolute path
	Line     int    // from 1
	Col      int    // from 1
	Msg      string
	LineText string
}

// Error implements error.
func (e *SourceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s", DisplayPath(e.File), e.Line, e.Col, e.Msg)
	if e.LineText != "" {
		text := strings.ReplaceAll(e.LineText, "\t", " ")
		fmt.Fprintf(&b, "\n    %s\n    %s^", text, strings.Repeat(" ", max(e.Col-1, 0)))
	}
	return b.String()
}

// DisplayPath shortens an absolute path to one relative to the working directory
// when the file lies below it, as a user would type it.
func DisplayPath(abs string) string {
	if u, err := url.PathUnescape(abs); err == nil {
		abs = u
	}
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return abs
	}
	return rel
}

// lineCol converts a byte offset in src into a 1-based line and column.
func lineCol(src string, off int) (line, col int) {
	before := src[:off]
	line = strings.Count(before, "\n") + 1
	col = off - (strings.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// lineText returns the 1-based line of src, without its line break.
func lineText(src string, line int) string {
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(src, '\n')
		if nl < 0 {
			return ""
		}
		src = src[nl+1:]
	}
	if nl := strings.IndexByte(src, '\n'); nl >= 0 {
		src = src[:nl]
	}
	return strings.TrimRight(src, "\r")
}

// ScriptError is an exception thrown by user code, reduced to what a user needs:
// the message and where it was thrown in their own file.
type ScriptError struct {
	Msg      string // the thrown value as a string, e.g. "Error: boom"
	Location string // file:line:col of the innermost user frame, or ""
	Stack    string // "at fn (file:line:col)" lines, innermost first
}

// Error implements error.
func (e *ScriptError) Error() string {
	if e.Location == "" {
		return e.Msg
	}
	return e.Msg + " at " + e.Location
}

// scriptError converts an error returned by goja into a ScriptError when it is a
// JavaScript exception or a call-stack overflow; interrupts and other errors are
// returned unchanged.
func (r *scriptRuntime) scriptError(err error) error {
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		// goja's overflow is uncatchable and carries no value: report it as the
		// RangeError JavaScript engines throw.
		se := &ScriptError{Msg: stackOverflowMsg}
		se.Location, se.Stack = r.locate(so.Stack())
		return se
	}
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		return err
	}
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		return err
	}
	se := &ScriptError{Msg: exceptionMessage(ex)}
	se.Location, se.Stack = r.locate(ex.Stack())
	return se
}

const stackOverflowMsg = "RangeError: Maximum call stack size exceeded"

// maxStackLines bounds the stack of a ScriptError: a runaway recursion has
// thousands of frames, all alike.
const maxStackLines = 20

// locate returns the file:line:col of the innermost frame of the user's own code
// (an in-memory library's frames are skipped: its caller is where the user's code
// is) and the stack as "at fn (file:line:col)" lines, innermost first.
func (r *scriptRuntime) locate(frames []goja.StackFrame) (location, stack string) {
	var b strings.Builder
	first, lines, more := "", 0, 0
	for _, f := range frames {
		pos := f.Position()
		if pos.Filename == "" {
			continue
		}
		// Every program carries a source map, and positions read through it count
		// columns from 0.
		loc := fmt.Sprintf("%s:%d:%d", DisplayPath(pos.Filename), pos.Line, pos.Column+1)
		if first == "" {
			first = loc
		}
		if _, inLibrary := r.prog.sources[pos.Filename]; location == "" && !inLibrary {
			location = loc
		}
		if lines == maxStackLines {
			more++
			continue
		}
		lines++
		fmt.Fprintf(&b, "\tat %s (%s)\n", f.FuncName(), loc)
	}
	if more > 0 {
		fmt.Fprintf(&b, "\t... %d more frames\n", more)
	}
	if location == "" {
		location = first
	}
	return location, b.String()
}

// exceptionMessage renders the thrown value: "Name: message" for Error objects, the
// value itself otherwise.
func exceptionMessage(ex *goja.Exception) string {
	v := ex.Value()
	if v == nil {
		return "exception"
	}
	if obj, ok := v.(*goja.Object); ok {
		if msg := obj.Get("message"); msg != nil && !goja.IsUndefined(msg) {
			name := "Error"
			if n := obj.Get("name"); n != nil && !goja.IsUndefined(n) {
				name = n.String()
			}
			return name + ": " + msg.String()
		}
	}
	return v.String()
}

// firstLine returns s up to its first line break.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// stackLocation extracts "file:line:col" from the first frame of a JavaScript Error's
// stack ("at fn (file:line:col(pc))" or "at file:line:col(pc)"), with the column
// counted from 1 as everywhere else.
func stackLocation(stack string) string {
	for _, line := range strings.Split(stack, "\n")[1:] {
		s, ok := strings.CutPrefix(strings.TrimSpace(line), "at ")
		if !ok {
			continue
		}
		if i := strings.Index(s, " ("); i >= 0 && strings.HasSuffix(s, ")") {
			s = s[i+2 : len(s)-1]
		}
		if i := strings.LastIndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
			s = s[:i]
		}
		colAt := strings.LastIndexByte(s, ':')
		if colAt < 0 {
			return s
		}
		lineAt := strings.LastIndexByte(s[:colAt], ':')
		col, err := strconv.Atoi(s[colAt+1:])
		if lineAt < 0 || err != nil {
			return s
		}
		return fmt.Sprintf("%s%s:%d", DisplayPath(s[:lineAt]), s[lineAt:colAt], col+1)
	}
	return ""
}

// AbortError is the cause of an interrupt made by abortTest.
type AbortError struct{ Msg string }

// Error implements error.
func (e *AbortError) Error() string { return "test aborted: " + e.Msg }
