package tests

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jsload/jsload/cmd/jsload/cli"
	"github.com/jsload/jsload/internal/testio"
	"github.com/jsload/jsload/internal/testnet"
)

// runEnv is run with the environment env (KEY=VALUE) in place of the process's.
func runEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	if len(args) > 0 && args[0] == "run" {
		args = append([]string{"run", "--results-dir", t.TempDir()}, args[1:]...)
	}
	var out, errOut testio.Buffer
	code := cli.Main(args, cli.IO{Stdout: &out, Stderr: &errOut, Env: append([]string{"HOME=" + t.TempDir()}, env...)})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// echoTarget answers /ua with the User-Agent and Host it saw, and
// /redirect/N with a redirect to /redirect/N-1 down to 0.
func echoTarget(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := strings.CutPrefix(r.URL.Path, "/redirect/"); ok && n != "0" {
			i, _ := strconv.Atoi(n)
			http.Redirect(w, r, fmt.Sprintf("/redirect/%d", i-1), http.StatusFound)
			return
		}
		w.Header().Set("X-Seen-Ua", r.UserAgent())
		w.Header().Set("X-Seen-Host", r.Host)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return port
}

// TestK6Options runs a k6-style script whose options are k6's: each check and
// threshold stands for what k6's documentation says of one option.
func TestK6Options(t *testing.T) {
	t.Parallel()
	port := echoTarget(t)
	r := run(t, nil, "run", "-q", "-e", "PORT="+port, "testdata/k6/options.js")
	r.expect(t, 0, []string{"✓ userAgent is sent", "✓ hosts maps shop.test", "✓ discardResponseBodies drops the body",
		"✓ a wildcard of hosts maps the subdomain", "✓ maxRedirects: 1 stops at the second", "✓ 'count==16'",
		"avg=", "p(99.9)=", "count=16"}, nil)
	if strings.Contains(r.stdout, "p(95)=") || !strings.Contains(r.stdout, "ms ") {
		t.Errorf("summaryTrendStats/summaryTimeUnit not applied:\n%s", r.stdout)
	}
}

// TestK6OptionFlags checks k6's flags and K6_* variables: their order (flags
// over the environment over the script), the plan they replace, their errors.
func TestK6OptionFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  []string
		args []string
		code int
		out  []string
		err  []string
	}{
		{"K6_DURATION replaces the scenarios", []string{"K6_DURATION=5s", "K6_VUS=3"}, nil, 0,
			[]string{"constant-vus, 3 VUs for 5s", "note: the --vus, --iterations and --duration flags replace options.scenarios"}, nil},
		{"K6_STAGES replaces the scenarios", []string{"K6_STAGES=10s:5,5s:0"}, nil, 0,
			[]string{"ramping-vus", "0s → 10s", "note: the K6_STAGES variables replace the groups (scenarios)"}, nil},
		{"--stage over K6_STAGES", []string{"K6_STAGES=10s:5"}, []string{"-s", "20s:7", "--stage", "1m:0"}, 0,
			[]string{"ramping-vus, 1 → 7 VUs at most, 2 stages over 1m20s"}, nil},
		{"--vus over K6_VUS", []string{"K6_VUS=9", "K6_ITERATIONS=4"}, []string{"--vus", "2"}, 0,
			[]string{"shared-iterations, 4 iterations shared by 2 VUs"}, nil},
		{"bad K6_VUS", []string{"K6_VUS=ten"}, nil, cli.ExitUsage, nil, []string{"environment variable K6_VUS=\"ten\""}},
		{"JSLOAD_SEGMENT", []string{"JSLOAD_SEGMENT=1/2"}, nil, 0, []string{"segment 1/2: this process runs part 1 of the 2 parts"}, nil},
		{"--segment over JSLOAD_SEGMENT", []string{"JSLOAD_SEGMENT=1/2"}, []string{"--segment", "0/3"}, 0, []string{"segment 0/3"}, nil},
		{"a bare -e KEY from the environment", []string{"FOO=bar"}, []string{"-e", "FOO"}, 0, []string{"scenarios_env.js: ok"}, nil},
		{"a bare -e KEY missing", nil, []string{"-e", "JSLOAD_TEST_UNSET_KEY"}, cli.ExitUsage, nil, []string{"JSLOAD_TEST_UNSET_KEY is not set"}},
		{"bad K6_MAX_REDIRECTS", []string{"K6_MAX_REDIRECTS=-1"}, nil, cli.ExitUsage, nil, []string{"environment variable K6_MAX_REDIRECTS=\"-1\": want a whole number"}},
		{"bad --stage", nil, []string{"--stage", "30s"}, cli.ExitUsage, nil, []string{"--stage: invalid stage \"30s\": write DURATION:TARGET"}},
		{"bad --tag", nil, []string{"--tag", "team"}, cli.ExitUsage, nil, []string{"--tag: invalid tag \"team\""}},
		{"bad --summary-trend-stats", nil, []string{"--summary-trend-stats", "avg,p95"}, cli.ExitScriptError, nil, []string{"options.summaryTrendStats: unknown stat \"p95\""}},
	} {
		args := append(append([]string{"check"}, tt.args...), "testdata/k6/scenarios_env.js")
		r := runEnv(t, tt.env, args...)
		t.Run(tt.name, func(t *testing.T) { r.expect(t, tt.code, tt.out, tt.err) })
	}
}

// TestK6ConfigFile checks --config (and K6_CONFIG): a k6 config file's options
// sit under the script's, its "out" names outputs.
func TestK6ConfigFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "k6.json")
	out := filepath.Join(dir, "metrics.ndjson")
	writeFile(t, conf, fmt.Sprintf(`{"vus": 2, "iterations": 3, "userAgent": "from-config", "out": [%q]}`, "json="+out))
	script := filepath.Join(dir, "s.js")
	writeFile(t, script, "export const options = { iterations: 4 };\nexport default function () {}\n")
	r := runEnv(t, nil, "check", "--config", conf, script)
	r.expect(t, 0, []string{"shared-iterations, 4 iterations shared by 2 VUs"}, nil)
	r = runEnv(t, []string{"K6_CONFIG=" + conf}, "run", "-q", script)
	r.expect(t, 0, []string{"4 iterations completed"}, nil)
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the config file's out: %v", err)
	}
	writeFile(t, conf, `{"vus": "two"}`)
	runEnv(t, nil, "check", "-c", conf, script).expect(t, cli.ExitUsage, nil, []string{"--config " + conf + ": options.vus: must be a whole number"})
	runEnv(t, nil, "check", "-c", filepath.Join(dir, "none.json"), script).expect(t, cli.ExitUsage, nil, []string{"--config: open"})
}

// TestK6UnsupportedOptions checks that each k6 option jsload does not apply
// is one warning naming it, and that k6's externally-controlled executor is
// refused with a reason.
func TestK6UnsupportedOptions(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "run", "-q", "testdata/k6/unsupported.js")
	r.expect(t, 0, []string{"1 iterations completed"}, []string{"WARN options.rps is a k6 option jsload does not apply",
		"WARN options.blockHostnames", "WARN options.dns", "WARN options.ext"})
	if strings.Count(r.stderr, "WARN options.rps") != 1 || strings.Contains(r.stderr, "noSetup") {
		t.Errorf("want one warning per option set, none for noSetup: false:\n%s", r.stderr)
	}
	run(t, nil, "check", "testdata/k6/externally.js").expect(t, cli.ExitScriptError, nil,
		[]string{"options.scenarios.ctl.executor: jsload has no externally-controlled executor"})
}

// TestK6SystemEnv checks --include-system-env-vars and its variable: the
// process's environment in __ENV, the -e pairs over it.
func TestK6SystemEnv(t *testing.T) {
	t.Parallel()
	env := []string{"JSLOAD_TEST_SYS=from-system", "JSLOAD_TEST_BOTH=from-system"}
	runEnv(t, env, "run", "-q", "--include-system-env-vars", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env.js").
		expect(t, 0, []string{"✓ the system variable", "✓ -e wins"}, nil)
	runEnv(t, append(env, "K6_INCLUDE_SYSTEM_ENV_VARS=true"), "run", "-q", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env.js").
		expect(t, 0, []string{"✓ the system variable"}, nil)
	runEnv(t, env, "run", "-q", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env.js").
		expect(t, cli.ExitThresholds, []string{"✗ the system variable", "✓ -e wins"}, nil)
	// A k6 script gets the environment unless told otherwise, as in k6.
	runEnv(t, env, "run", "-q", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env-k6.js").
		expect(t, 0, []string{"✓ the system variable", "✓ -e wins"}, nil)
	runEnv(t, env, "run", "-q", "--include-system-env-vars=false", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env-k6.js").
		expect(t, cli.ExitThresholds, []string{"✗ the system variable", "✓ -e wins"}, nil)
	runEnv(t, append(env, "K6_INCLUDE_SYSTEM_ENV_VARS=false"), "run", "-q", "-e", "JSLOAD_TEST_BOTH=from-flag", "testdata/k6/env-k6.js").
		expect(t, cli.ExitThresholds, []string{"✗ the system variable"}, nil)
}

// TestK6SummaryFlags checks --no-summary, --no-thresholds, --throw and --http-debug.
func TestK6SummaryFlags(t *testing.T) {
	t.Parallel()
	port := echoTarget(t)
	r := run(t, nil, "run", "-q", "--no-summary", "--no-thresholds", "-e", "PORT="+port, "--http-debug=full", "testdata/k6/options.js")
	r.expect(t, 0, nil, []string{"Request:\nGET /ua HTTP/1.1\r\nHost: shop.test:" + port, "User-Agent: MyK6Test/1.0", "Response:\nHTTP/1.1 200 OK", "\r\n\r\nok"})
	if strings.Contains(r.stdout, "METRICS") || strings.Contains(r.stdout, "THRESHOLDS") {
		t.Errorf("--no-summary printed a summary:\n%s", r.stdout)
	}
}

// TestRemoteImportCLI runs a script that imports a module by URL from a local
// HTTPS server, in a jsload process that trusts the server's certificate
// (SSL_CERT_FILE): fetched once, then run with --no-remote from the cache
// after the server is gone.
func TestRemoteImportCLI(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"/lib/index.js": "import { twice } from './math.js';\nexport const greet = (n) => 'hi ' + n + ' ' + twice(2);\n",
		"/lib/math.js":  "export const twice = (x) => x * 2;\n",
	}
	var hits atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		src, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(src))
	}))
	defer srv.Close()
	dir := t.TempDir()
	cert := filepath.Join(dir, "ca.pem")
	writeFile(t, cert, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	src, err := os.ReadFile("testdata/k6/remote.js")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "remote.js")
	writeFile(t, script, strings.Replace(string(src), "REMOTE_URL", srv.URL+"/lib/index.js", 1))
	env := []string{"SSL_CERT_FILE=" + cert, "JSLOAD_CACHE_DIR=" + filepath.Join(dir, "cache")}
	jsload(t, env, "run", "-q", "--results-dir", dir, script).expect(t, 0, []string{"✓ the remote module runs"}, nil)
	if n := hits.Load(); n != 2 {
		t.Errorf("%d requests, want 2: index.js and math.js once each", n)
	}
	srv.Close()
	jsload(t, env, "run", "-q", "--no-remote", "--results-dir", dir, script).expect(t, 0, []string{"✓ the remote module runs"}, nil)
	jsload(t, []string{"JSLOAD_CACHE_DIR=" + filepath.Join(dir, "empty")}, "run", "-q", "--no-remote", "--results-dir", dir, script).
		expect(t, cli.ExitScriptError, nil, []string{"remote.js:3:23", "is not in the module cache"})
}

// jsload runs the CLI in a process of its own (this test binary, see
// TestMain) with env added to its environment: for what a process reads once,
// such as SSL_CERT_FILE.
func jsload(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "JSLOAD_TESTS_RUN_CLI=1"), env...)
	var out, errOut testio.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestK6ClientOptions checks k6's options of the HTTP client against targets
// that report what they saw: the connection of each request, how many
// requests were in flight at once, the TLS version.
func TestK6ClientOptions(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int64
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/conn" {
			_, _ = w.Write([]byte(r.RemoteAddr))
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond) // lets requests overlap; the check holds however long it is
		_, _ = w.Write([]byte(strconv.FormatInt(peak.Load(), 10)))
	}))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(tls.VersionName(r.TLS.Version)))
	}))
	defer tlsSrv.Close()
	r := run(t, nil, "run", "-q", "-e", "PLAIN="+plain.URL, "-e", "TLS="+tlsSrv.URL, "-e", "CLOSED=http://"+testnet.ClosedAddr(t), "testdata/k6/client.js")
	r.expect(t, 0, []string{"✓ noConnectionReuse", "✓ batchPerHost", "✓ throw", "✓ insecureSkipTLSVerify", "✓ tlsVersion"}, nil)
	if peak.Load() < 2 {
		t.Logf("the batch's requests never overlapped (peak %d): the batchPerHost check proved little this time", peak.Load())
	}
}
