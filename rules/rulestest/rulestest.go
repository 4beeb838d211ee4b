// Package rulestest runs a rule over YAML fixture templates and checks its
// findings against `# want "regexp"` comments, in the manner of
// golang.org/x/tools/go/analysis/analysistest.
//
// A comment `# want "IAM012"` (or a back-quoted regexp) on a line expects one
// finding reported on that line whose "RULEID: message" matches the regexp;
// several quoted regexps expect several findings. Lines without a want must
// carry no finding: unexpected and missing findings both fail the test. A
// comment `# want-severity high` on the same line additionally checks the
// severity of the findings on that line.
package rulestest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

var wantRe = regexp.MustCompile(`#\s*want\s+(.*)$`)
var sevRe = regexp.MustCompile(`#\s*want-severity\s+(\w+)`)

type expectation struct {
	line     int
	patterns []*regexp.Regexp
	severity string
}

// Run runs rule over every fixture matching glob (relative to the test's
// package directory) and reports mismatches. It returns the findings for
// further assertions.
func Run(t *testing.T, rule *rules.Rule, glob string) []*rules.Finding {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no fixtures match %s", glob)
	}
	var all []*rules.Finding
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			all = append(all, RunFile(t, rule, f)...)
		})
	}
	return all
}

// RunFile checks one fixture.
func RunFile(t *testing.T, rule *rules.Rule, file string) []*rules.Finding {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res := loader.Load([]string{file}, loader.Options{})
	for _, e := range res.Errors {
		t.Fatalf("load: %v", e)
	}
	findings, ierrs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{rule}, rules.Options{})
	for _, e := range ierrs {
		t.Fatalf("%v\n%s", e, e.Trace)
	}
	wants, err := parseWants(string(src))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	byLine := map[int][]*rules.Finding{}
	for _, f := range findings {
		byLine[f.Template.StartLine] = append(byLine[f.Template.StartLine], f)
	}
	lines := map[int]bool{}
	for l := range byLine {
		lines[l] = true
	}
	for l := range wants {
		lines[l] = true
	}
	var sorted []int
	for l := range lines {
		sorted = append(sorted, l)
	}
	sort.Ints(sorted)
	for _, l := range sorted {
		got, want := byLine[l], wants[l]
		unmatched := append([]*rules.Finding(nil), got...)
		if want != nil {
			for _, re := range want.patterns {
				found := -1
				for i, f := range unmatched {
					if re.MatchString(f.Rule.ID() + ": " + f.Message) {
						found = i
						break
					}
				}
				if found < 0 {
					t.Errorf("%s:%d: no finding matching %q", file, l, re)
					continue
				}
				if want.severity != "" && unmatched[found].Severity.String() != want.severity {
					t.Errorf("%s:%d: finding %q has severity %s, want %s", file, l, unmatched[found].Message, unmatched[found].Severity, want.severity)
				}
				unmatched = append(unmatched[:found], unmatched[found+1:]...)
			}
		}
		for _, f := range unmatched {
			t.Errorf("%s:%d: unexpected finding %s: %s", file, l, f.Rule.ID(), f.Message)
		}
	}
	return findings
}

func parseWants(src string) (map[int]*expectation, error) {
	out := map[int]*expectation{}
	for i, line := range strings.Split(src, "\n") {
		m := wantRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		e := &expectation{line: i + 1}
		rest := strings.TrimSpace(m[1])
		if sm := sevRe.FindStringSubmatch(line); sm != nil {
			e.severity = sm[1]
			rest = strings.TrimSpace(sevRe.ReplaceAllString(rest, ""))
		}
		for rest != "" {
			var pat string
			switch rest[0] {
			case '"':
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return nil, fmt.Errorf("line %d: bad want %q: %v", i+1, rest, err)
				}
				pat, _ = strconv.Unquote(q)
				rest = strings.TrimSpace(rest[len(q):])
			case '`':
				j := strings.IndexByte(rest[1:], '`')
				if j < 0 {
					return nil, fmt.Errorf("line %d: unterminated `", i+1)
				}
				pat = rest[1 : j+1]
				rest = strings.TrimSpace(rest[j+2:])
			default:
				return nil, fmt.Errorf("line %d: want expects quoted regexps, got %q", i+1, rest)
			}
			re, err := regexp.Compile(pat)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			e.patterns = append(e.patterns, re)
		}
		out[i+1] = e
	}
	return out, nil
}

// Corpus runs rule over every app of the repository's corpus
// (testdata/corpus/<app>/cdk.out, real cdk synth output) and checks its
// findings, as "severity LogicalID" strings, against want[app]; an app
// missing from want must have no finding. corpusDir is the corpus
// directory relative to the test's package.
func Corpus(t *testing.T, rule *rules.Rule, corpusDir string, want map[string][]string) {
	t.Helper()
	apps, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	for _, app := range apps {
		if !app.IsDir() {
			continue
		}
		t.Run(app.Name(), func(t *testing.T) {
			res := loader.Load([]string{filepath.Join(corpusDir, app.Name(), "cdk.out")}, loader.Options{})
			for _, e := range res.Errors {
				t.Fatalf("load: %v", e)
			}
			fs, ierrs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{rule}, rules.Options{})
			for _, e := range ierrs {
				t.Fatal(e)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Severity.String()+" "+f.LogicalID)
			}
			sort.Strings(got)
			exp := append([]string(nil), want[app.Name()]...)
			sort.Strings(exp)
			if strings.Join(got, "\n") != strings.Join(exp, "\n") {
				for _, f := range fs {
					t.Logf("%s %s: %s", f.Severity, f.LogicalID, f.Message)
				}
				t.Errorf("findings = %q, want %q", got, exp)
			}
		})
	}
}
