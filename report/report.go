// Package report writes iamvet's findings: JSON (schemaVersion 1), SARIF
// 2.1.0 for GitHub code scanning, and grouped, coloured terminal text.
//
// The package knows findings and rule metadata, never templates: every
// writer takes an Input built by the command, which has already filtered
// (minimum severity, suppressions) and sorted the findings. The writers do
// not re-sort; the same Input always produces the same bytes.
//
// The contracts are INTEGRATION.md S-1 (SARIF), S-2 (fingerprints), S-3.3
// and S-3.4 (related locations, message shape) and S-4 (JSON, exit codes).
package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-isatty"

	"github.com/iamvet/iamvet/rules"
)

// Tool identifies iamvet in the outputs.
type Tool struct {
	Name string // "iamvet"
	// Version is the semantic version without a leading v ("0.1.0").
	Version        string
	InformationURI string
}

// Error is a load error: a file that could not be read or parsed.
type Error struct {
	File    string // as the user would recognise it
	Line    int    // 1-based, 0 if unknown
	Column  int    // 1-based, 0 if unknown
	Message string
}

// String renders the error as file:line:col: message.
func (e Error) String() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// DefaultMaxResults is the SARIF result cap when Input.MaxResults is 0:
// GitHub keeps only the first 5,000 results of a run anyway.
const DefaultMaxResults = 5000

// hardMaxResults is GitHub's per-run limit: more results reject the upload.
const hardMaxResults = 25000

// Input is everything a writer needs.
type Input struct {
	Tool Tool
	// Rules are every enabled rule; SARIF describes all of them, sorted by
	// id, before any result.
	Rules []*rules.Rule
	// Findings are the reported findings, already filtered (minimum
	// severity, suppressions) and sorted (rules.SortFindings).
	Findings []*rules.Finding
	// Suppressed findings are counted in summaries and listed only when
	// IncludeSuppressed is set (after Findings, in their own order).
	Suppressed []*rules.Finding
	// Stacks are every analyzed template.
	Stacks []rules.StackRef
	// Errors are load errors.
	Errors []Error
	// FailOn is the --fail-on threshold; 0 means none.
	FailOn rules.Severity
	// RepoRoot is the absolute repository root: SARIF URIs and terminal
	// paths are relative to it (falling back to the working directory).
	RepoRoot string
	// Category sets SARIF automationDetails.id to Category+"/" when non-empty.
	Category string
	// Notifications are non-fatal notes from the tool ("no construct traces;
	// run cdk synth --debug").
	Notifications     []string
	IncludeSuppressed bool
	// MaxResults caps the SARIF results (0 = DefaultMaxResults).
	MaxResults int
	// CodeFlows adds to each SARIF result located in source one code flow:
	// the construct creation trace from the app entry to the construct
	// (--code-flows).
	CodeFlows bool
}

// Blocking returns the number of reported findings at or above FailOn (0
// when FailOn is none). Suppressed findings never block.
func Blocking(in *Input) int {
	if in.FailOn <= 0 {
		return 0
	}
	n := 0
	for _, f := range in.Findings {
		if f.Severity >= in.FailOn {
			n++
		}
	}
	return n
}

// listed returns the findings a writer emits: the reported ones, then the
// suppressed ones when IncludeSuppressed is set.
func listed(in *Input) []*rules.Finding {
	if !in.IncludeSuppressed || len(in.Suppressed) == 0 {
		return in.Findings
	}
	out := make([]*rules.Finding, 0, len(in.Findings)+len(in.Suppressed))
	out = append(out, in.Findings...)
	return append(out, in.Suppressed...)
}

func checkFindings(fs []*rules.Finding) error {
	for i, f := range fs {
		if f == nil || f.Rule == nil || f.Rule.Analyzer == nil {
			return fmt.Errorf("report: finding %d has no rule", i)
		}
	}
	return nil
}

// bySeverity counts findings per severity.
func bySeverity(fs []*rules.Finding) map[rules.Severity]int {
	m := map[rules.Severity]int{}
	for _, f := range fs {
		m[f.Severity]++
	}
	return m
}

// fingerprint returns the finding's fingerprint. A finding built outside
// the driver may lack one: derive a stable value from its identity (never
// from lines, paths or message text, S-2).
func fingerprint(f *rules.Finding) string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	where := f.ConstructPath
	if where == "" {
		where = "logical:" + f.LogicalID
	}
	key := strings.Join([]string{f.Rule.ID(), f.Stack.Assembly, f.Stack.ArtifactID, where, f.JSONPointer, f.Evidence}, "\x1f")
	sum := sha256.Sum256([]byte(key))
	return "v1:" + hex.EncodeToString(sum[:])[:32]
}

// templateLoc returns the finding's template location, with the stack's
// template path when the location has none.
func templateLoc(f *rules.Finding) rules.Location {
	l := f.Template
	if l.Path == "" {
		l.Path = f.Stack.TemplatePath
	}
	return l
}

// relatedLocs returns the finding's related locations; one without a path
// is in the finding's template.
func relatedLocs(f *rules.Finding) []rules.Location {
	out := make([]rules.Location, len(f.Related))
	for i, l := range f.Related {
		if l.Path == "" {
			l.Path = templateLoc(f).Path
		}
		out[i] = l
	}
	return out
}

func helpURI(r *rules.Rule) string {
	if r.Analyzer.URL != "" {
		return r.Analyzer.URL
	}
	return rules.DocURL(r.ID())
}

func precision(r *rules.Rule) string {
	if r.Precision != "" {
		return r.Precision
	}
	return "high"
}

func stackName(s rules.StackRef) string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return s.ArtifactID
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// sentence capitalizes s and ends it with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	s = capitalize(s)
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// region is a normalized location: 1-based, end never before start, never
// empty (a zero-width region becomes one character wide).
type region struct {
	StartLine, StartColumn, EndLine, EndColumn int
}

func regionOf(l rules.Location) region {
	r := region{l.StartLine, l.StartColumn, l.EndLine, l.EndColumn}
	if r.StartLine < 1 {
		r.StartLine = 1
	}
	if r.StartColumn < 1 {
		r.StartColumn = 1
	}
	if r.EndLine < r.StartLine {
		r.EndLine = r.StartLine
		r.EndColumn = 0
	}
	if r.EndColumn < 1 {
		r.EndColumn = 1
	}
	if r.EndLine == r.StartLine && r.EndColumn <= r.StartColumn {
		r.EndColumn = r.StartColumn + 1
	}
	return r
}

// paths turns absolute paths into the relative, slash-separated paths the
// outputs show. It caches results: findings share a few templates.
type paths struct {
	root, cwd string
	cache     map[string]resolved
}

type resolved struct {
	rel    string
	inRoot bool // rel is relative to the repository root
}

func newPaths(root string) *paths {
	p := &paths{cache: map[string]resolved{}}
	if root != "" {
		p.root = filepath.Clean(root)
	}
	if wd, err := os.Getwd(); err == nil {
		p.cwd = wd
	}
	return p
}

// rel returns path relative to the repository root (inRoot), else to the
// working directory, else a short path naming the file without escaping
// upwards. The result is slash-separated and never starts with "..".
func (p *paths) rel(path string) resolved {
	if path == "" {
		return resolved{}
	}
	if r, ok := p.cache[path]; ok {
		return r
	}
	r := p.resolve(path)
	p.cache[path] = r
	return r
}

func (p *paths) resolve(path string) resolved {
	if !filepath.IsAbs(path) {
		// A relative path is relative to the working directory.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	if p.root != "" {
		if rel, ok := within(p.root, path); ok {
			return resolved{rel: rel, inRoot: true}
		}
		// The root or the path may reach the same file through a symlink.
		if rr, err := filepath.EvalSymlinks(p.root); err == nil {
			if rp, err := filepath.EvalSymlinks(path); err == nil {
				if rel, ok := within(rr, rp); ok {
					return resolved{rel: rel, inRoot: true}
				}
			}
		}
	}
	if p.cwd != "" {
		if rel, ok := within(p.cwd, path); ok {
			return resolved{rel: rel}
		}
	}
	// Outside both: the last two path elements (e.g. cdk.out/X.template.json).
	dir, file := filepath.Split(filepath.Clean(path))
	if parent := filepath.Base(filepath.Clean(dir)); parent != "" && parent != string(filepath.Separator) && parent != "." {
		return resolved{rel: parent + "/" + file}
	}
	return resolved{rel: file}
}

func within(root, path string) (string, bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "." || escapes(rel) {
		return "", false
	}
	return rel, true
}

func escapes(rel string) bool {
	return rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/")
}

// uriEncode percent-encodes a relative slash-separated path per RFC 3986:
// unreserved characters and sub-delimiters stay, everything else (including
// ':' so a first segment never reads as a scheme) becomes %XX.
func uriEncode(rel string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(rel); i++ {
		c := rel[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/',
			c == '!', c == '$', c == '&', c == '\'', c == '(', c == ')',
			c == '*', c == '+', c == ',', c == ';', c == '=', c == '@':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}

// locationSource is the location source of a template location no
// resolver has judged: "template" when the template lies inside the
// repository root, else "generated".
func locationSource(r resolved) string {
	if r.inRoot {
		return "template"
	}
	return "generated"
}

// bestLoc is where a finding points (S-3.2, S-3.5).
type bestLoc struct {
	loc rules.Location
	rel string // relative to the repository root when inRoot
	// source is the iamvet/locationSource value: source, template, app or
	// generated.
	source string
}

// primary returns the finding's resolved Source (internal/srcloc) when it
// lies in the repository, else its template location. A finding nobody
// resolved (LocationSource "") is "template" when its template is in the
// repository, else "generated".
func (p *paths) primary(f *rules.Finding) bestLoc {
	if s := f.Source; s != nil && s.Path != "" {
		if r := p.rel(s.Path); r.inRoot {
			src := f.LocationSource
			if src == "" || src == "generated" {
				src = "source"
			}
			return bestLoc{loc: *s, rel: r.rel, source: src}
		}
	}
	tmpl := templateLoc(f)
	r := p.rel(tmpl.Path)
	src := locationSource(r)
	if f.LocationSource == "generated" {
		src = "generated"
	}
	return bestLoc{loc: tmpl, rel: r.rel, source: src}
}

// PrimaryLocation returns where a finding points, as every writer shows
// it: the path (relative to in.RepoRoot, slash-separated), the region and
// the location source (source, template, app or generated). Annotations
// use it so they agree with SARIF (S-3.5).
func PrimaryLocation(in *Input, f *rules.Finding) (path string, loc rules.Location, source string) {
	pl := newPaths(in.RepoRoot).primary(f)
	return pl.rel, pl.loc, pl.source
}

// frameLocs returns the finding's construct-trace frames that lie in the
// repository (nearest first), with a message each.
func (p *paths) frameLocs(f *rules.Finding) []rules.Location {
	var out []rules.Location
	for _, l := range f.Frames {
		if l.Path == "" || !p.rel(l.Path).inRoot {
			continue
		}
		if l.Message == "" {
			l.Message = "construct trace"
		}
		out = append(out, l)
	}
	return out
}

// WriteFileAtomic writes a file through write into a temporary file in the
// target's directory and renames it over path: readers see the old file or
// the complete new one, never a partial file. On error the target is left
// untouched and the temporary file removed.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := os.FileMode(0o644)
	if st, serr := os.Stat(path); serr == nil && st.Mode().IsRegular() {
		mode = st.Mode().Perm()
	}
	if err = os.Chmod(name, mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ColorEnabled resolves --color for the file output goes to: "always" and
// "never" are what they say; "auto" (or anything else) colours only when NO_COLOR is
// unset or empty, TERM is not "dumb" and f is a terminal. fatih/color
// decides once, from stdout only; this decides per writer.
func ColorEnabled(mode string, f *os.File) bool {
	switch strings.ToLower(strings.TrimSpace(mode)) {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" || f == nil {
		return false
	}
	fd := f.Fd()
	return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)
}
