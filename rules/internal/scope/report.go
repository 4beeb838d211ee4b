package scope

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Report reports each action value of the stack's Allow identity
// statements that grants actions of class on unconstrained resources, on
// the action value:
//
//	<statement> allows <actions> on <resource>: <consequence><limit note>
//
// judge gives the severity (one step lower when other conditions limit the
// statement, see Lower) and the consequence of the actions hit. Values
// granting every action ("*") are IAM011/IAM012's and are skipped.
func Report(pass *analysis.Pass, class func(*iamdata.Action) bool, judge func(hits []*iamdata.Action) (rules.Severity, string)) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		s := Of(st)
		if s == nil {
			continue
		}
		for _, g := range s.Grants {
			if g.Full {
				continue
			}
			hits := g.Hits(class)
			if len(hits) == 0 {
				continue
			}
			sev, consequence := judge(hits)
			rules.Report(pass, rules.Diag{
				At:        g.Value.At,
				Statement: st,
				Evidence:  g.Value.Text,
				Severity:  s.Lower(sev),
				Related:   []rules.Related{{At: s.At(hits[0]), Message: "the resource that leaves it unconstrained"}},
				Message: fmt.Sprintf("%s allows %s on %s: %s%s",
					m.Where(st), g.Describe(hits), s.On(hits[0]), consequence, s.LimitNote()),
			})
		}
	}
}

// Kinds joins what each hit gives access to (what(a), such as
// DataReadWhat), each text once, naming at most three.
func Kinds(hits []*iamdata.Action, what func(*iamdata.Action) string) string {
	var out []string
	seen := map[string]bool{}
	for _, a := range hits {
		if w := what(a); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return rules.List(out, 3)
}
