// Package loader finds and reads what iamvet analyzes: AWS CDK cloud
// assemblies (cdk.out) with their Stage assemblies and nested stacks, plain
// CloudFormation templates and folders of templates.
//
// Every template becomes a positioned cfn tree registered in one
// token.FileSet, and every stack carries the CDK metadata of its constructs
// (construct paths, creation traces, acknowledgements, CDK handler markers).
// A file that cannot be read or parsed is one Error naming it; the other
// stacks are still returned.
package loader

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/cfn"
)

// DefaultMaxTemplateSize is the largest template (or manifest) read by default.
const DefaultMaxTemplateSize = 32 << 20

// Options tune a load.
type Options struct {
	// MaxTemplateSize is the largest file read, in bytes (0: DefaultMaxTemplateSize).
	MaxTemplateSize int64
}

// Stack is one CloudFormation template to analyze.
type Stack struct {
	// ArtifactID is the manifest artifact id (e.g. "DevSharedIam0A3AB05E"),
	// "<parent>/<logical ID>" for a nested stack, or the file name without
	// its template extension for a plain template.
	ArtifactID string
	// DisplayName is the CDK display name ("Dev/SharedIam"), or ArtifactID.
	DisplayName string
	// Assembly is the Stage assembly directory relative to the root assembly
	// ("assembly-Prod", "assembly-A/assembly-B"), or "" for the root.
	Assembly string
	// Root is the directory the input was given as (the cloud assembly root,
	// or the folder of a plain template), absolute.
	Root string
	// TemplatePath is the template's absolute path.
	TemplatePath string
	// RelPath is TemplatePath relative to Root, slash-separated.
	RelPath string
	// Parent is the ArtifactID of the stack that declares this nested stack,
	// and ParentLogicalID the logical ID of its AWS::CloudFormation::Stack.
	Parent          string
	ParentLogicalID string
	// ConstructPath is the construct path of the stack itself ("Tooling/Artifacts").
	ConstructPath string
	// Environment is the manifest environment (aws://account/region) if any.
	Environment string
	// AssemblyAccounts lists, sorted, the accounts of every stack
	// environment of the cloud assembly this stack was loaded from (Stage
	// assemblies included): accounts the same app deploys to.
	AssemblyAccounts []string
	Template         *cfn.Template
	// Metadata is the CDK construct metadata that belongs to this stack,
	// keyed by construct path without the leading slash.
	Metadata map[string]*ConstructMeta
	// resourcePaths maps logical IDs to construct paths.
	resourcePaths map[string]string
}

// ConstructMeta is the CDK metadata recorded for one construct path.
type ConstructMeta struct {
	Path      string
	LogicalID string
	// Trace is the construct's creation stack (aws:cdk:creationStack, or the
	// trace of aws:cdk:logicalId from older CDK versions).
	Trace []string
	// Acknowledged holds aws:cdk:acknowledged-rules entries (cdk-nag 3.x).
	Acknowledged []string
	// HandlerMarkers holds the aws:cdk:is-custom-resource-handler-* types
	// CDK puts on its own handler constructs.
	HandlerMarkers []string
}

// ResourcePath returns the construct path of a resource (without a leading
// slash), from the CDK metadata or the resource's Metadata.aws:cdk:path.
func (s *Stack) ResourcePath(logicalID string) string {
	return s.resourcePaths[logicalID]
}

// Meta returns the construct metadata of a path, or nil.
func (s *Stack) Meta(path string) *ConstructMeta { return s.Metadata[path] }

// Name is how the stack is shown to users: its display name, qualified by
// the parent for nested stacks.
func (s *Stack) Name() string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return s.ArtifactID
}

// Error is a load error for one file.
type Error struct {
	File   string // path as the user would recognise it
	Line   int    // 1-based, 0 if unknown
	Column int    // 1-based, 0 if unknown
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Result is what a load found.
type Result struct {
	Fset   *token.FileSet
	Stacks []*Stack
	Errors []*Error
}

// Load reads every path: a cloud assembly directory (has manifest.json), a
// template file, or a directory of templates. No path means ./cdk.out.
//
// Every stack is returned with its parsed template, registered in
// Result.Fset in discovery order. Stream is the same load for callers that
// do not need every template in memory at once.
func Load(paths []string, opts Options) *Result {
	l := newLoadState(opts, nil)
	l.fset = token.NewFileSet()
	l.load(paths)
	setAssemblyAccounts(l.parsedStacks)
	return &Result{Fset: l.fset, Stacks: l.stacks, Errors: l.errorList()}
}

func newLoadState(opts Options, st *StreamOptions) *loadState {
	if opts.MaxTemplateSize <= 0 {
		opts.MaxTemplateSize = DefaultMaxTemplateSize
	}
	l := &loadState{opts: opts, seenTemplates: map[string]bool{}, workers: runtime.GOMAXPROCS(0)}
	if st != nil {
		l.stream = st
		if st.Workers > 0 {
			l.workers = st.Workers
		}
	}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// load walks the paths, then reads, parses (and, streaming, visits) every
// stack found.
func (l *loadState) load(paths []string) {
	if len(paths) == 0 {
		paths = []string{"cdk.out"}
	}
	for _, p := range paths {
		l.loadPath(p)
	}
	if l.stream != nil {
		// The accounts come from the manifests, known before any template
		// is parsed (nested stacks inherit their parent's); revisit
		// handles the rare template that fails to load and held one.
		walked := make([]*Stack, len(l.pending))
		for i, ps := range l.pending {
			walked[i] = ps.stack
		}
		setAssemblyAccounts(walked)
	}
	l.run()
	// A template given by path inside an assembly that the walk did not
	// reach as a stack (a nested stack's template given on its own) is read
	// as a plain template.
	for _, g := range l.givenInAssembly {
		if !l.seenTemplates[g.abs] {
			l.addPlainTemplate(g.abs, g.given, g.root)
		}
	}
	if l.stream == nil {
		l.run()
		return
	}
	exact := accountsByRoot(l.parsedStacks)
	for _, ps := range l.pending[l.committed:] {
		ps.stack.AssemblyAccounts = exact[ps.stack.Root]
	}
	l.run()
	l.revisit(exact)
}

type loadState struct {
	opts Options
	// fset is the FileSet every template is registered in (Load); nil when
	// streaming, where each template has a FileSet of its own.
	fset   *token.FileSet
	stream *StreamOptions
	// workers bounds the goroutines reading, parsing and visiting stacks.
	workers int

	// The fields below are guarded by mu while workers run (see run).
	mu   sync.Mutex
	cond *sync.Cond
	// stacks are the stacks returned (the selected ones, streaming);
	// parsedStacks are all the stacks whose template loaded.
	stacks       []*Stack
	parsedStacks []*Stack
	// errs may hold nil slots: errors of side metadata files are reported
	// where the manifest walk met them, but the workers read the files.
	errs          []*Error
	seenTemplates map[string]bool
	// pending stacks, in discovery order (see run).
	pending []*pendingStack
	// givenInAssembly are template paths given inside a cloud assembly.
	givenInAssembly []givenTemplate
	// started counts the pending stacks a worker took, committed those
	// committed (see commit).
	started, committed int
	// live counts the templates in memory from the first uncommitted
	// stack to the end of their visit; ready holds committed stacks
	// waiting for a visit.
	live  int
	ready []*pendingStack
	// failure is the first panic of a worker.
	failure error
}

type givenTemplate struct{ abs, given, root string }

type pendingStack struct {
	stack *Stack
	asm   *assembly // nil for plain templates
	err   *Error
	src   []byte
	// plainGiven is the path as given, for plain templates.
	plainGiven string
	// metaFile is the side metadata file (additionalMetadataFile) read
	// with the template, metaDisplay its name in errors and metaSlot the
	// index of its error in loadState.errs (-1: none); metaErr is that
	// error, if any.
	metaFile, metaDisplay string
	metaSlot              int
	metaErr               *Error
	// lines are the template's line starts (Load).
	lines []int
	// fset holds the template's token.File when streaming.
	fset    *token.FileSet
	done    bool // read and parsed, or failed
	visited bool // queued for a visit
	seq     int  // index in Result.Stacks
}

func (l *loadState) errorf(file string, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: file, Msg: fmt.Sprintf(format, args...)})
}

func (l *loadState) loadPath(p string) {
	fi, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			l.errorf(p, "no such file or directory")
		} else {
			l.errorf(p, "%v", unwrapPathError(err))
		}
		return
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		l.errorf(p, "%v", err)
		return
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(abs, "manifest.json")); err == nil {
			l.loadAssembly(abs, p, nil)
			return
		}
		l.loadTemplateDir(abs, p)
		return
	}
	// A template inside a cloud assembly (the CDK validation plugin passes
	// template paths) is enriched with the assembly's metadata.
	dir := filepath.Dir(abs)
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err == nil && isTemplateName(abs) {
		root := assemblyRootOf(dir)
		l.loadAssembly(root, displayRoot(p, abs, root), map[string]bool{abs: true})
		l.givenInAssembly = append(l.givenInAssembly, givenTemplate{abs, p, root})
		return
	}
	l.addPlainTemplate(abs, p, filepath.Dir(abs))
}

// assemblyRootOf walks up from a Stage assembly directory to the root
// assembly (the highest ancestor with a manifest.json whose child is an
// assembly-* directory).
func assemblyRootOf(dir string) string {
	root := dir
	for strings.HasPrefix(filepath.Base(root), "assembly-") {
		parent := filepath.Dir(root)
		if _, err := os.Stat(filepath.Join(parent, "manifest.json")); err != nil {
			break
		}
		root = parent
	}
	return root
}

func displayRoot(given, abs, root string) string {
	rel, err := filepath.Rel(filepath.Dir(abs), root)
	if err != nil {
		return root
	}
	return filepath.Join(filepath.Dir(given), rel)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func isTemplateName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".yaml", ".yml", ".template":
		return true
	}
	return false
}

func (l *loadState) loadTemplateDir(abs, given string) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		l.errorf(given, "%v", unwrapPathError(err))
		return
	}
	found := 0
	for _, e := range entries {
		if e.IsDir() || !isTemplateName(e.Name()) {
			continue
		}
		path := filepath.Join(abs, e.Name())
		if !e.Type().IsRegular() {
			// Symlinks inside a folder of templates are followed only when
			// they stay inside it.
			if _, err := within(abs, e.Name()); err != nil {
				l.errorf(filepath.Join(given, e.Name()), "%v", err)
				continue
			}
		}
		found++
		l.addPlainTemplate(path, filepath.Join(given, e.Name()), abs)
	}
	if found == 0 {
		l.errorf(given, "no manifest.json and no templates (.json, .yaml, .yml, .template) found")
	}
}

func (l *loadState) addPlainTemplate(abs, given, root string) {
	if l.seenTemplates[abs] {
		return
	}
	l.seenTemplates[abs] = true
	base := filepath.Base(abs)
	id := base
	for _, suf := range []string{".template.json", ".template.yaml", ".template.yml", ".template", ".json", ".yaml", ".yml"} {
		if strings.HasSuffix(strings.ToLower(id), suf) {
			id = id[:len(id)-len(suf)]
			break
		}
	}
	rel, _ := filepath.Rel(root, abs)
	s := &Stack{
		ArtifactID:   id,
		DisplayName:  id,
		Root:         root,
		TemplatePath: abs,
		RelPath:      filepath.ToSlash(rel),
	}
	l.pending = append(l.pending, &pendingStack{stack: s, plainGiven: given, metaSlot: -1})
}

func (l *loadState) displayFile(s *Stack) string {
	if s.Root == "" {
		return s.TemplatePath
	}
	return filepath.Join(s.Root, filepath.FromSlash(s.RelPath))
}

// prepare is a worker's part of loading a stack: its side metadata file,
// then its template, read and parsed, with construct paths attached.
func (l *loadState) prepare(ps *pendingStack) {
	if ps.metaFile != "" {
		if side, err := readMetadataFile(ps.metaFile, ps.metaDisplay, l.opts.MaxTemplateSize); err != nil {
			ps.metaErr = err
		} else {
			addMetadata(ps.stack.Metadata, side)
		}
	}
	l.parse(ps)
	if ps.err != nil {
		return
	}
	l.attachMetadata(ps)
	if l.fset != nil {
		ps.lines = cfn.LineStarts(ps.src)
		return
	}
	// Streaming: a FileSet per template, with the lines computed when a
	// position is first needed (rules.Finding locations).
	ps.fset = token.NewFileSet()
	ps.stack.Template.File = ps.fset.AddFile(ps.stack.TemplatePath, -1, len(ps.src))
}

func (l *loadState) parse(ps *pendingStack) {
	s := ps.stack
	file := ps.plainGiven
	if file == "" {
		file = l.displayFile(s)
	}
	src, err := readLimited(s.TemplatePath, l.opts.MaxTemplateSize)
	if err != nil {
		ps.err = &Error{File: file, Msg: err.Error()}
		return
	}
	t, perr := ParseTemplate(s.TemplatePath, src)
	if perr != nil {
		perr.File = file
		ps.err = perr
		return
	}
	if t.Root.Kind != cfn.Object {
		ps.err = &Error{File: file, Line: 1, Column: 1, Msg: fmt.Sprintf("template is a JSON %s, not an object", t.Root.Kind)}
		return
	}
	if r := t.Root.Get("Resources"); r != nil && r.Kind != cfn.Object {
		ps.err = posError(file, src, r.Start, fmt.Sprintf("Resources is a %s, not an object", r.Kind))
		return
	}
	ps.src = src
	s.Template = t
}

// ParseTemplate parses template source (JSON, or YAML when it does not start
// with '{' after whitespace). The returned template has no token.File yet.
func ParseTemplate(path string, src []byte) (*cfn.Template, *Error) {
	var root *cfn.Node
	var err error
	format := cfn.JSON
	if looksJSON(src) {
		root, err = cfn.ParseJSON(src)
	} else {
		format = cfn.YAML
		root, err = cfn.ParseYAML(src)
	}
	if err != nil {
		var se *cfn.SyntaxError
		if errors.As(err, &se) {
			return nil, posError(path, src, se.Offset, se.Msg)
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return &cfn.Template{Path: path, Format: format, Root: root, Src: src}, nil
}

func looksJSON(src []byte) bool {
	s := strings.TrimPrefix(string(src[:min(len(src), 4096)]), "\xef\xbb\xbf")
	s = strings.TrimLeft(s, " \t\r\n")
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")
}

// posError builds an Error at a byte offset (line and UTF-16-agnostic
// character column, 1-based).
func posError(file string, src []byte, off int, msg string) *Error {
	if off < 0 || off > len(src) {
		return &Error{File: file, Msg: msg}
	}
	line, col := 1, 1
	lineStart := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	col = len([]rune(string(src[lineStart:off]))) + 1
	return &Error{File: file, Line: line, Column: col, Msg: msg}
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory, expected a file")
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("file is %d bytes, over the %d-byte limit (--max-template-size)", fi.Size(), limit)
	}
	// The size can change between Stat and Read: read at most limit+1
	// bytes, into a buffer of the size Stat gave plus room to see the end
	// of the file without growing it.
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, unwrapPathError(err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("file is over the %d-byte limit (--max-template-size)", limit)
	}
	return buf.Bytes(), nil
}

// within resolves rel under root and rejects anything that leaves root:
// absolute paths, ".." segments and symlinks pointing outside.
func within(root, rel string) (string, error) {
	if rel == "" {
		return "", errors.New("empty path")
	}
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) || filepath.VolumeName(rel) != "" {
		return "", fmt.Errorf("path %q is absolute; cloud assembly paths must stay inside the assembly", rel)
	}
	clean := filepath.Clean(filepath.FromSlash(rel))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("path %q leaves the cloud assembly", rel)
	}
	full := filepath.Join(root, clean)
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", unwrapPathError(err)
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%q does not exist", rel)
		}
		return "", unwrapPathError(err)
	}
	r, err := filepath.Rel(realRoot, real)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("path %q resolves outside the cloud assembly (symlink)", rel)
	}
	return full, nil
}

// setAssemblyAccounts records, for every stack, the accounts its cloud
// assembly deploys to.
func setAssemblyAccounts(stacks []*Stack) {
	sorted := accountsByRoot(stacks)
	for _, s := range stacks {
		s.AssemblyAccounts = sorted[s.Root]
	}
}

// accountsByRoot returns the sorted accounts of the stacks' environments,
// per Root.
func accountsByRoot(stacks []*Stack) map[string][]string {
	byRoot := map[string]map[string]bool{}
	for _, s := range stacks {
		acct := accountOf(s.Environment)
		if acct == "" {
			continue
		}
		if byRoot[s.Root] == nil {
			byRoot[s.Root] = map[string]bool{}
		}
		byRoot[s.Root][acct] = true
	}
	sorted := map[string][]string{}
	for root, set := range byRoot {
		for a := range set {
			sorted[root] = append(sorted[root], a)
		}
		sort.Strings(sorted[root])
	}
	return sorted
}

// accountOf returns the account of an environment "aws://111111111111/us-east-1"
// ("" when unknown-account or absent).
func accountOf(env string) string {
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return ""
	}
	acct, _, _ := strings.Cut(rest, "/")
	if len(acct) != 12 || strings.Trim(acct, "0123456789") != "" {
		return ""
	}
	return acct
}
