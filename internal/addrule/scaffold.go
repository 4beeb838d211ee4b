package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	dirRe  = regexp.MustCompile(`^iam([0-9]{3})$`)
	idRe   = regexp.MustCompile(`IAM([0-9]{3})`)
)

var severities = map[string]string{"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}

// NextID returns the next free rule id under root: one above the highest id
// of a rules/iamNNN directory or of rules/all/retired.txt.
func NextID(root string) (string, error) {
	max := 0
	entries, err := os.ReadDir(filepath.Join(root, "rules"))
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if m := dirRe.FindStringSubmatch(e.Name()); m != nil && e.IsDir() {
			n, _ := strconv.Atoi(m[1])
			max = maxInt(max, n)
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "rules", "all", "retired.txt")); err == nil {
		for _, m := range idRe.FindAllStringSubmatch(string(b), -1) {
			n, _ := strconv.Atoi(m[1])
			max = maxInt(max, n)
		}
	}
	if max >= 999 {
		return "", errors.New("no rule ids left")
	}
	return fmt.Sprintf("IAM%03d", max+1), nil
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Scaffold writes a new rule package and its registry line.
func Scaffold(root, slug, title, severity string) (string, []string, error) {
	if !slugRe.MatchString(slug) {
		return "", nil, fmt.Errorf("slug %q is not kebab-case", slug)
	}
	sev, ok := severities[severity]
	if !ok {
		return "", nil, fmt.Errorf("unknown severity %q", severity)
	}
	if title == "" {
		title = strings.ReplaceAll(slug, "-", " ")
	}
	id, err := NextID(root)
	if err != nil {
		return "", nil, err
	}
	pkg := strings.ToLower(id)
	dir := filepath.Join(root, "rules", pkg)
	if err := os.MkdirAll(filepath.Join(dir, "testdata"), 0o755); err != nil {
		return "", nil, err
	}
	files := map[string]string{
		filepath.Join(dir, pkg+".go"):                ruleFile(id, pkg, slug, title, sev),
		filepath.Join(dir, pkg+"_test.go"):           testFile(pkg),
		filepath.Join(dir, "testdata", slug+".yaml"): fixtureFile(id),
	}
	var written []string
	for path, content := range files {
		if _, err := os.Stat(path); err == nil {
			return "", nil, fmt.Errorf("%s exists", path)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return "", nil, err
		}
		written = append(written, path)
	}
	all := filepath.Join(root, "rules", "all", "all.go")
	if err := addImport(all, "github.com/iamvet/iamvet/rules/"+pkg); err != nil {
		return "", nil, err
	}
	written = append(written, all)
	sort.Strings(written)
	return id, written, nil
}

// addImport inserts a blank import into the registry's import block, keeping
// the rule imports sorted.
func addImport(path, importPath string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	line := "\t_ \"" + importPath + "\""
	first, last := -1, -1
	for i, l := range lines {
		if strings.HasPrefix(l, "\t_ \"github.com/iamvet/iamvet/rules/iam") {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return fmt.Errorf("%s: no rule imports found", path)
	}
	block := append([]string(nil), lines[first:last+1]...)
	block = append(block, line)
	sort.Strings(block)
	out := append(append(append([]string(nil), lines[:first]...), block...), lines[last+1:]...)
	return os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644)
}

func ruleFile(id, pkg, slug, title, sev string) string {
	return fmt.Sprintf(`// Package %[2]s defines %[1]s (%[3]s).
package %[2]s

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `+"`"+`%[4]s

TODO: why this matters, tied to AWS's IAM best practices.`+"`"+`

// Rule is %[1]s.
var Rule = rules.Register(&rules.Rule{
	Slug:     %[3]q,
	Severity: rules.%[5]s,
	Since:    "TODO",
	Fix:      "TODO: how to fix.",
	Bad:      "TODO: CDK (TypeScript) that is flagged",
	Good:     "TODO: CDK (TypeScript) that is preferred",
	Analyzer: &analysis.Analyzer{
		Name:     %[1]q,
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		_ = st // TODO: report with rules.Report(pass, rules.Diag{At: …, Statement: st, Message: …})
	}
	return nil, nil
}
`, id, pkg, slug, title, sev)
}

func testFile(pkg string) string {
	return fmt.Sprintf(`package %[1]s_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/%[1]s"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, %[1]s.Rule, "testdata/*.yaml") }
`, pkg)
}

func fixtureFile(id string) string {
	return fmt.Sprintf(`# Fixture for %[1]s: mark each offending line with # want "%[1]s".
Resources:
  Example:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: example
      Roles: [example]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::bucket/*
`, id)
}
