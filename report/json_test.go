package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/iamvet/iamvet/rules"
)

func TestJSONGolden(t *testing.T) {
	in := fixture()
	got := write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	golden(t, "report.json.golden", got)

	var out struct {
		SchemaVersion int `json:"schemaVersion"`
		Summary       struct {
			Findings, Blocking, Suppressed, CDKInternal int
			FailOn                                      string
			BySeverity                                  map[string]int
		}
		Findings []struct {
			RuleID, RuleName, Title, Severity, Level, SecuritySeverity, Fingerprint string
			Location                                                                struct{ Source, URI string }
			TemplateLocation                                                        struct {
				URI                                        string
				StartLine, StartColumn, EndLine, EndColumn int
			}
			Stack       struct{ TemplatePath, RelPath string }
			Suppression *struct{ Kind string }
		}
	}
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	if out.SchemaVersion != 1 {
		t.Errorf("schemaVersion = %d", out.SchemaVersion)
	}
	s := out.Summary
	if s.Findings != 5 || s.Blocking != 3 || s.Suppressed != 1 || s.CDKInternal != 1 || s.FailOn != "high" {
		t.Errorf("summary = %+v", s)
	}
	if want := map[string]int{"critical": 1, "high": 2, "medium": 1, "low": 1}; len(s.BySeverity) != len(want) {
		t.Errorf("bySeverity = %v", s.BySeverity)
	}
	if len(out.Findings) != 5 {
		t.Fatalf("%d findings, want 5 (suppressed left out)", len(out.Findings))
	}
	f := out.Findings[0]
	if f.RuleID != "IAM901" || f.RuleName != "TestAdminAccess" || f.Title != "Policy grants administrator access" ||
		f.Severity != "critical" || f.Level != "error" || f.SecuritySeverity != "9.5" {
		t.Errorf("finding 0 = %+v", f)
	}
	if f.Location.Source != "template" || f.TemplateLocation.URI != "app/cdk.out/ApiStack.template.json" ||
		f.Stack.TemplatePath != "/repo/app/cdk.out/ApiStack.template.json" {
		t.Errorf("finding 0 locations = %+v / %+v / %+v", f.Location, f.TemplateLocation, f.Stack)
	}
	if ext := out.Findings[3]; ext.Location.Source != "generated" || ext.TemplateLocation.URI != "cdk.out/Ext Stack.template.json" ||
		ext.Fingerprint == "" || ext.TemplateLocation.EndColumn != 2 {
		t.Errorf("outside-root finding = %+v", ext)
	}
}

func TestJSONIncludeSuppressed(t *testing.T) {
	in := fixture()
	in.IncludeSuppressed = true
	got := write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	var out struct {
		Summary  struct{ Findings, Suppressed int }
		Findings []struct {
			Suppression *struct{ Kind, ID, Reason string }
		}
	}
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	if out.Summary.Findings != 5 || out.Summary.Suppressed != 1 || len(out.Findings) != 6 {
		t.Fatalf("summary %+v, %d findings", out.Summary, len(out.Findings))
	}
	if s := out.Findings[5].Suppression; s == nil || s.Kind != "cdk-nag" || s.ID != "AwsSolutions-IAM5" || s.Reason == "" {
		t.Errorf("suppression = %+v", s)
	}
	if out.Findings[0].Suppression != nil {
		t.Error("reported finding has a suppression")
	}
}

// TestJSONArrays: errors, stacks, findings and relatedLocations are arrays,
// never null, whatever the input holds.
func TestJSONArrays(t *testing.T) {
	in := &Input{Tool: Tool{Name: "iamvet", Version: "0.1.0"}}
	got := write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	golden(t, "empty.json.golden", got)
	var out map[string]any
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"findings", "stacks", "errors"} {
		if _, ok := out[k].([]any); !ok {
			t.Errorf("%s = %#v, want an array", k, out[k])
		}
	}
	if out["summary"].(map[string]any)["failOn"] != "none" {
		t.Errorf("failOn = %v", out["summary"])
	}

	in = fixture()
	in.Errors = []Error{{File: "cdk.out/Broken.template.json", Line: 3, Column: 5, Message: "unexpected end of JSON input"}}
	in.Findings = in.Findings[3:4] // no related locations
	got = write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	var full struct {
		Stacks   []any
		Errors   []map[string]any
		Findings []map[string]any
	}
	if err := json.Unmarshal(got, &full); err != nil {
		t.Fatal(err)
	}
	if len(full.Stacks) != 4 || len(full.Errors) != 1 || full.Errors[0]["line"] != 3.0 || full.Errors[0]["column"] != 5.0 {
		t.Errorf("stacks %v errors %v", full.Stacks, full.Errors)
	}
	if rl, ok := full.Findings[0]["relatedLocations"].([]any); !ok || len(rl) != 0 {
		t.Errorf("relatedLocations = %#v, want []", full.Findings[0]["relatedLocations"])
	}
	if _, ok := full.Findings[0]["internalNote"]; ok {
		t.Error("empty internalNote not omitted")
	}
}

func TestJSONKeepsOrder(t *testing.T) {
	in := fixture()
	// Reverse: the writer must not re-sort.
	fs := append([]*rules.Finding{}, in.Findings...)
	for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
	in.Findings = fs
	got := write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	var out struct{ Findings []struct{ Message string } }
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	for i, f := range out.Findings {
		if f.Message != fs[i].Message {
			t.Fatalf("finding %d reordered", i)
		}
	}
}

func TestJSONSourceLocations(t *testing.T) {
	in := sourceFixture()
	got := write(t, func(b *bytes.Buffer) error { return WriteJSON(b, in) })
	golden(t, "report_source.json.golden", got)
	type jl struct {
		Source, URI, Message                       string
		StartLine, StartColumn, EndLine, EndColumn int
	}
	var out struct {
		Findings []struct {
			Location         jl
			TemplateLocation jl
			Frames           []jl
		}
	}
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatal(err)
	}
	f := out.Findings[0]
	if f.Location != (jl{Source: "source", URI: "app/lib/api-stack.ts", StartLine: 42, StartColumn: 5, EndLine: 42, EndColumn: 61}) {
		t.Errorf("location %+v", f.Location)
	}
	if f.TemplateLocation != (jl{URI: "app/cdk.out/ApiStack.template.json", StartLine: 118, StartColumn: 21, EndLine: 118, EndColumn: 24}) {
		t.Errorf("templateLocation %+v", f.TemplateLocation)
	}
	if len(f.Frames) != 1 || f.Frames[0] != (jl{URI: "app/bin/app.ts", Message: "creates ApiStack (construct trace)", StartLine: 8, StartColumn: 1, EndLine: 8, EndColumn: 38}) {
		t.Errorf("frames %+v", f.Frames)
	}
	for i, want := range []string{"source", "generated", "app", "generated", "template"} {
		if got := out.Findings[i].Location.Source; got != want {
			t.Errorf("finding %d: source %s, want %s", i, got, want)
		}
		if out.Findings[i].Frames == nil {
			t.Errorf("finding %d: frames is not an array", i)
		}
	}
	if u := out.Findings[2].Location.URI; u != "app/bin/app.ts" {
		t.Errorf("app location %s", u)
	}
}
