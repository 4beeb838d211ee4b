// Package privesc is the building block behind IAM025 (privilege-escalation
// path) and the rules that defer to it (IAM026, IAM027): the table of known
// escalation methods, the analysis that finds them in a stack's identity
// policies (single actions per statement, combinations across every policy
// attached to one principal), and the helpers those rules share to decide
// whether a statement reaches every resource.
package privesc

import (
	"reflect"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Analyzer finds the escalation methods of a stack. It reports nothing
// itself: IAM025 reports its findings, and IAM026 and IAM027 ask it which
// action values IAM025 already reports.
var Analyzer = &analysis.Analyzer{
	Name:       "privesc",
	Doc:        "find known privilege-escalation methods in a stack's identity policies",
	Requires:   []*analysis.Analyzer{stackmodel.Analyzer},
	Run:        run,
	ResultType: reflect.TypeOf((*Result)(nil)),
}

// Result holds a stack's escalation findings.
type Result struct {
	// Findings lists single-action findings in statement order, then
	// combinations in principal order.
	Findings []*Finding
	reported map[*cfn.Node]bool

	m *stackmodel.Model
	// holders maps each identity document to the principals it attaches
	// to; denies holds each principal's identity Deny statements (its
	// groups' included), both computed once per stack.
	holders map[*iampolicy.Document][]*stackmodel.Principal
	denies  map[*stackmodel.Principal][]*iampolicy.Statement
}

// Of returns the result computed for the pass's stack. Rules list Analyzer
// in their Requires.
func Of(pass *analysis.Pass) *Result { return pass.ResultOf[Analyzer].(*Result) }

// Reported reports whether IAM025 reports on the action value v (as a
// single-action primitive or as the first part of a combination).
func (r *Result) Reported(v iampolicy.Value) bool { return v.At != nil && r.reported[v.At] }

// Finding is one escalation: an action value that is a single-action
// primitive (Methods set), or a combination held by principals (Method,
// Principals and Parts set), reported on its first part.
type Finding struct {
	Statement *iampolicy.Statement
	Value     iampolicy.Value

	// Methods are the single-action methods the value covers.
	Methods []*Method

	// Method is the combination, Principals who hold every part of it
	// (the same parts), Parts the parts after the first.
	Method     *Method
	Principals []*stackmodel.Principal
	Parts      []Part

	// Mitigation, when set, says which conditional Deny may block the
	// escalation (under its condition only).
	Mitigation string
}

// Part is one action of a combination and the value that grants it.
type Part struct {
	Action    string
	Statement *iampolicy.Statement
	Value     iampolicy.Value
}

type verdict int

const (
	open verdict = iota
	mitigated
	blocked
)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	r := &Result{reported: map[*cfn.Node]bool{}, m: m,
		holders: map[*iampolicy.Document][]*stackmodel.Principal{},
		denies:  map[*stackmodel.Principal][]*iampolicy.Statement{}}
	for _, p := range m.Principals {
		for _, d := range dedupe(p.Policies) {
			r.holders[d] = append(r.holders[d], p)
		}
		r.denies[p] = denyStatements(m.EffectivePolicies(p))
	}
	singles(m, r)
	combos(m, r)
	return r, nil
}

func singles(m *stackmodel.Model, r *Result) {
	for _, st := range m.Statements(iampolicy.Identity) {
		if Skipped(st.Doc) || !st.Allow() || st.NotAction || !Unconstrained(st) {
			continue
		}
		for _, v := range st.Actions {
			if !v.Known || IsFull(v) {
				continue
			}
			var f *Finding
			opened := false
			why := ""
			for _, meth := range Single {
				if !Covers(v, meth.Actions[0]) {
					continue
				}
				vd, w := r.docVerdict(st.Doc, meth.Actions[0])
				if vd == blocked {
					continue
				}
				if f == nil {
					f = &Finding{Statement: st, Value: v}
				}
				f.Methods = append(f.Methods, meth)
				if vd == open {
					opened = true
				} else if why == "" {
					why = w
				}
			}
			if f == nil {
				continue
			}
			if !opened {
				f.Mitigation = why
			}
			r.Findings = append(r.Findings, f)
			r.reported[v.At] = true
		}
	}
}

func combos(m *stackmodel.Model, r *Result) {
	seen := map[string]*Finding{}
	for _, p := range m.Principals {
		docs := dedupe(m.EffectivePolicies(p))
		if admin(docs) {
			continue // IAM011 reports administrator access
		}
		open, passOpen := openStatements(docs)
		if len(open) == 0 && len(passOpen) == 0 {
			continue
		}
		for _, meth := range Combos {
			parts := make([]Part, 0, len(meth.Actions))
			why := ""
			ok := true
			for _, a := range meth.Actions {
				part, found := findPart(open, passOpen, a, meth)
				if !found {
					ok = false
					break
				}
				vd, w := denyVerdict(m, r.denies[p], a)
				if vd == blocked {
					ok = false
					break
				}
				if vd == mitigated && why == "" {
					why = w
				}
				parts = append(parts, part)
			}
			if !ok {
				continue
			}
			key := meth.Name
			for _, pt := range parts {
				key += "|" + nodeKey(pt.Value.At)
			}
			if f := seen[key]; f != nil {
				f.Principals = append(f.Principals, p)
				if why == "" {
					f.Mitigation = ""
				}
				continue
			}
			f := &Finding{Statement: parts[0].Statement, Value: parts[0].Value, Method: meth,
				Principals: []*stackmodel.Principal{p}, Parts: parts[1:], Mitigation: why}
			seen[key] = f
			r.Findings = append(r.Findings, f)
			r.reported[parts[0].Value.At] = true
		}
	}
}

func nodeKey(n *cfn.Node) string {
	if n == nil {
		return "-"
	}
	return strconv.Itoa(n.Start) + ":" + strconv.Itoa(n.End)
}

// findPart returns the first value, in document order, that allows action
// on every resource. For iam:PassRole in a pass-role combination an
// iam:PassedToService condition does not narrow the roles, but it must let
// the role go to the method's service.
func findPart(open, passOpen []*iampolicy.Statement, action string, meth *Method) (Part, bool) {
	sts := open
	passRole := strings.EqualFold(action, "iam:PassRole")
	if passRole {
		sts = passOpen
	}
	for _, st := range sts {
		if passRole && !PassesTo(st, meth.Service) {
			continue
		}
		for _, v := range st.Actions {
			if v.Known && !IsFull(v) && Covers(v, action) {
				return Part{Action: action, Statement: st, Value: v}, true
			}
		}
	}
	return Part{}, false
}

// openStatements returns, in document order, the Allow statements of docs
// that apply to every resource (findPart's candidates for most actions)
// and those that do once iam:PassedToService is set aside (its candidates
// for iam:PassRole). The combinations ask for every principal and method.
func openStatements(docs []*iampolicy.Document) (open, passOpen []*iampolicy.Statement) {
	for _, d := range docs {
		if Skipped(d) {
			continue
		}
		for _, st := range d.Statements {
			if !st.Allow() || st.NotAction {
				continue
			}
			if Unconstrained(st) {
				open = append(open, st)
			}
			if Unconstrained(st, "iam:PassedToService") {
				passOpen = append(passOpen, st)
			}
		}
	}
	return open, passOpen
}

// PassesTo reports whether the statement's iam:PassedToService conditions
// let a role be passed to service. Unresolved values do not.
func PassesTo(st *iampolicy.Statement, service string) bool {
	for _, c := range st.Condition("iam:PassedToService") {
		neg := strings.Contains(c.Base, "Not")
		match := false
		for _, v := range c.Values {
			if !v.Known {
				return false
			}
			if iampolicy.MatchWildcard(v.Text, service) {
				match = true
			}
		}
		if match == neg {
			return false
		}
	}
	return true
}

// admin reports whether the documents allow every action on every resource.
func admin(docs []*iampolicy.Document) bool {
	for _, d := range docs {
		for _, st := range d.Statements {
			if !st.Allow() || st.NotAction || !Unconstrained(st) {
				continue
			}
			for _, v := range st.Actions {
				if IsFull(v) {
					return true
				}
			}
		}
	}
	return false
}

func dedupe(docs []*iampolicy.Document) []*iampolicy.Document {
	seen := map[*iampolicy.Document]bool{}
	out := docs[:0:0]
	for _, d := range docs {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// docVerdict combines denyVerdict over the principals a document attaches
// to: open if it is open for any of them (or the document attaches to
// none in the stack), else mitigated if mitigated for any, else blocked.
func (r *Result) docVerdict(d *iampolicy.Document, action string) (verdict, string) {
	holders := r.holders[d]
	if len(holders) == 0 {
		return denyVerdict(r.m, denyStatements([]*iampolicy.Document{d}), action)
	}
	best, why := blocked, ""
	for _, p := range holders {
		vd, w := denyVerdict(r.m, r.denies[p], action)
		if vd < best {
			best, why = vd, w
		}
	}
	return best, why
}

// denyStatements returns the identity Deny statements of docs that apply to
// every resource.
func denyStatements(docs []*iampolicy.Document) []*iampolicy.Statement {
	var out []*iampolicy.Statement
	for _, d := range dedupe(docs) {
		if Skipped(d) || d.Kind != iampolicy.Identity {
			continue
		}
		for _, st := range d.Statements {
			if st.Deny() && AllResources(st) {
				out = append(out, st)
			}
		}
	}
	return out
}

// denyVerdict looks for a Deny statement covering action: one without
// conditions blocks it; one with conditions mitigates it (it blocks under
// its condition, such as a session without MFA).
func denyVerdict(m *stackmodel.Model, stmts []*iampolicy.Statement, action string) (verdict, string) {
	best, why := open, ""
	for _, st := range stmts {
		if !denies(st, action) {
			continue
		}
		if len(st.Conditions) == 0 {
			return blocked, ""
		}
		if best == open {
			keys := make([]string, 0, len(st.Conditions))
			for _, c := range st.Conditions {
				keys = append(keys, c.Key)
			}
			best, why = mitigated, "a Deny in "+m.Where(st)+" blocks it when its condition on "+rules.List(keys, 3)+" holds"
		}
	}
	return best, why
}

// denies reports whether a Deny statement's Action/NotAction covers action.
// Unresolved values count as not covering (a NotAction value that cannot be
// read might exclude it).
func denies(st *iampolicy.Statement, action string) bool {
	if st.NotAction {
		for _, v := range st.Actions {
			if !v.Known || Covers(v, action) {
				return false
			}
		}
		return len(st.Actions) > 0
	}
	for _, v := range st.Actions {
		if Covers(v, action) {
			return true
		}
	}
	return false
}
