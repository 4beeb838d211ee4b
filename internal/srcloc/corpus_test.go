package srcloc

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// corpusRepo lays out a corpus app as its GitHub repository would be:
// a git repository named after the app with app.js tracked and cdk.out
// untracked (git-ignored).
func corpusRepo(t *testing.T, app string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	src := filepath.Join("..", "..", "testdata", "corpus", app)
	if _, err := os.Stat(filepath.Join(src, "cdk.out", "manifest.json")); err != nil {
		t.Skipf("corpus app %s not present: %v", app, err)
	}
	repo := copyTree(t, src, app)
	writeFile(t, filepath.Join(repo, ".gitignore"), "cdk.out/\n")
	git(t, repo, "init", "-q")
	git(t, repo, "add", "app.js", ".gitignore")
	return repo
}

// TestCorpusTrustPolicies is issue 4's acceptance check: on
// e-trust-policies laid out as on a GitHub-hosted runner, at least 90 % of
// the SARIF results point at app.js, each on a non-blank line where the
// construct is created.
func TestCorpusTrustPolicies(t *testing.T) {
	const app = "e-trust-policies"
	repo := corpusRepo(t, app)
	tracked, err := TrackedFiles(repo)
	if err != nil || tracked == nil {
		t.Fatalf("TrackedFiles: %v, %v", tracked != nil, err)
	}
	if !tracked("app.js") || tracked("cdk.out/manifest.json") || tracked("cdk.out/TrustPolicies.template.json") {
		t.Fatal("tracked set is not app.js without cdk.out")
	}
	res := loader.Load([]string{filepath.Join(repo, "cdk.out")}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("load errors: %v", res.Errors[0])
	}
	findings, ierrs := rules.Run(res.Fset, res.Stacks, rules.All(), rules.Options{})
	if len(ierrs) > 0 {
		t.Fatalf("rule errors: %v", ierrs[0])
	}
	if len(findings) < 10 {
		t.Fatalf("only %d findings", len(findings))
	}
	notes := Resolve(findings, res.Stacks, Options{
		RepoRoot: repo,
		Tracked:  tracked,
		PathMap:  map[string]string{"/home/runner/work/" + app + "/" + app: repo},
	})
	if len(notes) != 0 {
		t.Errorf("notes = %v", notes)
	}
	src, err := os.ReadFile(filepath.Join(repo, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	appJS := filepath.Join(repo, "app.js")
	onApp := 0
	for _, f := range findings {
		if f.Source == nil || f.Source.Path != appJS || f.LocationSource != ModeSource {
			t.Logf("not on app.js: %s %s (%s)", f.Rule.ID(), f.ConstructPath, where(repo, f))
			continue
		}
		l := f.Source.StartLine
		if l < 1 || l > len(lines) || strings.TrimSpace(lines[l-1]) == "" {
			t.Errorf("%s %s: line %d is blank or out of range", f.Rule.ID(), f.ConstructPath, l)
			continue
		}
		onApp++
	}
	if onApp*10 < len(findings)*9 {
		t.Errorf("%d of %d findings point at app.js, want at least 90%%", onApp, len(findings))
	}

	// Spot checks against the creation sites the traces record
	// (TrustPolicies.metadata.json) and the source itself.
	for _, tc := range []struct {
		path string
		line int
		text string
	}{
		{"TrustPolicies/AccountOpsRole/Resource", 18, "new iam.Role(this, 'AccountOpsRole'"},
		{"TrustPolicies/PublicAssumableRole/Resource", 25, "new iam.Role(this, 'PublicAssumableRole'"},
		{"TrustPolicies/StarArnRole/Resource", 29, "new iam.Role(this, 'StarArnRole'"},
	} {
		found := false
		for _, f := range findings {
			if f.ConstructPath != tc.path {
				continue
			}
			found = true
			if f.Source == nil || f.Source.StartLine != tc.line || f.Source.StartColumn != 5 {
				t.Errorf("%s: %s, want app.js:%d:5", tc.path, where(repo, f), tc.line)
				continue
			}
			if !strings.Contains(lines[tc.line-1], tc.text) {
				t.Errorf("app.js:%d is %q, not the creation of %s", tc.line, lines[tc.line-1], tc.path)
			}
			if f.Source.EndColumn != len(lines[tc.line-1])+1 {
				t.Errorf("%s: endColumn %d, want %d", tc.path, f.Source.EndColumn, len(lines[tc.line-1])+1)
			}
			// The parent frame: the stack's creation, new TrustStack(…) on line 139.
			if len(f.Frames) != 1 || f.Frames[0].StartLine != 139 || f.Frames[0].Message != "creates TrustStack (construct trace)" {
				t.Errorf("%s: frames %+v", tc.path, f.Frames)
			}
		}
		if !found {
			t.Errorf("no finding on %s", tc.path)
		}
	}

	// The same through the SARIF writer: locations[0] is app.js, the
	// template is related location 1, and every result says "source".
	in := &report.Input{
		Tool:     report.Tool{Name: "iamvet", Version: "0.0.0"},
		Rules:    rules.All(),
		Findings: findings,
		RepoRoot: repo,
	}
	var buf bytes.Buffer
	if err := report.WriteSARIF(&buf, in); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
				Properties map[string]any
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	results := log.Runs[0].Results
	n := 0
	for _, r := range results {
		if r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "app.js" && r.Properties["iamvet/locationSource"] == "source" {
			n++
		}
		if u := r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI; u != "cdk.out/TrustPolicies.template.json" {
			t.Errorf("related location 1 = %s", u)
		}
	}
	if len(results) == 0 || n*10 < len(results)*9 {
		t.Errorf("%d of %d SARIF results point at app.js", n, len(results))
	}
}

// TestCorpusAllApps: every corpus app, as its repository, maps at least
// 90 % of its findings to app.js.
func TestCorpusAllApps(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "..", "testdata", "corpus"))
	if err != nil {
		t.Skip(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		app := e.Name()
		t.Run(app, func(t *testing.T) {
			repo := corpusRepo(t, app)
			tracked, err := TrackedFiles(repo)
			if err != nil {
				t.Fatal(err)
			}
			res := loader.Load([]string{filepath.Join(repo, "cdk.out")}, loader.Options{})
			findings, _ := rules.Run(res.Fset, res.Stacks, rules.All(), rules.Options{})
			Resolve(findings, res.Stacks, Options{RepoRoot: repo, Tracked: tracked, PathMap: map[string]string{"/home/runner/work/" + app + "/" + app: repo}})
			n := 0
			for _, f := range findings {
				if f.LocationSource == ModeSource && filepath.Base(f.Source.Path) == "app.js" {
					n++
				}
			}
			if n*10 < len(findings)*9 {
				t.Errorf("%d of %d findings on app.js", n, len(findings))
			}
		})
	}
}

func TestRepoRootAndTrackedFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(base, "repo")
	writeFile(t, filepath.Join(repo, "lib", "a b.ts"), "x\n")
	writeFile(t, filepath.Join(repo, "lib", "untracked.ts"), "x\n")
	writeFile(t, filepath.Join(repo, "sub", "dir", "f.txt"), "x\n")
	git(t, repo, "init", "-q")
	git(t, repo, "add", "lib/a b.ts", "sub/dir/f.txt")

	tracked, err := TrackedFiles(repo)
	if err != nil || tracked == nil {
		t.Fatalf("TrackedFiles = %v, %v", tracked != nil, err)
	}
	if !tracked("lib/a b.ts") || !tracked(filepath.Join("sub", "dir", "f.txt")) || tracked("lib/untracked.ts") || tracked("lib") {
		t.Error("tracked set wrong")
	}
	// A subdirectory as the root: paths relative to it.
	sub, err := TrackedFiles(filepath.Join(repo, "sub"))
	if err != nil || sub == nil || !sub("dir/f.txt") || sub("lib/a b.ts") {
		t.Errorf("TrackedFiles(sub): %v", err)
	}
	// Not a repository: no func, no error.
	plain := filepath.Join(base, "plain")
	writeFile(t, filepath.Join(plain, "x"), "")
	t.Setenv("GIT_CEILING_DIRECTORIES", base)
	if f, err := TrackedFiles(plain); f != nil || err != nil {
		t.Errorf("TrackedFiles(non-repo) = %v, %v", f != nil, err)
	}

	t.Chdir(filepath.Join(repo, "sub", "dir"))
	if root, warn := RepoRoot(""); root != repo || warn != "" {
		t.Errorf("RepoRoot() = %q, %q; want %q", root, warn, repo)
	}
	if root, warn := RepoRoot("../.."); root != repo || warn != "" {
		t.Errorf("RepoRoot(../..) = %q, %q", root, warn)
	}
	if _, warn := RepoRoot("missing"); warn == "" {
		t.Error("no warning for a missing --repo-root")
	}
	t.Chdir(plain)
	if root, warn := RepoRoot(""); root != plain || !strings.Contains(warn, "not in a git repository") {
		t.Errorf("RepoRoot() outside git = %q, %q", root, warn)
	}
}
