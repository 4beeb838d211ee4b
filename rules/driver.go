package rules

import (
	"fmt"
	"go/token"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/loader"
)

// InternalError is a failure of iamvet itself: a rule panicked or returned
// an error. It names the rule and the stack.
type InternalError struct {
	Rule  string
	Stack string
	Err   string
	// Trace is the goroutine stack of a panic (shown with -v).
	Trace string
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error: rule %s on stack %s: %s", e.Rule, e.Stack, e.Err)
}

// passState is the driver's per-pass side table: it lets Report attach the
// details a Diagnostic has no field for, and lets building blocks reach the
// stack being analyzed.
type passState struct {
	stack   *loader.Stack
	pending *Diag
	diags   []reported
}

type reported struct {
	analyzer *analysis.Analyzer
	diag     analysis.Diagnostic
	extra    *Diag
}

var states sync.Map // *analysis.Pass → *passState

// StackOf returns the stack a pass analyzes. Building blocks call it.
func StackOf(pass *analysis.Pass) *loader.Stack {
	if st, ok := states.Load(pass); ok {
		return st.(*passState).stack
	}
	return nil
}

// Report reports a finding with its details. d.At must be a node of the
// stack's template.
func Report(pass *analysis.Pass, d Diag) {
	st, ok := states.Load(pass)
	if !ok {
		panic("rules.Report called outside the iamvet driver")
	}
	s := st.(*passState)
	t := s.stack.Template
	diag := analysis.Diagnostic{Category: pass.Analyzer.Name, Message: d.Message}
	if d.At != nil {
		diag.Pos, diag.End = t.Pos(d.At.Start), t.Pos(d.At.End)
	}
	for _, r := range d.Related {
		if r.At != nil {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: t.Pos(r.At.Start), End: t.Pos(r.At.End), Message: r.Message})
		}
	}
	s.pending = &d
	pass.Report(diag)
	s.pending = nil
}

// Options control a run.
type Options struct {
	// Parallelism bounds the stacks analyzed at once (0: GOMAXPROCS).
	Parallelism int
}

// Run analyzes every stack with the rules and returns the findings sorted
// deterministically, and internal errors (a rule that panicked or failed),
// each naming the rule and the stack. A failing rule does not stop the
// others.
func Run(fset *token.FileSet, stacks []*loader.Stack, rs []*Rule, opts Options) ([]*Finding, []*InternalError) {
	r, ierr := NewRunner(rs)
	if ierr != nil {
		return nil, []*InternalError{ierr}
	}
	par := opts.Parallelism
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	perStack := make([][]*Finding, len(stacks))
	perErrs := make([][]*InternalError, len(stacks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, par)
	for i, s := range stacks {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, s *loader.Stack) {
			defer wg.Done()
			defer func() { <-sem }()
			perStack[i], perErrs[i] = r.Stack(fset, s)
		}(i, s)
	}
	wg.Wait()
	var errs []*InternalError
	for i := range stacks {
		errs = append(errs, perErrs[i]...)
	}
	return Merge(perStack), errs
}

// Runner runs a set of rules on one stack at a time: Run's building block
// for callers that analyze stacks as they load them (loader.Stream). It is
// safe for concurrent use.
type Runner struct {
	order      []*analysis.Analyzer
	byAnalyzer map[*analysis.Analyzer]*Rule
}

// NewRunner plans a run of rs (the analyzers and what they require, in
// dependency order). A plan that fails analysis.Validate is an internal
// error.
func NewRunner(rs []*Rule) (*Runner, *InternalError) {
	order, err := plan(rs)
	if err != nil {
		return nil, &InternalError{Rule: "-", Stack: "-", Err: err.Error()}
	}
	r := &Runner{order: order, byAnalyzer: map[*analysis.Analyzer]*Rule{}}
	for _, rule := range rs {
		r.byAnalyzer[rule.Analyzer] = rule
	}
	return r, nil
}

// Stack analyzes one stack, whose template's token.File is in fset, and
// returns its findings in report order (neither sorted nor deduplicated:
// see Merge) and its internal errors.
func (r *Runner) Stack(fset *token.FileSet, s *loader.Stack) ([]*Finding, []*InternalError) {
	return runStack(fset, s, r.order, r.byAnalyzer)
}

// Merge joins the findings of stacks (in stack order), sorts them
// (SortFindings) and merges those with equal fingerprints, as Run returns
// them.
func Merge(perStack [][]*Finding) []*Finding {
	n := 0
	for _, fs := range perStack {
		n += len(fs)
	}
	all := make([]*Finding, 0, n)
	for _, fs := range perStack {
		all = append(all, fs...)
	}
	SortFindings(all)
	return dedupe(all)
}

// plan returns the analyzers to run (rules and what they require) in
// dependency order, after analysis.Validate.
func plan(rs []*Rule) ([]*analysis.Analyzer, error) {
	roots := Analyzers(rs)
	if err := analysis.Validate(roots); err != nil {
		return nil, err
	}
	var order []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	for _, a := range roots {
		visit(a)
	}
	return order, nil
}

func runStack(fset *token.FileSet, s *loader.Stack, order []*analysis.Analyzer, byAnalyzer map[*analysis.Analyzer]*Rule) (findings []*Finding, errs []*InternalError) {
	results := map[*analysis.Analyzer]any{}
	failed := map[*analysis.Analyzer]bool{}
	state := &passState{stack: s}
	for _, a := range order {
		skip := false
		for _, req := range a.Requires {
			if failed[req] {
				skip = true
			}
		}
		if skip {
			failed[a] = true
			continue
		}
		resultOf := make(map[*analysis.Analyzer]any, len(a.Requires))
		for _, req := range a.Requires {
			resultOf[req] = results[req]
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       fset,
			OtherFiles: []string{s.TemplatePath},
			ReadFile: func(name string) ([]byte, error) {
				if name == s.TemplatePath {
					return s.Template.Src, nil
				}
				return nil, fmt.Errorf("%s: not a file of this stack", name)
			},
			ResultOf: resultOf,
			Report: func(d analysis.Diagnostic) {
				state.diags = append(state.diags, reported{analyzer: a, diag: d, extra: state.pending})
			},
		}
		states.Store(pass, state)
		res, err := runOne(pass)
		states.Delete(pass)
		if err != nil {
			failed[a] = true
			err.Stack = s.Name()
			errs = append(errs, err)
			continue
		}
		if a.ResultType != nil && res != nil && reflect.TypeOf(res) != a.ResultType {
			failed[a] = true
			errs = append(errs, &InternalError{Rule: a.Name, Stack: s.Name(), Err: fmt.Sprintf("result type %T, declared %v", res, a.ResultType)})
			continue
		}
		results[a] = res
	}
	for _, r := range state.diags {
		rule := byAnalyzer[r.analyzer]
		if rule == nil {
			continue // building blocks do not report findings
		}
		findings = append(findings, toFinding(fset, s, rule, r.diag, r.extra))
	}
	return findings, errs
}

func runOne(pass *analysis.Pass) (res any, ierr *InternalError) {
	defer func() {
		if p := recover(); p != nil {
			ierr = &InternalError{Rule: pass.Analyzer.Name, Err: fmt.Sprintf("panic: %v", p), Trace: string(debug.Stack())}
		}
	}()
	res, err := pass.Analyzer.Run(pass)
	if err != nil {
		return nil, &InternalError{Rule: pass.Analyzer.Name, Err: err.Error()}
	}
	return res, nil
}

func toFinding(fset *token.FileSet, s *loader.Stack, rule *Rule, d analysis.Diagnostic, extra *Diag) *Finding {
	t := s.Template
	f := &Finding{Rule: rule, Severity: rule.Severity, Message: d.Message}
	var at *cfn.Node
	if extra != nil {
		at = extra.At
		if extra.Severity != 0 {
			f.Severity = extra.Severity
		}
		f.Evidence = extra.Evidence
		f.PolicyLocator = extra.Locator
		if extra.Statement != nil {
			f.PolicyLocator = extra.Statement.Doc.Locator
			f.StatementKey = extra.Statement.Key()
		}
		for _, r := range extra.Related {
			if r.At != nil {
				loc := locate(t, r.At)
				loc.Message = r.Message
				f.Related = append(f.Related, loc)
			}
		}
	} else {
		// A rule that used pass.Report directly: find the node at Pos.
		if d.Pos.IsValid() && t.File != nil {
			at = cfn.NodeAt(t.Root, fset.Position(d.Pos).Offset)
		}
		for _, r := range d.Related {
			if r.Pos.IsValid() {
				loc := locate(t, cfn.NodeAt(t.Root, fset.Position(r.Pos).Offset))
				loc.Message = r.Message
				f.Related = append(f.Related, loc)
			}
		}
	}
	var grantee *iampolicy.Statement
	if extra != nil {
		grantee = extra.Statement
	}
	finish(f, s, AnchorOf(t, at), grantee)
	return f
}

// Anchor is what a finding takes from its template node: the node's
// location, JSON pointer and, for a resource, its type. AnchorOf computes it
// while the template is in memory; FindingAt builds the finding later.
type Anchor struct {
	Template     Location
	JSONPointer  string
	ResourceType string
}

// AnchorOf returns the anchor of node n of template t (n nil: the start of
// the template).
func AnchorOf(t *cfn.Template, n *cfn.Node) Anchor {
	var a Anchor
	if n != nil {
		if ptr, ok := cfn.PointerTo(t.Root, n); ok {
			a.JSONPointer = ptr
		}
	}
	a.Template = locate(t, n)
	if segs := strings.SplitN(strings.TrimPrefix(a.JSONPointer, "/"), "/", 3); len(segs) >= 2 && segs[0] == "Resources" {
		a.ResourceType, _ = t.Root.Path("Resources", cfn.UnescapePointer(segs[1]), "Type").Literal()
	}
	return a
}

// FindingAt builds the finding the driver builds for a Diag without
// Statement or Related reported on the node of anchor a (d.At is not
// used): for findings made after the stack's template was released (the
// suppress package's IAM065).
func FindingAt(s *loader.Stack, rule *Rule, a Anchor, d Diag) *Finding {
	f := &Finding{Rule: rule, Severity: rule.Severity, Message: d.Message, Evidence: d.Evidence, PolicyLocator: d.Locator}
	if d.Severity != 0 {
		f.Severity = d.Severity
	}
	finish(f, s, a, nil)
	return f
}

// finish completes a finding from its anchor: stack, resource, construct
// path, CDK-internal note and fingerprint. grantee is the statement the
// finding is in, if any.
func finish(f *Finding, s *loader.Stack, a Anchor, grantee *iampolicy.Statement) {
	f.Stack = StackRefOf(s)
	f.JSONPointer = a.JSONPointer
	f.Template = a.Template
	if segs := strings.SplitN(strings.TrimPrefix(f.JSONPointer, "/"), "/", 3); len(segs) >= 2 {
		switch segs[0] {
		case "Resources":
			f.LogicalID = cfn.UnescapePointer(segs[1])
			f.ResourceType = a.ResourceType
			f.ConstructPath = s.ResourcePath(f.LogicalID)
		case "Outputs":
			f.LogicalID = cfn.UnescapePointer(segs[1])
			f.ResourceType = "Output"
		}
	}
	note := InternalConstruct(s, f.ConstructPath, f.LogicalID)
	if note == "" && grantee != nil {
		note = internalGrantee(s, grantee)
	}
	if note != "" {
		f.CDKInternal = true
		f.InternalNote = note
		// Findings on CDK-generated constructs are kept, at low severity:
		// the user cannot change that IAM, only choose the construct.
		f.Severity = Low
	}
	f.Fingerprint = f.fingerprint()
}

// dedupe merges findings with equal fingerprints (first wins; the others
// become related locations), per INTEGRATION.md S-2.
func dedupe(fs []*Finding) []*Finding {
	seen := map[string]*Finding{}
	out := fs[:0]
	for _, f := range fs {
		if first, ok := seen[f.Fingerprint]; ok {
			loc := f.Template
			loc.Message = f.Message
			first.Related = append(first.Related, loc)
			continue
		}
		seen[f.Fingerprint] = f
		out = append(out, f)
	}
	return out
}

// internalGrantee returns a note when a statement grants to principals that
// are all CDK-internal constructs of the stack (the auto-delete-objects
// provider role in a user's bucket policy, for example).
func internalGrantee(s *loader.Stack, st *iampolicy.Statement) string {
	if len(st.Principals) == 0 {
		return ""
	}
	var note string
	for _, p := range st.Principals {
		refs := cfn.Refs(p.Value.Node)
		if len(refs) == 0 {
			return ""
		}
		for _, id := range refs {
			n := InternalConstruct(s, s.ResourcePath(id), id)
			if n == "" {
				return ""
			}
			note = n
		}
	}
	return "statement for " + note
}
