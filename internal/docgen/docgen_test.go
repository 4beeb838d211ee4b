package docgen_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/docgen"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
)

var update = flag.Bool("update", false, "regenerate docs/ and rules/all/snippets_gen.go")

const root = "../.."

// TestGenerated fails when the committed generated files are stale: the
// rule pages, the index and the CloudFormation excerpts all come from the
// rules' metadata and fixtures.
func TestGenerated(t *testing.T) {
	all := rules.All()
	want := map[string]string{
		filepath.Join(root, "rules", "all", "snippets_gen.go"): docgen.SnippetsFile(filepath.Join(root, "rules"), all),
		filepath.Join(root, "docs", "rules.md"):                docgen.Index(all),
	}
	for _, r := range all {
		// Excerpts are set by snippets_gen.go at init; when it is stale
		// the page is compared with the fresh excerpt.
		r.CFN = docgen.FixtureSnippet(filepath.Join(root, "rules"), r.ID())
		want[filepath.Join(root, "docs", "rules", r.ID()+".md")] = docgen.Page(r, report.RuleMarkdown)
	}
	if *update {
		os.MkdirAll(filepath.Join(root, "docs", "rules"), 0o755)
		for path, content := range want {
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for path, content := range want {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Errorf("%s is stale or missing: run go test ./internal/docgen -update", path)
		}
	}
	// No page for a rule that no longer exists.
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "rules", "*.md"))
	for _, p := range pages {
		if _, ok := want[p]; !ok {
			t.Errorf("%s documents no registered rule", p)
		}
	}
}

func TestEveryRuleHasAnExcerpt(t *testing.T) {
	for _, r := range rules.All() {
		if docgen.FixtureSnippet(filepath.Join(root, "rules"), r.ID()) == "" && r.ID() != "IAM065" {
			t.Errorf("%s: no positive fixture to show in the docs", r.ID())
		}
	}
}

func TestSnippet(t *testing.T) {
	src := "Resources:\n  Safe:\n    Type: AWS::IAM::Role\n  Bad:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: \"*\"  # want \"IAM011\"\n            Resource: \"*\"\n  Next:\n    Type: X\n"
	got := docgen.Snippet(src)
	want := "Resources:\n  Bad:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: \"*\"\n            Resource: \"*\"\n"
	if got != want {
		t.Errorf("Snippet =\n%s\nwant\n%s", got, want)
	}
	if docgen.Snippet("Resources: {}\n") != "" {
		t.Error("a fixture without want has no snippet")
	}
	if strings.Contains(docgen.Snippet(src), "want") {
		t.Error("want comments leak into the docs")
	}
}
