package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repo is the repository root (two levels up from internal/cli).
func repo(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// normalize replaces machine-specific absolute paths in outputs.
func normalize(t *testing.T, s string) string {
	r := repo(t)
	s = strings.ReplaceAll(s, filepath.ToSlash(r), "$REPO")
	s = strings.ReplaceAll(s, r, "$REPO")
	return strings.ReplaceAll(s, version(), "$VERSION")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./internal/cli -update and review the diff.\n--- got ---\n%s", name, got)
	}
}

var goldenApps = []string{"b-iam-users", "d-mfa", "e-trust-policies", "j-multistage-nested"}

func TestGolden(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("golden paths are slash-separated")
	}
	for _, app := range goldenApps {
		dir := filepath.Join(repo(t), "testdata", "corpus", app, "cdk.out")
		for _, format := range []string{"terminal", "json", "sarif"} {
			t.Run(app+"."+format, func(t *testing.T) {
				code, out, stderr := runCLI(t, "--format", format, "--color", "never", "--repo-root", repo(t), dir)
				if code != ExitFindings {
					t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
				}
				golden(t, app+"."+format+".golden", normalize(t, out))
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	dir := filepath.Join(repo(t), "testdata", "corpus", "j-multistage-nested", "cdk.out")
	_, first, _ := runCLI(t, "--format", "sarif", dir)
	for i := 0; i < 5; i++ {
		if _, again, _ := runCLI(t, "--format", "sarif", dir); again != first {
			t.Fatal("SARIF output differs between runs of the same input")
		}
	}
}

type jsonOut struct {
	SchemaVersion int `json:"schemaVersion"`
	Stacks        []struct {
		ArtifactID   string `json:"artifactId"`
		TemplatePath string `json:"templatePath"`
	} `json:"stacks"`
	Findings []json.RawMessage `json:"findings"`
	Errors   []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

func TestEveryCorpusAppLoads(t *testing.T) {
	apps, _ := filepath.Glob(filepath.Join(repo(t), "testdata", "corpus", "*", "cdk.out"))
	if len(apps) < 10 {
		t.Fatalf("found %d corpus apps", len(apps))
	}
	for _, dir := range apps {
		code, out, stderr := runCLI(t, "--format", "json", "--fail-on", "none", dir)
		if code != ExitClean {
			t.Errorf("%s: exit %d: %s", dir, code, stderr)
			continue
		}
		var doc jsonOut
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		templates, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
		nested, _ := filepath.Glob(filepath.Join(dir, "assembly-*", "*.template.json"))
		if want := len(templates) + len(nested); len(doc.Stacks) != want || doc.SchemaVersion != 1 {
			t.Errorf("%s: %d stacks listed, want %d (every template, Stage and nested ones included)", dir, len(doc.Stacks), want)
		}
	}
}

func TestExitCodesAndErrors(t *testing.T) {
	tmp := t.TempDir()
	good := filepath.Join(repo(t), "rules", "iam011", "testdata", "admin.yaml")
	bad := filepath.Join(tmp, "broken.json")
	os.WriteFile(bad, []byte("{\n  \"Resources\": {\n    \"A\": \n"), 0o644)
	sarif := filepath.Join(tmp, "out.sarif")

	// Findings at or above --fail-on: 1; below: 0.
	if code, _, _ := runCLI(t, good); code != ExitFindings {
		t.Errorf("findings: exit %d, want 1", code)
	}
	if code, _, _ := runCLI(t, "--fail-on", "none", good); code != ExitClean {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
	// A load error wins over findings; the good stack is still reported on
	// stdout, the error names the file and line, and no file is written.
	code, out, stderr := runCLI(t, "--format", "json", "--sarif", sarif, good, bad)
	if code != ExitError {
		t.Errorf("load error: exit %d, want 2", code)
	}
	var doc jsonOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	if len(doc.Stacks) != 1 || len(doc.Findings) == 0 || len(doc.Errors) != 1 || doc.Errors[0].Line != 4 || !strings.Contains(doc.Errors[0].File, "broken.json") {
		t.Errorf("stdout = %d stacks, %d findings, errors %+v", len(doc.Stacks), len(doc.Findings), doc.Errors)
	}
	if !strings.Contains(stderr, "broken.json:4") {
		t.Errorf("stderr does not name the file and line: %s", stderr)
	}
	if _, err := os.Stat(sarif); !os.IsNotExist(err) {
		t.Error("SARIF file written on exit 2")
	}
	// Output files are written on 0/1.
	if code, _, _ := runCLI(t, "--sarif", sarif, "--fail-on", "none", good); code != ExitClean {
		t.Errorf("exit %d", code)
	}
	if b, err := os.ReadFile(sarif); err != nil || !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("SARIF not written: %v", err)
	}
	for _, args := range [][]string{
		{"--format", "xml", good},
		{"--fail-on", "severe", good},
		{"--rules", "IAM999", good},
		{"--bogus"},
		{filepath.Join(tmp, "missing")},
		{"explain"},
		{"explain", "IAM999"},
	} {
		if code, _, _ := runCLI(t, args...); code != ExitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestFlagsAfterPaths(t *testing.T) {
	good := filepath.Join(repo(t), "rules", "iam011", "testdata", "admin.yaml")
	code, out, _ := runCLI(t, good, "--format", "json", "--fail-on", "none")
	if code != ExitClean || !strings.HasPrefix(out, "{") {
		t.Errorf("exit %d, out %.40q", code, out)
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := runCLI(t, "rules", "--format", "json")
	if code != ExitClean {
		t.Fatalf("exit %d", code)
	}
	var list []ruleJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range list {
		ids[r.ID] = true
		if r.Severity == "" || r.HelpURI == "" || r.Title == "" {
			t.Errorf("%s: incomplete %+v", r.ID, r)
		}
	}
	for _, id := range []string{"IAM001", "IAM011", "IAM012", "IAM013"} {
		if !ids[id] {
			t.Errorf("rules lists no %s", id)
		}
	}
	code, out, _ = runCLI(t, "explain", "iam012")
	if code != ExitClean || !strings.Contains(out, "IAM012 wildcard-action") || !strings.Contains(out, "How to fix") || !strings.Contains(out, "```yaml") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "version"); code != ExitClean || !strings.HasPrefix(out, "iamvet ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestStacksFilter(t *testing.T) {
	dir := filepath.Join(repo(t), "testdata", "corpus", "j-multistage-nested", "cdk.out")
	for _, tc := range []struct {
		globs string
		want  int
	}{
		{"Prod/*", 3},  // Prod/SharedIam (+ its nested Audit) and Prod/Service
		{"Tooling", 3}, // Tooling and two levels of nested stacks
		{"Dev/Service,Prod/Service", 2},
		{"nothing", 0},
	} {
		code, out, stderr := runCLI(t, "--format", "json", "--fail-on", "none", "--stacks", tc.globs, dir)
		var doc jsonOut
		if code != ExitClean || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("%s: exit %d %s", tc.globs, code, stderr)
		}
		if len(doc.Stacks) != tc.want {
			t.Errorf("--stacks %s: %d stacks, want %d", tc.globs, len(doc.Stacks), tc.want)
		}
	}
	if code, _, _ := runCLI(t, "--stacks", "[", dir); code != ExitError {
		t.Errorf("bad glob: exit %d, want 2", code)
	}
}

func TestSuppressionsConfigBaseline(t *testing.T) {
	dir := filepath.Join(repo(t), "testdata", "corpus", "l-nag-suppressions", "cdk.out")
	count := func(args ...string) (n, suppressed int, ids map[string]int) {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"--format", "json", "--fail-on", "none"}, args...)...)
		if code != ExitClean {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var doc struct {
			Summary struct {
				Suppressed int `json:"suppressed"`
			} `json:"summary"`
			Findings []struct {
				RuleID      string          `json:"ruleId"`
				Fingerprint string          `json:"fingerprint"`
				Suppression json.RawMessage `json:"suppression"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		ids = map[string]int{}
		for _, f := range doc.Findings {
			ids[f.RuleID]++
		}
		return len(doc.Findings), doc.Summary.Suppressed, ids
	}
	n, sup, ids := count(dir)
	if sup == 0 || ids["IAM065"] != 2 {
		t.Errorf("cdk-nag suppressions: %d suppressed, IAM065 x%d; want some suppressed and 2 broad-suppression findings", sup, ids["IAM065"])
	}
	// The kms:* grant whose suppression's applies_to does not match stays.
	if ids["IAM031"] == 0 && ids["IAM013"] == 0 {
		t.Error("kms:* on ExporterRole was hidden by a non-matching applies_to")
	}
	all, _, _ := count("--no-peer-suppressions", dir)
	if all <= n {
		t.Errorf("--no-peer-suppressions: %d findings, want more than %d", all, n)
	}
	withSup, _, _ := count("--include-suppressed", dir)
	if withSup != n+sup {
		t.Errorf("--include-suppressed lists %d, want %d + %d", withSup, n, sup)
	}

	// .iamvet.yaml: an ignore by rule with a reason, and unknown keys are
	// errors naming the line.
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "iamvet.yaml")
	os.WriteFile(cfg, []byte("ignore:\n  - rule: IAM028\n    reason: reporting reads every table by design\n"), 0o644)
	_, _, ids2 := count("--config", cfg, dir)
	if ids2["IAM028"] != 0 {
		t.Errorf("config ignore did not hide IAM028")
	}
	os.WriteFile(cfg, []byte("rules:\n  enable: [IAM020]\n  bogus: 1\n"), 0o644)
	if code, _, stderr := runCLI(t, "--config", cfg, dir); code != ExitError || !strings.Contains(stderr, ":3:") {
		t.Errorf("bad config: exit %d, stderr %q", code, stderr)
	}

	// Baseline: everything known is hidden; nothing new.
	bl := filepath.Join(tmp, "baseline.json")
	if code, _, stderr := runCLI(t, "--fail-on", "none", "--write-baseline", bl, dir); code != ExitClean {
		t.Fatalf("write baseline: %d %s", code, stderr)
	}
	if n, _, _ := count("--baseline", bl, dir); n != 0 {
		t.Errorf("with its own baseline, %d findings remain", n)
	}
	if code, _, _ := runCLI(t, "--baseline", filepath.Join(tmp, "missing.json"), dir); code != ExitError {
		t.Errorf("missing baseline: exit %d, want 2", code)
	}
}

func TestGraphCommand(t *testing.T) {
	dir := filepath.Join(repo(t), "testdata", "corpus", "e-trust-policies", "cdk.out")
	code, out, _ := runCLI(t, "graph", dir)
	if code != ExitClean || !strings.HasPrefix(out, "flowchart LR") || !strings.Contains(out, "GithubNoSubRole") {
		t.Errorf("graph mermaid: exit %d\n%.200s", code, out)
	}
	code, out, _ = runCLI(t, "graph", "--format", "dot", dir)
	if code != ExitClean || !strings.HasPrefix(out, "digraph") {
		t.Errorf("graph dot: exit %d\n%.200s", code, out)
	}
	if code, _, _ := runCLI(t, "graph", "--format", "png", dir); code != ExitError {
		t.Errorf("graph bad format: exit %d", code)
	}
}

// TestMain keeps a CI runner's GitHub environment from turning on
// annotations and job summaries (auto mode) in tests that do not ask.
func TestMain(m *testing.M) {
	os.Unsetenv("GITHUB_ACTIONS")
	os.Unsetenv("GITHUB_STEP_SUMMARY")
	os.Exit(m.Run())
}

func TestGitHubAnnotationsAndSummary(t *testing.T) {
	dir := filepath.Join(repo(t), "testdata", "corpus", "e-trust-policies", "cdk.out")
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	code, out, stderr := runCLI(t, "--format", "json", dir)
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out, "{") {
		t.Error("annotations leaked into stdout")
	}
	if !strings.Contains(stderr, "::error file=") || !strings.Contains(stderr, "title=IAM033") {
		t.Errorf("no error annotations on stderr:\n%.600s", stderr)
	}
	b, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(b), "```mermaid") || !strings.Contains(string(b), "IAM033") {
		t.Errorf("job summary missing or incomplete: %v\n%.400s", err, b)
	}
	// never turns both off even inside Actions.
	os.Remove(summary)
	_, _, stderr = runCLI(t, "--annotations", "never", "--summary", "never", dir)
	if strings.Contains(stderr, "::error") {
		t.Error("--annotations never still annotates")
	}
	if _, err := os.Stat(summary); !os.IsNotExist(err) {
		t.Error("--summary never still writes the summary")
	}
	if code, _, _ := runCLI(t, "--annotations", "sometimes", dir); code != ExitError {
		t.Errorf("bad --annotations: exit %d", code)
	}
}

// TestFingerprintsSurviveResynthesis compares two real synths of one app
// (testdata/resynth): lines moved and an unrelated statement was inserted
// before a flagged one, yet every finding keeps its fingerprint.
func TestFingerprintsSurviveResynthesis(t *testing.T) {
	type finding struct {
		RuleID      string `json:"ruleId"`
		Fingerprint string `json:"fingerprint"`
		JSONPointer string `json:"jsonPointer"`
	}
	read := func(dir string) map[string]finding {
		code, out, stderr := runCLI(t, "--format", "json", "--fail-on", "none", filepath.Join(repo(t), "testdata", "resynth", dir))
		if code != ExitClean {
			t.Fatalf("%s: exit %d: %s", dir, code, stderr)
		}
		var doc struct{ Findings []finding }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		m := map[string]finding{}
		for _, f := range doc.Findings {
			m[f.Fingerprint] = f
		}
		return m
	}
	before, after := read("before"), read("after")
	if len(before) < 10 {
		t.Fatalf("only %d findings before", len(before))
	}
	moved := 0
	for fp, f := range before {
		g, ok := after[fp]
		if !ok {
			t.Errorf("%s %s %s: fingerprint changed after resynthesis", f.RuleID, f.JSONPointer, fp)
			continue
		}
		if g.JSONPointer != f.JSONPointer {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no finding moved: the fixture no longer exercises statement shifts")
	}
}
