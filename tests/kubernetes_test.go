package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const kubeDir = "../examples/kubernetes"

// kubeObjects decodes every document of every manifest of examples/kubernetes
// strictly into its Kubernetes API type: an unknown or misspelt field, a
// duplicate key or a kind the test does not know fails.
func kubeObjects(t *testing.T) []any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(kubeDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", kubeDir, err)
	}
	var objs []any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			obj, err := decodeStrict([]byte(doc))
			if err != nil {
				t.Errorf("%s, document %d: %v", filepath.Base(f), i+1, err)
				continue
			}
			objs = append(objs, obj)
		}
	}
	return objs
}

func stripComments(doc string) string {
	var out []string
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// decodeStrict decodes one manifest into the type of its apiVersion and kind.
func decodeStrict(doc []byte) (any, error) {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return nil, err
	}
	var head struct{ APIVersion, Kind string }
	if err := json.Unmarshal(js, &head); err != nil {
		return nil, err
	}
	var obj any
	switch head.APIVersion + " " + head.Kind {
	case "v1 ConfigMap":
		obj = &corev1.ConfigMap{}
	case "v1 Service":
		obj = &corev1.Service{}
	case "apps/v1 Deployment":
		obj = &appsv1.Deployment{}
	case "batch/v1 Job":
		obj = &batchv1.Job{}
	default:
		return nil, fmt.Errorf("kind %q of %q: not one the test knows (add it)", head.Kind, head.APIVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return nil, fmt.Errorf("%s %s: %w", head.APIVersion, head.Kind, err)
	}
	return obj, nil
}

func TestKubernetesStrictDecodeFailsOnTypos(t *testing.T) {
	t.Parallel()
	if _, err := decodeStrict([]byte("apiVersion: batch/v1\nkind: Job\nspec:\n  completionMod: Indexed\n")); err == nil {
		t.Error("a misspelt field decoded")
	}
}

// TestKubernetesExample checks the manifests and what ties them together: an
// Indexed Job whose pods run --segment $(JOB_COMPLETION_INDEX)/N with N its
// completions, a coordinator URL served by the Service of the Valkey
// Deployment, the ConfigMap's files at the path the script is run from, and a
// failure policy that makes a failed threshold (exit 99) fail the Job.
func TestKubernetesExample(t *testing.T) {
	t.Parallel()
	var job *batchv1.Job
	var cm *corev1.ConfigMap
	services := map[string]*corev1.Service{}
	deployments := map[string]*appsv1.Deployment{}
	for _, o := range kubeObjects(t) {
		switch x := o.(type) {
		case *batchv1.Job:
			job = x
		case *corev1.ConfigMap:
			cm = x
		case *corev1.Service:
			services[x.Name] = x
		case *appsv1.Deployment:
			deployments[x.Name] = x
		}
	}
	if job == nil || cm == nil {
		t.Fatal("the example needs a Job and a ConfigMap")
	}
	spec := job.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion || spec.Completions == nil || spec.Parallelism == nil || *spec.Completions != *spec.Parallelism {
		t.Fatalf("the Job must be Indexed with completions = parallelism")
	}
	n := *spec.Completions
	c := spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	if !strings.Contains(args, fmt.Sprintf("--segment=$(JOB_COMPLETION_INDEX)/%d", n)) {
		t.Errorf("args %q do not run --segment=$(JOB_COMPLETION_INDEX)/%d", args, n)
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if e := env["JSLOAD_RUN_ID"]; e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || !strings.Contains(e.ValueFrom.FieldRef.FieldPath, "controller-uid") {
		t.Errorf("JSLOAD_RUN_ID must come from the Job's controller-uid: %+v", e)
	}
	m := regexp.MustCompile(`^redis://([a-z0-9-]+):(\d+)/\d+$`).FindStringSubmatch(env["JSLOAD_COORDINATOR"].Value)
	if m == nil {
		t.Fatalf("JSLOAD_COORDINATOR %q is not redis://service:port/db", env["JSLOAD_COORDINATOR"].Value)
	}
	svc := services[m[1]]
	if svc == nil || fmt.Sprint(svc.Spec.Ports[0].Port) != m[2] {
		t.Fatalf("no Service %s on port %s for the coordinator", m[1], m[2])
	}
	if d := deployments[m[1]]; d == nil || d.Spec.Template.Labels["app.kubernetes.io/name"] != svc.Spec.Selector["app.kubernetes.io/name"] {
		t.Errorf("the coordinator's Service selects no Deployment of the example")
	}
	failsOn99 := slices.ContainsFunc(spec.PodFailurePolicy.Rules, func(r batchv1.PodFailurePolicyRule) bool {
		return r.Action == batchv1.PodFailurePolicyActionFailJob && r.OnExitCodes != nil && slices.Contains(r.OnExitCodes.Values, 99)
	})
	if !failsOn99 || spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("a failed threshold (exit 99) must fail the Job: podFailurePolicy FailJob on 99, restartPolicy Never")
	}
	script := c.Args[len(c.Args)-1]
	mount := slices.IndexFunc(c.VolumeMounts, func(v corev1.VolumeMount) bool { return strings.HasPrefix(script, v.MountPath+"/") })
	if mount < 0 {
		t.Fatalf("the script %s is not on a mounted volume", script)
	}
	vol := slices.IndexFunc(spec.Template.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == c.VolumeMounts[mount].Name })
	if vol < 0 || spec.Template.Spec.Volumes[vol].ConfigMap == nil || spec.Template.Spec.Volumes[vol].ConfigMap.Name != cm.Name {
		t.Fatalf("the script's volume is not the ConfigMap %s", cm.Name)
	}
	if _, ok := cm.Data[filepath.Base(script)]; !ok {
		t.Fatalf("the ConfigMap has no %s", filepath.Base(script))
	}
	runConfigMapScript(t, cm, filepath.Base(script), int(n))
}

// runConfigMapScript runs the ConfigMap's script, with its data, as segment 0
// of n for a second against a local target, and checks every segment's plan.
func runConfigMapScript(t *testing.T, cm *corev1.ConfigMap, script string, n int) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range cm.Data {
		writeFile(t, filepath.Join(dir, name), content)
	}
	path := filepath.Join(dir, script)
	for i := range n {
		run(t, nil, "check", "--segment", fmt.Sprintf("%d/%d", i, n), path).expect(t, 0,
			[]string{fmt.Sprintf("segment %d/%d", i, n)}, nil)
	}
	tg := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tg.Close()
	run(t, nil, "run", "-q", "--segment", fmt.Sprintf("0/%d", n), "-e", "DURATION=1s", "-e", "BASE_URL="+tg.URL, path).
		expect(t, 0, []string{"http_reqs"}, nil)
}
