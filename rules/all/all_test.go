package all_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
)

var (
	idRe   = regexp.MustCompile(`^IAM[0-9]{3}$`)
	slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// lowerStart reports whether a title starts in lower case (an acronym such
// as OIDC or SAML may start it).
func lowerStart(title string) bool {
	first, _, _ := strings.Cut(title, " ")
	return strings.ToLower(first[:1]) == first[:1] || strings.ToUpper(first) == first
}

// TestRegistry checks the registry discipline: ids and slugs unique and well
// formed, every rule documented, with severity, Since, URL and fixtures, and
// analysis.Validate passing.
func TestRegistry(t *testing.T) {
	all := rules.All()
	if len(all) == 0 {
		t.Fatal("no rules registered")
	}
	if err := analysis.Validate(rules.Analyzers(all)); err != nil {
		t.Fatalf("analysis.Validate: %v", err)
	}
	slugs := map[string]string{}
	for _, r := range all {
		id := r.ID()
		if !idRe.MatchString(id) {
			t.Errorf("%s: id must be IAM + three digits", id)
		}
		if !slugRe.MatchString(r.Slug) {
			t.Errorf("%s: slug %q is not kebab-case", id, r.Slug)
		}
		if prev, dup := slugs[r.Slug]; dup {
			t.Errorf("%s: slug %q already used by %s", id, r.Slug, prev)
		}
		slugs[r.Slug] = id
		title := r.Title()
		if title == "" || r.Text() == "" {
			t.Errorf("%s: Doc needs a title line and a text", id)
		}
		if n := utf8.RuneCountInString(title); n > 60 || strings.HasSuffix(title, ".") || !lowerStart(title) {
			t.Errorf("%s: title %q must be lowercase, at most 60 letters, without a final period", id, title)
		}
		if r.Severity < rules.Low || r.Severity > rules.Critical {
			t.Errorf("%s: no severity", id)
		}
		if r.Since == "" || r.Fix == "" {
			t.Errorf("%s: Since and Fix are required", id)
		}
		if r.Analyzer.URL != rules.DocURL(id) {
			t.Errorf("%s: URL %q is not derived from the id", id, r.Analyzer.URL)
		}
		if r.Name() == "" {
			t.Errorf("%s: no SARIF name", id)
		}
		fixtures, _ := filepath.Glob(filepath.Join("..", strings.ToLower(id), "testdata", "*.yaml"))
		if len(fixtures) == 0 {
			t.Errorf("%s: no fixtures in rules/%s/testdata", id, strings.ToLower(id))
		}
		hasWant := false
		for _, f := range fixtures {
			b, _ := os.ReadFile(f)
			if strings.Contains(string(b), "# want ") {
				hasWant = true
			}
		}
		if len(fixtures) > 0 && !hasWant {
			t.Errorf("%s: fixtures have no positive case (# want)", id)
		}
	}
}
