// Package iam045 defines IAM045 (lambda-permission-service-no-source).
package iam045

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `service permission has no SourceArn or SourceAccount

An AWS::Lambda::Permission whose principal is an AWS service
(s3.amazonaws.com, events.amazonaws.com, sns.amazonaws.com, …) and that
names neither SourceArn nor SourceAccount lets that service invoke the
function on behalf of any resource in any AWS account: someone else's
bucket notification, rule or topic can trigger the function with input of
their choosing. This is the confused-deputy problem AWS Lambda's
documentation and the IAM user guide describe; both ask to pin service
principals with the source resource's ARN and the source account. A
SourceArn that is only wildcards ("arn:aws:s3:::*") pins nothing.

Two cases are reported at low severity. S3 bucket ARNs carry no account:
with SourceArn but no SourceAccount, a bucket of the same name recreated in
another account still matches, so AWS asks for both. Elastic Load Balancing
only invokes functions registered in a target group of the function's own
account (aws-cdk-lib's LambdaTarget writes such a permission without a
source), so the exposure stays inside the account.`

// Rule is IAM045.
var Rule = rules.Register(&rules.Rule{
	Slug:     "lambda-permission-service-no-source",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_364", "AWS-0067"},
	CWE:      []string{"CWE-441", "CWE-284"},
	Fix:      "Pass sourceArn (and, for S3, sourceAccount) to addPermission, or use the CDK integration (bucket.addEventNotification, rule.addTarget, topic.addSubscription), which sets them.",
	Bad:      "fn.addPermission('FromS3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });",
	Good:     "fn.addPermission('FromS3', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn, sourceAccount: this.account });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM045",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// serviceRe matches a service principal once partition and region
// placeholders are replaced: s3.amazonaws.com, logs.us-east-1.amazonaws.com,
// s3.amazonaws.com.cn.
var serviceRe = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$`)

// servicePrincipal returns the service principal a Lambda permission names,
// or "" for accounts, "*", other principals and unresolvable values.
func servicePrincipal(n *cfn.Node) string {
	text, _ := cfn.Sym(n)
	t := strings.NewReplacer("${aws::urlsuffix}", "amazonaws.com", "${aws::region}", "region").Replace(strings.ToLower(strings.TrimSpace(text)))
	if strings.Contains(t, "${") || !serviceRe.MatchString(t) {
		return ""
	}
	return strings.TrimSpace(text)
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::Lambda::Permission") {
		pn := r.Prop("Principal")
		svc := servicePrincipal(pn)
		if svc == "" {
			continue
		}
		arnPins := pins(r.Prop("SourceArn"))
		acctPins := pins(r.Prop("SourceAccount"))
		fn := cfn.SymString(r.Prop("FunctionName"))
		action := cfn.SymString(r.Prop("Action"))
		short := strings.SplitN(strings.ToLower(svc), ".", 2)[0]
		switch {
		case arnPins && acctPins:
			continue
		case arnPins && short == "s3" && !acctPins && s3ARN(m, r.Prop("SourceArn")):
			rules.Report(pass, rules.Diag{
				At:       r.Prop("SourceArn"),
				Severity: rules.Low,
				Locator:  "SourceArn",
				Evidence: svc,
				Message: fmt.Sprintf("permission %s lets %s call %s on %s with a SourceArn but no SourceAccount: bucket ARNs name no account, so a bucket of the same name in another account would match",
					r.Name(), svc, action, fn),
			})
			continue
		case arnPins || acctPins:
			continue
		}
		sev := rules.Medium
		what := fmt.Sprintf("any account's %s resources can invoke the function (confused deputy)", short)
		if short == "elasticloadbalancing" {
			sev = rules.Low
			what = "load balancers only invoke functions of their own account, but any target group of the account can"
		}
		rules.Report(pass, rules.Diag{
			At:       pn,
			Severity: sev,
			Locator:  "Principal",
			Evidence: svc,
			Message: fmt.Sprintf("permission %s lets %s call %s on %s with no SourceArn or SourceAccount: %s",
				r.Name(), svc, action, fn, what),
		})
	}
	return nil, nil
}

// pins reports whether a SourceArn or SourceAccount value narrows the
// source: a literal that is not all wildcards (an ARN whose account and
// resource parts are both wildcards pins nothing), or an unresolved value
// (a Ref, a GetAtt, an import), which is taken as pinning.
func pins(n *cfn.Node) bool {
	if n == nil {
		return false
	}
	text, known := cfn.Sym(n)
	if !known {
		return true
	}
	t := strings.TrimSpace(text)
	if strings.Trim(t, "*?") == "" {
		return false
	}
	parts := strings.SplitN(t, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		acct, res := parts[4], parts[5]
		if strings.Trim(acct, "*?") == "" && strings.Trim(res, "*?") == "" {
			return false
		}
	}
	return true
}

// s3ARN reports whether a SourceArn is (or may be) an S3 bucket ARN, which
// names no account: a literal or symbolic arn:…:s3:::…, or the Arn of an
// in-template AWS::S3::Bucket.
func s3ARN(m *stackmodel.Model, n *cfn.Node) bool {
	text, _ := cfn.Sym(n)
	parts := strings.SplitN(text, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" {
		return parts[2] == "s3" && parts[4] == ""
	}
	id, ok := strings.CutSuffix(strings.TrimPrefix(text, "${"), ".Arn}")
	if !ok || strings.Contains(id, "${") || !strings.HasPrefix(text, "${") {
		return false
	}
	r := m.Resource(id)
	return r != nil && r.Type == "AWS::S3::Bucket"
}
