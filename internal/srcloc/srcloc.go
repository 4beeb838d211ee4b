// Package srcloc decides where a finding points in the user's repository
// (INTEGRATION.md S-3): the CDK source line that created the construct,
// else a committed template, else the CDK app's entry file, else the
// generated template.
//
// Source lines come from the construct creation traces CDK records in the
// cloud assembly metadata (aws:cdk:creationStack, or the trace of
// aws:cdk:logicalId on older versions). The first frame in the user's code
// that names a tracked file under the repository root wins; compiled .js
// frames are mapped through their source maps to the .ts line. The frame is
// where the construct was created: for an AWS::IAM::Policy default policy
// that is the first grant*/addToPolicy call, not the individual statement
// (CDK records no statement-level traces).
//
// The only process this package runs is git (repository root and tracked
// files).
package srcloc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

// Location modes (--location-mode) and the LocationSource values a
// resolved finding carries.
const (
	ModeAuto      = "auto"
	ModeSource    = "source"
	ModeTemplate  = "template"
	ModeApp       = "app"
	ModeGenerated = "generated"
)

// Modes lists the accepted --location-mode values.
var Modes = []string{ModeAuto, ModeSource, ModeTemplate, ModeApp, ModeGenerated}

// ParseMode validates a --location-mode value ("" is auto).
func ParseMode(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ModeAuto, nil
	}
	for _, m := range Modes {
		if s == m {
			return s, nil
		}
	}
	return "", fmt.Errorf("location mode %q: want %s", s, strings.Join(Modes, ", "))
}

// NoTracesNote is the note Resolve returns when no finding could be mapped
// to source because the assembly holds no construct traces.
const NoTracesNote = "no construct traces found; run `cdk synth` with creation traces (default in current CDK; `--debug` on older versions) to map findings to source"

// ForeignTracesNote is the note Resolve returns when the assembly has
// construct traces but none names a tracked file under the repository root
// (synthesized in another checkout, or --repo-root points elsewhere).
const ForeignTracesNote = "construct traces found, but none names a tracked file under the repository root; findings point at the template or app entry instead (check --repo-root, or synthesize in this checkout)"

// maxFrames bounds the parent-construct frames kept per finding (SARIF
// shows 10 related locations; id 1 is the template).
const maxFrames = 9

// Options control Resolve.
type Options struct {
	// RepoRoot is the repository root (absolute); "" is the working directory.
	RepoRoot string
	// Mode is auto (or ""), source, template, app or generated.
	Mode string
	// Fallback lets a forced Mode fall back to the levels below it; without
	// it a forced level that does not apply leaves the generated template.
	Fallback bool
	// Tracked reports whether a slash-separated path relative to RepoRoot is
	// tracked (TrackedFiles); nil means "exists under RepoRoot".
	Tracked func(rel string) bool
	// PathMap rewrites trace path prefixes before anything else, e.g.
	// "/home/runner/work/app/app" → the local checkout, for traces recorded
	// where the synth ran. The longest matching prefix wins; prefixes match
	// whole path elements, with / and \ alike.
	PathMap map[string]string
}

// RepoRoot returns the repository root: the flag when given (made
// absolute), else `git rev-parse --show-toplevel`, else the working
// directory with a warning.
func RepoRoot(flag string) (root string, warning string) {
	if flag != "" {
		abs, err := filepath.Abs(flag)
		if err != nil {
			return flag, fmt.Sprintf("--repo-root %s: %v", flag, err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return abs, fmt.Sprintf("--repo-root %s is not a directory", flag)
		}
		return abs, ""
	}
	cmd := exec.Command("git", "rev-parse", "--show-toplevel")
	if out, err := cmd.Output(); err == nil {
		if top := strings.TrimSpace(string(out)); top != "" {
			return filepath.Clean(filepath.FromSlash(top)), ""
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return ".", "cannot determine the repository root; set --repo-root"
	}
	return wd, "not in a git repository: using the working directory as the repository root (set --repo-root)"
}

// TrackedFiles lists the files git tracks under root with one
// `git ls-files -z` call and returns a membership test taking a
// slash-separated path relative to root. It returns a nil func (and no
// error) when root is not in a git repository or git is not installed.
func TrackedFiles(root string) (func(rel string) bool, error) {
	cmd := exec.Command("git", "-C", root, "ls-files", "-z")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, nil
		}
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(msg, "not a git repository") {
			return nil, nil
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git ls-files: %s", msg)
	}
	set := map[string]bool{}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			set[string(p)] = true
		}
	}
	return func(rel string) bool { return set[filepath.ToSlash(rel)] }, nil
}

// Resolve sets each finding's Source, LocationSource and Frames (S-3.2):
//
//   - source: the construct's creation site from its trace (walking up
//     parent construct paths), Frames the outer frames (parent constructs,
//     nearest first, at most 9);
//   - template: the template itself when it is tracked;
//   - app: the cdk.json "app" entry file, on the first line naming the
//     stack's construct id as a string literal (else line 1), or cdk.json
//     line 1 when there is no entry file;
//   - generated: Source nil.
//
// It returns notes for the user (at most one), e.g. NoTracesNote. The same
// inputs always give the same locations.
//
// Resolve is NewResolver, Resolver.Resolve and Notes.
func Resolve(findings []*rules.Finding, stacks []*loader.Stack, opt Options) (notes []string) {
	NewResolver(opt).Resolve(findings, stacks)
	return Notes(findings, stacks, opt)
}

// Resolver resolves findings handed to it a few at a time (a stack's, as
// the stacks are analyzed), from several goroutines, sharing what it reads
// (source files, source maps, traces) between the calls. The locations are
// those Resolve gives.
type Resolver struct {
	mu     sync.Mutex
	r      *resolver
	levels []string
}

// NewResolver returns a Resolver with options opt.
func NewResolver(opt Options) *Resolver {
	return &Resolver{r: newResolver(opt), levels: levelsFor(opt.Mode, opt.Fallback)}
}

// Resolve sets the Source, LocationSource and Frames of findings of the
// stacks, as Resolve does. It is safe for concurrent use.
func (R *Resolver) Resolve(findings []*rules.Finding, stacks []*loader.Stack) {
	R.mu.Lock()
	defer R.mu.Unlock()
	r := R.r
	byTemplate := map[string]*loader.Stack{}
	byArtifact := map[string]*loader.Stack{}
	for _, s := range stacks {
		if s == nil {
			continue
		}
		if _, dup := byTemplate[s.TemplatePath]; !dup && s.TemplatePath != "" {
			byTemplate[s.TemplatePath] = s
		}
		if k := s.Assembly + "\x00" + s.ArtifactID; byArtifact[k] == nil {
			byArtifact[k] = s
		}
	}
	for _, f := range findings {
		if f == nil {
			continue
		}
		st := byTemplate[f.Stack.TemplatePath]
		if st == nil {
			st = byArtifact[f.Stack.Assembly+"\x00"+f.Stack.ArtifactID]
		}
		f.Source, f.LocationSource, f.Frames = nil, ModeGenerated, nil
	levels:
		for _, l := range R.levels {
			switch l {
			case ModeSource:
				if tr := r.source(f, st); tr != nil {
					loc := tr.loc
					f.Source, f.LocationSource = &loc, ModeSource
					f.Frames = append([]rules.Location(nil), tr.frames...)
					break levels
				}
			case ModeTemplate:
				if loc, ok := r.template(f); ok {
					f.Source, f.LocationSource = &loc, ModeTemplate
					break levels
				}
			case ModeApp:
				if loc := r.app(st); loc != nil {
					l := *loc
					f.Source, f.LocationSource = &l, ModeApp
					break levels
				}
			case ModeGenerated:
				break levels
			}
		}
	}
}

// Notes returns Resolve's notes for findings resolved with options opt:
// when the source level was tried and no finding could be mapped to a
// source line, why (NoTracesNote or ForeignTracesNote).
func Notes(findings []*rules.Finding, stacks []*loader.Stack, opt Options) []string {
	sourceTried := false
	for _, l := range levelsFor(opt.Mode, opt.Fallback) {
		sourceTried = sourceTried || l == ModeSource
	}
	mapped, n := 0, 0
	for _, f := range findings {
		if f == nil {
			continue
		}
		n++
		if f.LocationSource == ModeSource {
			mapped++
		}
	}
	if sourceTried && n > 0 && mapped == 0 {
		if anyTrace(stacks) {
			return []string{ForeignTracesNote}
		}
		return []string{NoTracesNote}
	}
	return nil
}

func levelsFor(mode string, fallback bool) []string {
	all := []string{ModeSource, ModeTemplate, ModeApp, ModeGenerated}
	m, err := ParseMode(mode)
	if err != nil || m == ModeAuto {
		return all
	}
	for i, l := range all {
		if l == m {
			if fallback {
				return all[i:]
			}
			return []string{m, ModeGenerated}
		}
	}
	return all
}

// anyTrace reports whether any construct metadata holds a trace frame with
// a file position (user code or not).
func anyTrace(stacks []*loader.Stack) bool {
	for _, s := range stacks {
		if s == nil {
			continue
		}
		for _, m := range s.Metadata {
			for _, t := range m.Trace {
				if _, ok := ParseFrame(t); ok {
					return true
				}
			}
		}
	}
	return false
}

type resolver struct {
	root, rootReal string
	tracked        func(string) bool
	pathMap        []prefixMap
	files          map[string]*textFile
	maps           map[string]*SourceMap
	traces         map[traceKey]*traceResult
	apps           map[*loader.Stack]*rules.Location
	rels           map[string]relPath // rel's answers
	exists         map[string]bool    // isTracked's answers without Tracked
	frames         map[string]parsedFrame
	javaFiles      []string // slash-separated, relative to root, sorted; nil until needed
	javaDone       bool
}

type prefixMap struct{ from, to string }

type textFile struct {
	lines []string
	ok    bool
}

type traceKey struct {
	meta    *loader.ConstructMeta
	asmRoot string
}

type traceResult struct {
	loc    rules.Location
	frames []rules.Location
}

func newResolver(opt Options) *resolver {
	r := &resolver{
		tracked: opt.Tracked,
		files:   map[string]*textFile{},
		maps:    map[string]*SourceMap{},
		traces:  map[traceKey]*traceResult{},
		apps:    map[*loader.Stack]*rules.Location{},
		rels:    map[string]relPath{},
		exists:  map[string]bool{},
		frames:  map[string]parsedFrame{},
	}
	r.root = opt.RepoRoot
	if r.root == "" {
		r.root, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(r.root); err == nil {
		r.root = abs
	}
	if real, err := filepath.EvalSymlinks(r.root); err == nil && real != r.root {
		r.rootReal = real
	}
	for from, to := range opt.PathMap {
		from = strings.TrimRight(strings.ReplaceAll(from, `\`, "/"), "/")
		if from == "" {
			continue
		}
		r.pathMap = append(r.pathMap, prefixMap{from, to})
	}
	sort.Slice(r.pathMap, func(i, j int) bool {
		a, b := r.pathMap[i], r.pathMap[j]
		if len(a.from) != len(b.from) {
			return len(a.from) > len(b.from)
		}
		return a.from < b.from
	})
	return r
}

// mapPath applies PathMap to a trace path.
func (r *resolver) mapPath(p string) string {
	norm := strings.ReplaceAll(p, `\`, "/")
	for _, m := range r.pathMap {
		if norm == m.from || strings.HasPrefix(norm, m.from+"/") {
			return filepath.Join(m.to, filepath.FromSlash(norm[len(m.from):]))
		}
	}
	return p
}

// rel returns p relative to the repository root (slash-separated) when p
// lies inside it, directly or through symlinks.
//
// The answers are cached per path: findings share a few templates and
// trace files, and EvalSymlinks costs system calls.
func (r *resolver) rel(p string) (string, bool) {
	if c, done := r.rels[p]; done {
		return c.rel, c.ok
	}
	rel, ok := r.resolveRel(p)
	r.rels[p] = relPath{rel, ok}
	return rel, ok
}

// parseFrame is ParseFrame, cached: the frames of the app entry and of the
// stacks' constructors repeat in every trace.
func (r *resolver) parseFrame(e string) (Frame, bool) {
	if c, done := r.frames[e]; done {
		return c.fr, c.ok
	}
	fr, ok := ParseFrame(e)
	r.frames[e] = parsedFrame{fr, ok}
	return fr, ok
}

type parsedFrame struct {
	fr Frame
	ok bool
}

type relPath struct {
	rel string
	ok  bool
}

func (r *resolver) resolveRel(p string) (string, bool) {
	if rel, ok := within(r.root, p); ok {
		return rel, true
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		root := r.rootReal
		if root == "" {
			root = r.root
		}
		if rel, ok := within(root, real); ok {
			return rel, true
		}
	}
	return "", false
}

func within(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// inside reports whether p is dir or inside it.
func inside(dir, p string) bool {
	if dir == "" {
		return false
	}
	if filepath.Clean(dir) == filepath.Clean(p) {
		return true
	}
	_, ok := within(dir, p)
	return ok
}

func (r *resolver) isTracked(rel string) bool {
	if r.tracked != nil {
		return r.tracked(rel)
	}
	if t, done := r.exists[rel]; done {
		return t
	}
	st, err := os.Stat(filepath.Join(r.root, filepath.FromSlash(rel)))
	t := err == nil && st.Mode().IsRegular()
	r.exists[rel] = t
	return t
}

// constructPath returns the construct path a finding's traces are looked
// up by.
func constructPath(f *rules.Finding, st *loader.Stack) string {
	cp := f.ConstructPath
	if cp == "" && f.LogicalID != "" {
		cp = st.ResourcePath(f.LogicalID)
	}
	if cp == "" && f.LogicalID != "" {
		cp = metadataPath(st, f.LogicalID)
	}
	return strings.Trim(cp, "/")
}

// metadataPath finds the construct path recorded for a logical ID that is
// not a resource (an output, a parameter): the shortest such path under the
// stack's construct path, so a nested stack's equal logical ID loses.
func metadataPath(st *loader.Stack, logicalID string) string {
	prefix := ""
	if st.ConstructPath != "" {
		prefix = strings.Trim(st.ConstructPath, "/") + "/"
	}
	best := ""
	for p, m := range st.Metadata {
		if m == nil || m.LogicalID != logicalID || !strings.HasPrefix(p, prefix) {
			continue
		}
		if best == "" || len(p) < len(best) || len(p) == len(best) && p < best {
			best = p
		}
	}
	return best
}

// source finds the creation site of the finding's construct: its own trace
// first, then each parent construct's.
func (r *resolver) source(f *rules.Finding, st *loader.Stack) *traceResult {
	if st == nil || len(st.Metadata) == 0 {
		return nil
	}
	for p := constructPath(f, st); p != ""; p = parentPath(p) {
		m := st.Metadata[p]
		if m == nil || len(m.Trace) == 0 {
			continue
		}
		k := traceKey{m, st.Root}
		tr, done := r.traces[k]
		if !done {
			tr = r.trace(m.Trace, st.Root)
			r.traces[k] = tr
		}
		if tr != nil {
			return tr
		}
	}
	return nil
}

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}

// trace resolves one creation trace: the first user frame naming a tracked
// file is the location, the following ones (callers, i.e. the creation
// sites of the parent constructs) the frames.
func (r *resolver) trace(entries []string, asmRoot string) *traceResult {
	var out *traceResult
	seen := map[string]bool{}
	callee := "" // function of the previous parsed frame: what this frame calls
	for _, e := range entries {
		fr, ok := r.parseFrame(e)
		if !ok {
			callee = elidedCallee(e, callee)
			continue
		}
		prev := callee
		callee = fr.Func
		if IsLibrary(fr) {
			continue
		}
		loc, ok := r.frameLocation(fr, asmRoot)
		if !ok {
			continue
		}
		key := fmt.Sprintf("%s:%d", loc.Path, loc.StartLine)
		if seen[key] {
			continue
		}
		seen[key] = true
		if out == nil {
			out = &traceResult{loc: loc}
			continue
		}
		if len(out.frames) == maxFrames {
			break
		}
		loc.Message = frameMessage(prev)
		out.frames = append(out.frames, loc)
	}
	return out
}

// elidedCallee names the construct of an elided frame
// ("...new Role2 in aws-cdk-lib..." → "new Role"); other markers keep the
// previous callee.
func elidedCallee(e, prev string) string {
	s := strings.Trim(strings.TrimSpace(e), ".")
	if fn, _, ok := strings.Cut(s, " in "); ok && strings.HasPrefix(fn, "new ") {
		return strings.TrimRight(fn, "0123456789")
	}
	return prev
}

// frameMessage describes a caller frame by what it calls.
func frameMessage(callee string) string {
	switch {
	case strings.HasPrefix(callee, "new "):
		return "creates " + strings.TrimSpace(strings.TrimPrefix(callee, "new ")) + " (construct trace)"
	case callee == "" || callee == "<anonymous>" || callee == "__init__" || callee == "<module>":
		return "construct trace"
	case strings.HasSuffix(callee, ".<init>"): // Java constructor
		return "creates " + strings.TrimSuffix(callee, ".<init>") + " (construct trace)"
	case strings.Contains(callee, "..ctor"): // .NET constructor
		name, _, _ := strings.Cut(callee, "..ctor")
		return "creates " + name + " (construct trace)"
	}
	return "calls " + callee + " (construct trace)"
}

// frameLocation turns a user frame into a location in a tracked file, via
// the file's source map for compiled JavaScript.
func (r *resolver) frameLocation(fr Frame, asmRoot string) (rules.Location, bool) {
	p := r.mapPath(fr.File)
	if fr.Class != "" && isJavaFile(p) && !strings.ContainsAny(p, `/\`) {
		p = r.findJava(fr.Class, p)
		if p == "" {
			return rules.Location{}, false
		}
	}
	if !filepath.IsAbs(p) {
		if isDrive(p) || strings.HasPrefix(p, `\\`) {
			return rules.Location{}, false // a Windows path on another system, not mapped
		}
		p = filepath.Join(r.root, p)
	}
	p = filepath.Clean(p)
	if inside(asmRoot, p) {
		return rules.Location{}, false
	}
	rel, ok := r.rel(p)
	if !ok {
		return rules.Location{}, false
	}
	if isJS(p) {
		if sm := r.sourceMap(p); sm != nil {
			if src, line, col, ok := sm.Lookup(fr.Line, fr.Col); ok {
				if loc, ok := r.mapped(src, line, col, asmRoot); ok {
					return loc, true
				}
			}
		}
	}
	if !r.isTracked(rel) {
		return rules.Location{}, false
	}
	return r.lineLocation(p, fr.Line, fr.Col)
}

// mapped accepts a source-mapped original position in a tracked file.
func (r *resolver) mapped(src string, line, col int, asmRoot string) (rules.Location, bool) {
	if strings.Contains(src, "://") {
		return rules.Location{}, false
	}
	p := r.mapPath(src)
	if !filepath.IsAbs(p) {
		return rules.Location{}, false
	}
	p = filepath.Clean(p)
	if inside(asmRoot, p) {
		return rules.Location{}, false
	}
	rel, ok := r.rel(p)
	if !ok || !r.isTracked(rel) {
		return rules.Location{}, false
	}
	return r.lineLocation(p, line, col)
}

func isJS(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".js", ".mjs", ".cjs":
		return true
	}
	return false
}

func (r *resolver) sourceMap(p string) *SourceMap {
	if m, done := r.maps[p]; done {
		return m
	}
	var m *SourceMap
	if tf := r.file(p); tf.ok {
		m = LoadSourceMap(p, []byte(strings.Join(tf.lines, "\n")))
	}
	r.maps[p] = m
	return m
}

// lineLocation is the whole line of a frame: startColumn from the frame
// (else the first non-blank character), endColumn the line's length + 1 in
// UTF-16 units. A line past the end of the file, or a blank one, means the
// file changed since the synth: no location.
func (r *resolver) lineLocation(p string, line, col int) (rules.Location, bool) {
	tf := r.file(p)
	if !tf.ok || line < 1 || line > len(tf.lines) {
		return rules.Location{}, false
	}
	text := tf.lines[line-1]
	if strings.TrimSpace(text) == "" {
		return rules.Location{}, false
	}
	n := utf16Len(text)
	start := col
	if start < 1 || start > n {
		start = firstNonBlank(text)
	}
	return rules.Location{Path: p, StartLine: line, StartColumn: start, EndLine: line, EndColumn: n + 1}, true
}

func (r *resolver) file(p string) *textFile {
	if tf, ok := r.files[p]; ok {
		return tf
	}
	tf := &textFile{}
	r.files[p] = tf
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceFile {
		return tf
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return tf
	}
	s := strings.TrimPrefix(string(data), "\uFEFF")
	tf.lines = strings.Split(s, "\n")
	for i, l := range tf.lines {
		tf.lines[i] = strings.TrimSuffix(l, "\r")
	}
	tf.ok = true
	return tf
}

func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		if c >= 0x10000 && c <= utf8.MaxRune {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// firstNonBlank is the 1-based UTF-16 column of the first character that
// is not a space or tab (1 for a blank line).
func firstNonBlank(s string) int {
	trimmed := strings.TrimLeft(s, " \t")
	if trimmed == "" {
		return 1
	}
	return utf16Len(s[:len(s)-len(trimmed)]) + 1
}

// findJava locates a Java (Kotlin, …) source file named only by its base
// name, through its class's package: com.acme.MyStack + MyStack.java →
// a tracked file ending in com/acme/MyStack.java.
func (r *resolver) findJava(class, base string) string {
	pkg := ""
	if i := strings.LastIndexByte(class, '.'); i > 0 {
		pkg = class[:i]
	}
	suffix := base
	if pkg != "" {
		suffix = strings.ReplaceAll(pkg, ".", "/") + "/" + base
	}
	for _, rel := range r.javaIndex() {
		if (rel == suffix || strings.HasSuffix(rel, "/"+suffix)) && r.isTracked(rel) {
			return filepath.Join(r.root, filepath.FromSlash(rel))
		}
	}
	return ""
}

// maxWalk bounds the files visited when indexing Java sources.
const maxWalk = 200000

func (r *resolver) javaIndex() []string {
	if r.javaDone {
		return r.javaFiles
	}
	r.javaDone = true
	visited := 0
	errStop := errors.New("stop")
	_ = filepath.WalkDir(r.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		visited++
		if visited > maxWalk {
			return errStop
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "cdk.out", ".gradle", ".idea", ".venv", "venv":
				if p != r.root {
					return fs.SkipDir
				}
			}
			return nil
		}
		if isJavaFile(d.Name()) {
			if rel, ok := within(r.root, p); ok {
				r.javaFiles = append(r.javaFiles, rel)
			}
		}
		return nil
	})
	sort.Strings(r.javaFiles)
	return r.javaFiles
}

// template is the finding's template location when the template is tracked.
func (r *resolver) template(f *rules.Finding) (rules.Location, bool) {
	loc := f.Template
	if loc.Path == "" {
		loc.Path = f.Stack.TemplatePath
	}
	if loc.Path == "" {
		return rules.Location{}, false
	}
	rel, ok := r.rel(loc.Path)
	if !ok || !r.isTracked(rel) {
		return rules.Location{}, false
	}
	if loc.StartLine < 1 {
		loc.StartLine, loc.StartColumn, loc.EndLine, loc.EndColumn = 1, 1, 1, 2
	}
	return loc, true
}

// entryExts are the file types of a CDK app entry in cdk.json "app".
var entryExts = map[string]bool{
	".ts": true, ".js": true, ".mjs": true, ".cjs": true, ".mts": true, ".cts": true,
	".py": true, ".java": true, ".go": true, ".cs": true, ".fs": true,
}

// app is the stack's CDK app entry location (cached per stack).
func (r *resolver) app(st *loader.Stack) *rules.Location {
	if st == nil {
		return nil
	}
	if loc, done := r.apps[st]; done {
		return loc
	}
	loc := r.findApp(st)
	r.apps[st] = loc
	return loc
}

func (r *resolver) findApp(st *loader.Stack) *rules.Location {
	cdkJSON := r.findCDKJSON(st.Root)
	if cdkJSON == "" {
		return nil
	}
	dir := filepath.Dir(cdkJSON)
	var cfg struct {
		App string `json:"app"`
	}
	if data, err := os.ReadFile(cdkJSON); err == nil {
		_ = json.Unmarshal(data, &cfg)
	}
	for _, tok := range strings.Fields(cfg.App) {
		tok = strings.Trim(tok, `"'`)
		if !entryExts[strings.ToLower(filepath.Ext(tok))] {
			continue
		}
		p := filepath.FromSlash(tok)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		p = filepath.Clean(p)
		rel, ok := r.rel(p)
		if !ok || !r.isTracked(rel) {
			continue
		}
		line := findLiteral(r.file(p).lines, stackIDs(st))
		if loc, ok := r.lineLocation(p, line, 0); ok {
			return &loc
		}
		if loc, ok := r.lineLocation(p, 1, 0); ok {
			return &loc
		}
		l := rules.Location{Path: p, StartLine: 1, StartColumn: 1, EndLine: 1, EndColumn: 2}
		return &l
	}
	if rel, ok := r.rel(cdkJSON); !ok || !r.isTracked(rel) {
		return nil
	}
	if loc, ok := r.lineLocation(cdkJSON, 1, 0); ok {
		return &loc
	}
	l := rules.Location{Path: cdkJSON, StartLine: 1, StartColumn: 1, EndLine: 1, EndColumn: 2}
	return &l
}

// findCDKJSON looks for cdk.json next to the assembly directory, then in
// each parent up to the repository root.
func (r *resolver) findCDKJSON(asmRoot string) string {
	if asmRoot == "" {
		return ""
	}
	dir := filepath.Dir(filepath.Clean(asmRoot))
	for {
		if !inside(r.root, dir) && !(r.rootReal != "" && inside(r.rootReal, dir)) {
			return ""
		}
		p := filepath.Join(dir, "cdk.json")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
		if filepath.Clean(dir) == filepath.Clean(r.root) || filepath.Clean(dir) == filepath.Clean(r.rootReal) {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// stackIDs are the construct ids to look for in the entry file: the
// stack's own id first, then its scopes' (stage, parent stack).
func stackIDs(st *loader.Stack) []string {
	p := st.ConstructPath
	if p == "" {
		p = st.DisplayName
	}
	if p == "" {
		p = st.ArtifactID
	}
	segs := strings.Split(strings.Trim(p, "/"), "/")
	var out []string
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] != "" {
			out = append(out, segs[i])
		}
	}
	return out
}

// findLiteral returns the 1-based line of the first id (in order) written
// as a string literal, or 1.
func findLiteral(lines []string, ids []string) int {
	for _, id := range ids {
		quoted := []string{"'" + id + "'", `"` + id + `"`, "`" + id + "`"}
		for i, l := range lines {
			for _, q := range quoted {
				if strings.Contains(l, q) {
					return i + 1
				}
			}
		}
	}
	return 1
}
