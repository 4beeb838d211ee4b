// Package docgen generates iamvet's rule documentation from rule metadata:
// the CloudFormation excerpts taken from each rule's positive fixture
// (rules/all/snippets_gen.go), docs/rules/<ID>.md and the docs/rules.md
// index. A test fails when the committed files are stale; regenerate with
// `go test ./internal/docgen -update`.
package docgen

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var wantComment = regexp.MustCompile(`\s*#\s*want(-severity)?\b.*$`)

// Snippet extracts, from a YAML fixture, the resource block (the entry under
// Resources or Outputs at two-space indentation) that holds the first
// `# want` line, with want comments removed and other comments kept. It
// returns "" when the fixture has no want line.
func Snippet(src string) string {
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	want := -1
	for i, l := range lines {
		if strings.Contains(l, "# want ") || strings.Contains(l, "# want\t") {
			want = i
			break
		}
	}
	if want < 0 {
		return ""
	}
	// The block starts at the nearest line above with exactly two spaces of
	// indentation (a logical ID) and ends before the next such line or a
	// top-level key.
	start := want
	for start > 0 && indentOf(lines[start]) != 2 {
		start--
	}
	end := want + 1
	for end < len(lines) {
		l := lines[end]
		if strings.TrimSpace(l) != "" && indentOf(l) <= 2 {
			break
		}
		end++
	}
	section := ""
	for i := start; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) != "" && indentOf(lines[i]) == 0 && !strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
			section = strings.TrimRight(lines[i], " ")
			break
		}
	}
	var b strings.Builder
	if section != "" {
		b.WriteString(section + "\n")
	}
	for _, l := range lines[start:end] {
		l = wantComment.ReplaceAllString(l, "")
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func indentOf(l string) int {
	return len(l) - len(strings.TrimLeft(l, " "))
}

// FixtureSnippet returns the snippet of the first fixture (in name order)
// of rules/<id lower>/testdata that has a want line.
func FixtureSnippet(rulesDir, id string) string {
	files, _ := filepath.Glob(filepath.Join(rulesDir, strings.ToLower(id), "testdata", "*.yaml"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if s := Snippet(string(b)); s != "" {
			return s
		}
	}
	return ""
}
