package privesc

import (
	"strings"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Grant is what one action value of an unconstrained Allow statement grants
// of a class of actions (IAM026: Permissions management; IAM027:
// credentials), after the Denies of the principals holding the policy.
type Grant struct {
	Statement *iampolicy.Statement
	Value     iampolicy.Value
	// Actions are the matching actions the value grants, sorted for
	// examples (see SortForExamples).
	Actions []*iamdata.Action
	// Mitigation is set when a conditional Deny may block every one of
	// them.
	Mitigation string
}

// Grants finds, in the identity policies of m, the action values of
// unconstrained Allow statements that grant actions accepted by match.
// It leaves out what other rules report: "*" (IAM011), "svc:*" (IAM013),
// NotAction (IAM011/IAM016), unresolved values, and values IAM025 reports
// (r, the stack's privesc result). Actions blocked by an unconditional Deny on every principal
// holding the policy are dropped.
func Grants(m *stackmodel.Model, r *Result, match func(*iamdata.Action) bool) []Grant {
	var out []Grant
	for _, st := range m.Statements(iampolicy.Identity) {
		if Skipped(st.Doc) || !st.Allow() || st.NotAction || !Unconstrained(st) {
			continue
		}
		for _, v := range st.Actions {
			if !v.Known || IsFull(v) || IsServiceWide(v) || r.Reported(v) {
				continue
			}
			g := Grant{Statement: st, Value: v}
			opened := false
			for _, a := range iamdata.Expand(strings.TrimSpace(v.Text)) {
				if !match(a) {
					continue
				}
				vd, why := r.docVerdict(st.Doc, a.FullName())
				if vd == blocked {
					continue
				}
				g.Actions = append(g.Actions, a)
				if vd == open {
					opened = true
				} else if g.Mitigation == "" {
					g.Mitigation = why
				}
			}
			if len(g.Actions) == 0 {
				continue
			}
			if opened {
				g.Mitigation = ""
			}
			SortForExamples(g.Actions)
			out = append(out, g)
		}
	}
	return out
}

// RequiresMFA reports whether a statement applies only to sessions
// authenticated with MFA: Bool (not BoolIfExists) aws:MultiFactorAuthPresent
// "true". Such a grant is meant for a human administrator.
func RequiresMFA(st *iampolicy.Statement) bool {
	for _, c := range st.Condition("aws:MultiFactorAuthPresent") {
		if c.IfExists || c.Set != "" || !strings.EqualFold(c.Base, "Bool") || len(c.Values) != 1 {
			continue
		}
		if v := c.Values[0]; v.Known && strings.EqualFold(v.Text, "true") {
			return true
		}
	}
	return false
}

// FullNames returns the actions' names.
func FullNames(as []*iamdata.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.FullName()
	}
	return out
}
