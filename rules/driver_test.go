package rules_test

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

// Rules built here are not registered: the driver takes any rule list.
func testRule(name string, run func(*analysis.Pass) (any, error)) *rules.Rule {
	return &rules.Rule{Slug: strings.ToLower(name), Severity: rules.Medium, Since: "test",
		Analyzer: &analysis.Analyzer{Name: name, Doc: "test rule\n\ntext", Run: run}}
}

func load(t *testing.T, paths ...string) *loader.Result {
	t.Helper()
	res := loader.Load(paths, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	return res
}

func TestPanicBecomesInternalError(t *testing.T) {
	res := load(t, "../testdata/corpus/j-multistage-nested/cdk.out")
	boom := testRule("IAM990", func(p *analysis.Pass) (any, error) {
		if rules.StackOf(p).ArtifactID == "Tooling" {
			panic("boom")
		}
		return nil, nil
	})
	fails := testRule("IAM991", func(*analysis.Pass) (any, error) { return nil, errors.New("broken") })
	reports := testRule("IAM992", func(p *analysis.Pass) (any, error) {
		s := rules.StackOf(p)
		rules.Report(p, rules.Diag{At: s.Template.Root.Get("Resources"), Message: "resources of " + s.ArtifactID})
		return nil, nil
	})
	findings, errs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{boom, fails, reports}, rules.Options{})
	if len(findings) != len(res.Stacks) {
		t.Errorf("got %d findings, want one per stack (%d): a failing rule must not stop the others", len(findings), len(res.Stacks))
	}
	var panics, failures int
	for _, e := range errs {
		switch {
		case e.Rule == "IAM990" && e.Stack == "Tooling" && strings.Contains(e.Err, "panic: boom"):
			panics++
		case e.Rule == "IAM991" && strings.Contains(e.Error(), "broken"):
			failures++
		default:
			t.Errorf("unexpected internal error %v", e)
		}
	}
	if panics != 1 || failures != len(res.Stacks) {
		t.Errorf("panics=%d failures=%d, want 1 and %d", panics, failures, len(res.Stacks))
	}
}

func TestFindingDetails(t *testing.T) {
	res := load(t, "../testdata/corpus/c-wildcards/cdk.out")
	r := testRule("IAM993", func(p *analysis.Pass) (any, error) {
		s := rules.StackOf(p)
		n := cfn.Resolve(s.Template.Root, "/Resources/LegacyBatchRoleE94BFF57/Properties/Policies/0/PolicyDocument/Statement/0/Action")
		rules.Report(p, rules.Diag{At: n, Message: "found", Evidence: "EC2:*"})
		return nil, nil
	})
	findings, errs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{r}, rules.Options{})
	if len(errs) > 0 || len(findings) != 1 {
		t.Fatalf("findings=%d errs=%v", len(findings), errs)
	}
	f := findings[0]
	if f.LogicalID != "LegacyBatchRoleE94BFF57" || f.ResourceType != "AWS::IAM::Role" || f.ConstructPath != "PlatformAutomation/LegacyBatchRole/Resource" {
		t.Errorf("resource = %q %q %q", f.LogicalID, f.ResourceType, f.ConstructPath)
	}
	if f.JSONPointer != "/Resources/LegacyBatchRoleE94BFF57/Properties/Policies/0/PolicyDocument/Statement/0/Action" {
		t.Errorf("pointer = %q", f.JSONPointer)
	}
	if f.Template.StartLine == 0 || f.Template.EndColumn <= f.Template.StartColumn || f.Template.StartLine != f.Template.EndLine {
		t.Errorf("location = %+v", f.Template)
	}
	if !strings.HasPrefix(f.Fingerprint, "v1:") || len(f.Fingerprint) != 35 {
		t.Errorf("fingerprint = %q", f.Fingerprint)
	}
}

func TestSeverityWords(t *testing.T) {
	for _, tc := range []struct {
		s            rules.Severity
		word, ss, lv string
	}{
		{rules.Critical, "critical", "9.5", "error"},
		{rules.High, "high", "8.0", "error"},
		{rules.Medium, "medium", "5.5", "warning"},
		{rules.Low, "low", "2.0", "note"},
	} {
		if tc.s.String() != tc.word || tc.s.SecuritySeverity() != tc.ss || tc.s.Level() != tc.lv {
			t.Errorf("%v: %s %s %s", tc.s, tc.s.String(), tc.s.SecuritySeverity(), tc.s.Level())
		}
		if got, err := rules.ParseSeverity(tc.word); err != nil || got != tc.s {
			t.Errorf("ParseSeverity(%q) = %v, %v", tc.word, got, err)
		}
	}
	if _, err := rules.ParseSeverity("bogus"); err == nil {
		t.Error("ParseSeverity accepted bogus")
	}
}
