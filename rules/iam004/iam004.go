// Package iam004 defines IAM004 (user-password-reset-not-required).
package iam004

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam user need not change the initial console password

An AWS::IAM::User LoginProfile without PasswordResetRequired: true lets the
user keep the initial password for good (CloudFormation's default is false).
That password was chosen by whoever wrote or deployed the template and is
known to them, to the secret or parameter it came from and, often, to the
template itself. AWS's IAM guidance for console passwords is to require a
new password at first sign-in, so that only the user knows it.

The rule reports a LoginProfile whose PasswordResetRequired is false or
absent; a value it cannot resolve (a parameter) is left alone.`

// Rule is IAM004.
var Rule = rules.Register(&rules.Rule{
	Slug:     "user-password-reset-not-required",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"W50", "a964d6e3-8e1e-4d93-8120-61fa640dd55a"},
	CWE:      []string{"CWE-1392"},
	Fix:      "Set passwordResetRequired: true on the user so the initial password must be changed at first sign-in.",
	Bad:      "new iam.User(this, 'Alice', { password: pw.secretValue });",
	Good:     "new iam.User(this, 'Alice', { password: pw.secretValue, passwordResetRequired: true });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM004",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, u := range m.ResourcesOfType("AWS::IAM::User") {
		for _, lp := range cfn.Branches(u.Prop("LoginProfile")) {
			if _, _, intrinsic := lp.Intrinsic(); intrinsic || lp.Kind != cfn.Object {
				continue // an unresolvable LoginProfile: silent
			}
			r := lp.Get("PasswordResetRequired")
			if r == nil {
				rules.Report(pass, rules.Diag{
					At:       lp,
					Locator:  "LoginProfile",
					Evidence: "absent",
					Message:  fmt.Sprintf("user %s has a console password but no PasswordResetRequired (CloudFormation's default is false): the user can keep the initial password; set PasswordResetRequired: true", u.Name()),
				})
				continue
			}
			if s, ok := r.Literal(); ok && strings.EqualFold(s, "false") {
				rules.Report(pass, rules.Diag{
					At:       r,
					Locator:  "LoginProfile",
					Evidence: "false",
					Message:  fmt.Sprintf("user %s has a console password with PasswordResetRequired false: the user can keep the initial password, which others know; set it to true", u.Name()),
				})
			}
		}
	}
	return nil, nil
}
