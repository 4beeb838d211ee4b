package iam065_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/suppress"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
	"github.com/iamvet/iamvet/rules/iam065"
)

// IAM065's findings come from the suppression stage, so rulestest (which
// checks what a rule's analyzer reports) cannot check them: this test runs
// every rule and suppress.Apply on each fixture and checks the IAM065
// findings against the fixture's `# want` comments, the same way.
func Test(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runFile(t, file) })
	}
}

var wantRe = regexp.MustCompile("#\\s*want\\s+(\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`)")

func runFile(t *testing.T, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	wants := map[int]*regexp.Regexp{}
	for i, line := range strings.Split(string(src), "\n") {
		m := wantRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		pat := m[1][1 : len(m[1])-1]
		if m[1][0] == '"' {
			pat, _ = strconv.Unquote(m[1])
		}
		wants[i+1] = regexp.MustCompile(pat)
	}
	res := loader.Load([]string{file}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	all := rules.All()
	if rules.Lookup("IAM065") == nil {
		t.Fatal("IAM065 is not registered")
	}
	findings, errs := rules.Run(res.Fset, res.Stacks, all, rules.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, f := range findings {
		if f.Rule == iam065.Rule {
			t.Errorf("IAM065's analyzer reported %q: its findings come from the suppression stage", f.Message)
		}
	}
	_, suppressed, extra, warnings := suppress.Apply(findings, res.Stacks, suppress.Options{})
	if len(warnings) > 0 {
		t.Errorf("warnings: %q", warnings)
	}
	byLine := map[int]*rules.Finding{}
	for _, f := range extra {
		if f.Rule != iam065.Rule {
			t.Errorf("extra finding of %s", f.Rule.ID())
		}
		if f.Severity != rules.Medium {
			t.Errorf("line %d: severity %s, want medium", f.Template.StartLine, f.Severity)
		}
		if prev := byLine[f.Template.StartLine]; prev != nil {
			t.Errorf("line %d: two IAM065 findings", f.Template.StartLine)
		}
		byLine[f.Template.StartLine] = f
	}
	var lines []int
	for l := range byLine {
		lines = append(lines, l)
	}
	for l := range wants {
		if byLine[l] == nil {
			lines = append(lines, l)
		}
	}
	sort.Ints(lines)
	for _, l := range lines {
		f, re := byLine[l], wants[l]
		switch {
		case re == nil:
			t.Errorf("%s:%d: unexpected finding IAM065: %s", file, l, f.Message)
		case f == nil:
			t.Errorf("%s:%d: no IAM065 finding matching %q", file, l, re)
		case !re.MatchString("IAM065: " + f.Message):
			t.Errorf("%s:%d: IAM065: %s\ndoes not match %q", file, l, f.Message, re)
		}
	}
	// A suppressed IAM065 finding is not reported but listed as suppressed.
	if strings.Contains(string(src), "AcceptedRole") {
		found := false
		for _, f := range suppressed {
			if f.Rule == iam065.Rule && f.LogicalID == "AcceptedRole" && f.Suppressed.ID == "IAM065" {
				found = true
			}
		}
		if !found {
			t.Error("the IAM065 finding on AcceptedRole must be suppressed by its IAM065 entry")
		}
	}
}

func TestAnalyzerReportsNothing(t *testing.T) {
	res := loader.Load([]string{"testdata/broad.yaml"}, loader.Options{})
	fs, errs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{iam065.Rule}, rules.Options{})
	if len(fs) != 0 || len(errs) != 0 {
		t.Errorf("IAM065 alone: %d findings, %v", len(fs), errs)
	}
}
