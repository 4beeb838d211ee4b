package public

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Report reports the exposed public principals (see Exposed) of the
// statements of the stack model's resource policies held by resources of
// the given types, one finding on each:
//
//	<statement> allows <actions> to everyone (<principal>)<condition note>: <consequence>
//
// grade gives the statement's severity and consequence.
func (c Checker) Report(pass *analysis.Pass, grade func(d *iampolicy.Document, st *iampolicy.Statement) (rules.Severity, string), types ...string) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		if d.Kind != iampolicy.ResourcePolicy || !slices.Contains(types, d.ResourceType) {
			continue
		}
		for _, st := range d.Statements {
			refs := c.Exposed(st)
			if len(refs) == 0 {
				continue
			}
			sev, consequence := grade(d, st)
			for _, ref := range refs {
				rules.Report(pass, rules.Diag{
					At:        ref.At,
					Statement: st,
					Severity:  sev,
					Evidence:  ref.Text,
					Message: fmt.Sprintf("%s allows %s to everyone (%s)%s: %s",
						m.Where(st), Actions(st), ref.Text, ConditionNote(st), consequence),
				})
			}
		}
	}
}

// AllActions reports whether every action of st is known and every action
// it expands to in the AWS action catalogue satisfies ok. It is false for
// NotAction, for a statement without actions, and for unresolved values
// and actions the catalogue does not know.
func AllActions(st *iampolicy.Statement, ok func(*iamdata.Action) bool) bool {
	if st.NotAction || len(st.Actions) == 0 {
		return false
	}
	for _, a := range st.Actions {
		if !a.Known {
			return false
		}
		exp := iamdata.Expand(a.Text)
		if len(exp) == 0 {
			return false
		}
		for _, x := range exp {
			if !ok(x) {
				return false
			}
		}
	}
	return true
}
