package scheduler

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cachePIDFile, in a run's temporary folder, records the jsload process that
// made it: "pid start", start being the process's start time as Linux's
// /proc/<pid>/stat gives it (empty elsewhere), which tells a process from a
// later one that got the same pid.
const cachePIDFile = "jsload.pid"

// cachePrefix starts the name of every run's temporary folder.
const cachePrefix = "jsload-"

// newCacheDir makes the temporary folder of a run of testName under tmp ("" for
// the system's) and records this process in it. First it removes the folders
// that runs of processes now dead left behind: a run killed (out of memory,
// SIGKILL) or crashed never removed its own.
func newCacheDir(tmp, testName string) (string, error) {
	if tmp == "" {
		tmp = os.TempDir()
	}
	cleanStaleCaches(tmp)
	dir, err := os.MkdirTemp(tmp, cachePrefix+sanitize(testName)+"-")
	if err != nil {
		return "", fmt.Errorf("create the run's temporary folder: %w", err)
	}
	pid := os.Getpid()
	stamp := fmt.Sprintf("%d %s\n", pid, processStart(pid))
	if err := os.WriteFile(filepath.Join(dir, cachePIDFile), []byte(stamp), 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("create the run's temporary folder: %w", err)
	}
	return dir, nil
}

// cleanStaleCaches removes the run folders under tmp whose jsload process is
// gone. A folder without a readable record (being made right now, or not
// jsload's) is left alone, and so is one whose process cannot be checked.
func cleanStaleCaches(tmp string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), cachePrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, cachePIDFile))
		if err != nil {
			continue
		}
		pidText, start, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 {
			continue
		}
		if !processAlive(pid) || (start != "" && processStart(pid) != "" && processStart(pid) != start) {
			_ = os.RemoveAll(dir)
		}
	}
}

// processStart is the start time of process pid in clock ticks since boot,
// field 22 of /proc/<pid>/stat, or "" where that cannot be read.
func processStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(string(b[i+1:])) // from field 3 on
	if len(fields) < 20 {
		return ""
	}
	return fields[19]
}
