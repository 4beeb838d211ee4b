package baseline_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/baseline"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
)

func run(t *testing.T, dir string) []*rules.Finding {
	t.Helper()
	res := loader.Load([]string{dir}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	fs, errs := rules.Run(res.Fset, res.Stacks, rules.All(), rules.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return fs
}

func fingerprints(fs []*rules.Finding) map[string]*rules.Finding {
	out := map[string]*rules.Finding{}
	for _, f := range fs {
		out[f.Fingerprint] = f
	}
	return out
}

// copyDir copies a cloud assembly, rewriting its templates with edit.
func copyDir(t *testing.T, src, dst string, edit func(path string, b []byte) []byte) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".template.json") {
			b = edit(rel, b)
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var unrelated = map[string]any{
	"Effect":   "Allow",
	"Action":   "sqs:GetQueueUrl",
	"Resource": "arn:aws:sqs:us-east-1:111111111111:unrelated-queue",
}

// perturb re-synthesizes a template the way a later synth of the same app
// might: keys reordered and re-indented (every line moves), blank lines
// added, and an unrelated statement inserted at the top of every identity
// policy (every statement index shifts).
func perturb(t *testing.T, b []byte) []byte {
	var tmpl map[string]any
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	resources, _ := tmpl["Resources"].(map[string]any)
	for _, r := range resources {
		res, _ := r.(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		var docs []map[string]any
		switch res["Type"] {
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			if d, ok := props["PolicyDocument"].(map[string]any); ok {
				docs = append(docs, d)
			}
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			pols, _ := props["Policies"].([]any)
			for _, p := range pols {
				pm, _ := p.(map[string]any)
				if d, ok := pm["PolicyDocument"].(map[string]any); ok {
					docs = append(docs, d)
				}
			}
		}
		for _, d := range docs {
			switch st := d["Statement"].(type) {
			case []any:
				d["Statement"] = append([]any{unrelated}, st...)
			case map[string]any:
				d["Statement"] = []any{unrelated, st}
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "    ")
	if err := enc.Encode(tmpl); err != nil {
		t.Fatal(err)
	}
	return append([]byte("\n\n\n"), bytes.ReplaceAll(buf.Bytes(), []byte("\n    \""), []byte("\n\n    \""))...)
}

// TestFingerprintsStable: every finding of the original synth keeps its
// fingerprint after lines move and unrelated statements are added, on every
// corpus app, and a baseline of the original hides exactly them.
func TestFingerprintsStable(t *testing.T) {
	apps, _ := filepath.Glob("../../testdata/corpus/*/cdk.out")
	if len(apps) < 5 {
		t.Fatal("no corpus")
	}
	total := 0
	for _, app := range apps {
		name := filepath.Base(filepath.Dir(app))
		t.Run(name, func(t *testing.T) {
			orig := run(t, app)
			dir := filepath.Join(t.TempDir(), "cdk.out")
			copyDir(t, app, dir, func(_ string, b []byte) []byte { return perturb(t, b) })
			moved := run(t, dir)
			now := fingerprints(moved)
			lineMoved := 0
			for _, f := range orig {
				g := now[f.Fingerprint]
				if g == nil {
					t.Errorf("%s %s %s: fingerprint changed (%s)", f.Rule.ID(), f.LogicalID, f.JSONPointer, f.Message)
					continue
				}
				if g.Template.StartLine != f.Template.StartLine {
					lineMoved++
				}
			}
			if len(orig) > 0 && lineMoved != len(orig) {
				t.Errorf("%d of %d findings kept their line: the perturbation must move every line", len(orig)-lineMoved, len(orig))
			}
			total += len(orig)
			t.Logf("%d findings, %d after the edit", len(orig), len(moved))

			// A baseline written from the original hides exactly the
			// original findings in the new synth.
			file := filepath.Join(t.TempDir(), "baseline.json")
			if err := baseline.Write(file, orig); err != nil {
				t.Fatal(err)
			}
			base, err := baseline.Read(file)
			if err != nil {
				t.Fatal(err)
			}
			kept, suppressed := baseline.Apply(moved, base, file)
			if len(suppressed) != len(fingerprints(orig)) {
				t.Errorf("baseline hides %d findings, want %d", len(suppressed), len(fingerprints(orig)))
			}
			for _, f := range kept {
				if base[f.Fingerprint] {
					t.Errorf("kept a baselined finding %s", f.Message)
				}
			}
		})
	}
	if total < 50 {
		t.Errorf("only %d findings compared", total)
	}
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string
		err           string
	}{
		{"baseline.json", `{"schemaVersion": 1, "fingerprints": ["v1:b", "v1:a", ""]}`, []string{"v1:a", "v1:b"}, ""},
		{"baseline.json", `{"schemaVersion": 2, "fingerprints": []}`, nil, "schemaVersion 2"},
		{"r.json", `{"schemaVersion": 1, "tool": {"name": "iamvet"}, "findings": [
			{"ruleId": "IAM012", "fingerprint": "v1:new"},
			{"ruleId": "IAM013", "fingerprint": "v1:hidden", "suppression": {"kind": "cdk-nag", "id": "AwsSolutions-IAM5"}},
			{"ruleId": "IAM014", "fingerprint": "v1:old", "suppression": {"kind": "baseline", "id": "v1:old"}}]}`,
			[]string{"v1:new", "v1:old"}, ""},
		{"r.json", `{"schemaVersion": 1, "tool": {"name": "other"}, "findings": []}`, nil, `not iamvet`},
		{"r.sarif", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "iamvet"}}, "results": [
			{"ruleId": "IAM012", "partialFingerprints": {"primaryLocationLineHash": "v1:x", "iamvet/v1": "v1:x"}},
			{"ruleId": "IAM013", "partialFingerprints": {"iamvet/v1": "v1:y"}, "suppressions": [{"kind": "inSource", "properties": {"iamvet/kind": "cdk-nag"}}]},
			{"ruleId": "IAM014", "partialFingerprints": {"iamvet/v1": "v1:z"}, "suppressions": [{"kind": "external", "properties": {"iamvet/kind": "baseline"}}]},
			{"ruleId": "IAM015", "partialFingerprints": {"primaryLocationLineHash": "abc:1"}}]}]}`,
			[]string{"v1:x", "v1:z"}, ""},
		{"r.sarif", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "iamvet"}}, "results": []}]}`, nil, ""},
		{"r.sarif", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "checkov"}}, "results": []}]}`, nil, `SARIF run of "checkov", not iamvet`},
		{"x.json", `{"hello": 1}`, nil, "not an iamvet baseline, JSON report or SARIF log"},
		{"x.json", `[1, 2]`, nil, "not JSON"},
		{"x.json", "\xef\xbb\xbf" + `{"schemaVersion": 1, "fingerprints": ["v1:bom"]}`, []string{"v1:bom"}, ""},
	}
	for _, tt := range tests {
		got, err := baseline.Read(write(t, tt.name, tt.content))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.content, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.content, err)
			continue
		}
		if k := keys(got); !reflect.DeepEqual(k, tt.want) {
			t.Errorf("%s: %q, want %q", tt.content, k, tt.want)
		}
	}
	if _, err := baseline.Read(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json: no such file") {
		t.Errorf("missing file: %v", err)
	}
}

func TestWriteFormat(t *testing.T) {
	r := rules.All()[0]
	fs := []*rules.Finding{
		{Rule: r, Fingerprint: "v1:b"},
		{Rule: r, Fingerprint: "v1:a"},
		{Rule: r, Fingerprint: "v1:b"},
		{Rule: r, Fingerprint: "v1:c", Suppressed: &rules.Suppression{Kind: "cdk-nag"}},
		{Rule: r, Fingerprint: "v1:d", Suppressed: &rules.Suppression{Kind: "baseline"}},
	}
	p := filepath.Join(t.TempDir(), "b.json")
	if err := baseline.Write(p, fs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want := "{\n  \"schemaVersion\": 1,\n  \"fingerprints\": [\n    \"v1:a\",\n    \"v1:b\",\n    \"v1:d\"\n  ]\n}\n"
	if string(b) != want {
		t.Errorf("wrote\n%s\nwant\n%s", b, want)
	}
	empty := filepath.Join(t.TempDir(), "e.json")
	if err := baseline.Write(empty, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(empty); string(b) != "{\n  \"schemaVersion\": 1,\n  \"fingerprints\": []\n}\n" {
		t.Errorf("empty baseline: %s", b)
	}
	if err := baseline.Write(filepath.Join(t.TempDir(), "no", "dir", "b.json"), fs); err == nil {
		t.Error("writing into a missing directory must fail")
	}
}

// TestReadReports reads the fingerprints back from the JSON and SARIF the
// report package writes.
func TestReadReports(t *testing.T) {
	fs := run(t, "../../testdata/corpus/c-wildcards/cdk.out")
	if len(fs) < 3 {
		t.Fatal("too few findings")
	}
	fs[0].Suppressed = &rules.Suppression{Kind: "cdk-nag", ID: "AwsSolutions-IAM5", Reason: "r"}
	fs[1].Suppressed = &rules.Suppression{Kind: "baseline", ID: fs[1].Fingerprint, Reason: "in baseline"}
	in := &report.Input{
		Tool: report.Tool{Name: "iamvet", Version: "0.1.0"}, Rules: rules.All(),
		Findings: fs[2:], Suppressed: fs[:2], IncludeSuppressed: true, RepoRoot: t.TempDir(),
	}
	want := map[string]bool{}
	for _, f := range fs[1:] {
		want[f.Fingerprint] = true
	}
	for _, format := range []string{"json", "sarif"} {
		var buf bytes.Buffer
		var err error
		if format == "json" {
			err = report.WriteJSON(&buf, in)
		} else {
			err = report.WriteSARIF(&buf, in)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := baseline.Read(write(t, "out."+format, buf.String()))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read %d fingerprints, want %d", format, len(got), len(want))
		}
	}
}
