// Package iam064 defines IAM064 (credentials-in-template).
package iam064

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `template holds a literal credential

A password, secret key or token written into the template is in
cdk.out, in every copy of the repository and CI artifacts, in the
CloudFormation console (template and, for environment variables, the
resource's configuration) and readable by anyone who can call
cloudformation:GetTemplate or lambda:GetFunctionConfiguration. It cannot
be rotated without a deployment. AWS's guidance asks to keep secrets in
Secrets Manager or SSM Parameter Store and to reference them
(dynamic references, secret ARNs, ECS secrets, CodeBuild
SECRETS_MANAGER variables) instead of copying them.

The rule reports literal accessKeyId, secretKey and password entries of
AWS::CloudFormation::Authentication metadata (roleName-based
authentication is fine, unlike checks that flag the metadata itself), and
environment variables of Lambda functions, ECS task definitions, Batch job
definitions and CodeBuild projects (PLAINTEXT) whose name says secret
(*PASSWORD*, *SECRET*, *_TOKEN, *API_KEY*, *PRIVATE_KEY*,
AWS_SECRET_ACCESS_KEY) and whose value is a literal. Values that are a
reference rather than the secret are not reported: Refs and other
intrinsics, {{resolve:…}} dynamic references, ARNs, SSM parameter paths,
secret names (my-app/db-password), URLs without credentials, numbers and
booleans, and names such as DB_PASSWORD_SECRET_ARN or API_KEY_PARAM.
Values that are recognisably a credential (AKIA… access key ids, private
key blocks, GitHub, Slack and Stripe tokens, URLs with an embedded
password) are reported whatever the variable is called. AWS secret access keys are high severity.`

// Rule is IAM064.
var Rule = rules.Register(&rules.Rule{
	Slug:     "credentials-in-template",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W1", "9ecb6b21-18bc-4aa7-bd07-db20f1c746db", "CKV_AWS_45"},
	CWE:      []string{"CWE-798", "CWE-312"},
	Fix:      "Store the secret in Secrets Manager and pass its ARN (grant the function secret.grantRead), or use ecs.Secret.fromSecretsManager / a CodeBuild SECRETS_MANAGER variable; rotate the exposed credential.",
	Bad:      "new lambda.Function(this, 'Fn', { ...props, environment: { DB_PASSWORD: 'hunter2hunter2' } });",
	Good:     "new lambda.Function(this, 'Fn', { ...props, environment: { DB_SECRET_ARN: secret.secretArn } });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM064",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.Resources {
		authentication(pass, r)
		switch r.Type {
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			vars := r.Prop("Environment", "Variables")
			if vars == nil || vars.Kind != cfn.Object {
				continue
			}
			for i, name := range vars.Keys {
				variable(pass, "function "+r.Name(), name, vars.Vals[i])
			}
		case "AWS::ECS::TaskDefinition":
			for _, c := range r.Prop("ContainerDefinitions").Elems() {
				who := "task definition " + r.Name()
				if n, ok := c.Get("Name").Literal(); ok {
					who += " container " + n
				}
				pairs(pass, who, c.Get("Environment"), false)
			}
		case "AWS::Batch::JobDefinition":
			pairs(pass, "job definition "+r.Name(), r.Prop("ContainerProperties", "Environment"), false)
		case "AWS::CodeBuild::Project":
			pairs(pass, "project "+r.Name(), r.Prop("Environment", "EnvironmentVariables"), true)
		}
	}
	return nil, nil
}

// pairs reads a [{Name, Value}] environment list. For CodeBuild only
// PLAINTEXT variables (the default) hold their value.
func pairs(pass *analysis.Pass, who string, list *cfn.Node, codebuild bool) {
	for _, e := range list.Elems() {
		name, ok := e.Get("Name").Literal()
		if !ok {
			continue
		}
		if codebuild {
			if t, ok := e.Get("Type").Literal(); e.Get("Type") != nil && (!ok || !strings.EqualFold(t, "PLAINTEXT")) {
				continue
			}
		}
		variable(pass, who, name, e.Get("Value"))
	}
}

// variable reports an environment variable holding a literal secret.
func variable(pass *analysis.Pass, who, name string, v *cfn.Node) {
	value, ok := literal(v)
	if !ok {
		return
	}
	if kind := credentialValue(value); kind != "" {
		sev := rules.Medium
		if kind == "a private key" {
			sev = rules.High
		}
		rules.Report(pass, rules.Diag{
			At: v, Severity: sev, Evidence: name,
			Message: fmt.Sprintf("%s environment variable %s holds %s in plain text: it is in cdk.out and the resource's configuration; reference a Secrets Manager secret instead", who, name, kind),
		})
		return
	}
	if !secretName(name) || reference(value) {
		return
	}
	sev := rules.Medium
	if normalize(name) == "AWS_SECRET_ACCESS_KEY" {
		sev = rules.High
	}
	rules.Report(pass, rules.Diag{
		At: v, Severity: sev, Evidence: name,
		Message: fmt.Sprintf("%s environment variable %s holds a literal value: a secret in the template is in cdk.out and the resource's configuration; pass a Secrets Manager secret's ARN or a dynamic reference instead", who, name),
	})
}

// authentication reports literal credentials of
// AWS::CloudFormation::Authentication metadata.
func authentication(pass *analysis.Pass, r *stackmodel.Resource) {
	auth := r.Node.Path("Metadata", "AWS::CloudFormation::Authentication")
	if auth == nil || auth.Kind != cfn.Object {
		return
	}
	for i, block := range auth.Vals {
		for _, field := range []string{"secretKey", "password", "accessKeyId"} {
			n := block.GetFold(field)
			value, ok := literal(n)
			if !ok || strings.Contains(value, "{{resolve:") {
				continue
			}
			sev := rules.Medium
			switch field {
			case "secretKey":
				sev = rules.High
			case "accessKeyId":
				// A key id alone is half a credential: report it when its
				// secret is not a literal (that one is reported instead).
				if _, lit := literal(block.GetFold("secretKey")); lit {
					continue
				}
			}
			rules.Report(pass, rules.Diag{
				At: n, Severity: sev, Evidence: auth.Keys[i] + "." + field,
				Message: fmt.Sprintf("resource %s has a literal %s in AWS::CloudFormation::Authentication %q: use roleName (an instance profile role) or a NoEcho parameter instead of credentials in the template",
					r.Name(), field, auth.Keys[i]),
			})
		}
	}
}

// literal returns the text of a non-empty string literal (an Fn::Join or
// Fn::Sub of literals counts); numbers, booleans and intrinsics with
// unresolved parts are not literals.
func literal(n *cfn.Node) (string, bool) {
	if n == nil || n.Kind == cfn.Number || n.Kind == cfn.Bool {
		return "", false
	}
	text, known := cfn.Sym(n)
	if !known || strings.TrimSpace(text) == "" {
		return "", false
	}
	return text, true
}

// normalize upper-cases a variable name and turns - and . into _.
func normalize(name string) string {
	return strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToUpper(name))
}

// secretWords make a variable name look like it holds a secret.
var secretWords = []string{"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "API_KEY", "APIKEY", "PRIVATE_KEY", "SECRET_KEY", "ACCESS_TOKEN", "AUTH_TOKEN", "CLIENT_SECRET", "SIGNING_KEY"}

// referenceSuffixes make a variable name hold a reference to a secret, or
// a setting about it, rather than the secret.
var referenceSuffixes = []string{
	"_ARN", "_NAME", "_ID", "_PARAM", "_PARAMETER", "_PATH", "_REF", "_SSM", "_URL", "_URI",
	"_ENDPOINT", "_FILE", "_LOCATION", "_HEADER", "_FIELD", "_REGION", "_TTL", "_LENGTH",
	"_EXPIRY", "_EXPIRATION", "_TIMEOUT", "_ENABLED", "_POLICY", "_TYPE", "_MODE", "_VERSION",
	"_KEY_ID", "_PREFIX", "_BUCKET", "_TABLE", "_QUEUE", "_TOPIC", "_STAGE", "_KMS_KEY",
}

// secretName reports whether a variable name says it holds a secret.
func secretName(name string) bool {
	n := normalize(name)
	for _, s := range referenceSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	if n == "TOKEN" || strings.HasSuffix(n, "_TOKEN") {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

var (
	secretNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)+$`)
	userinfoRe   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*:([^/@\s]+)@`)
)

// reference reports whether a value names a secret rather than being one:
// a dynamic reference, an ARN, a parameter path, a secret name, a URL
// without credentials, a number, a boolean or a placeholder.
func reference(v string) bool {
	t := strings.TrimSpace(v)
	lower := strings.ToLower(t)
	switch {
	case strings.Contains(t, "{{resolve:"), strings.HasPrefix(t, "arn:"), strings.HasPrefix(t, "/"):
		return true
	case strings.Contains(t, "://"):
		return !userinfoRe.MatchString(t)
	case secretNameRe.MatchString(t):
		return true
	case strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">"):
		return true
	}
	switch lower {
	case "true", "false", "yes", "no", "none", "null", "enabled", "disabled":
		return true
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return true
	}
	return false
}

// credentialPatterns recognise credentials by their shape.
var credentialPatterns = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`-----BEGIN ([A-Z]+ )?PRIVATE KEY-----`), "a private key"},
	{regexp.MustCompile(`^(AKIA|ASIA)[0-9A-Z]{16}$`), "an AWS access key id"},
	{regexp.MustCompile(`^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}$|^github_pat_[A-Za-z0-9_]{22,}$`), "a GitHub token"},
	{regexp.MustCompile(`^xox[abprs]-[A-Za-z0-9-]{10,}$`), "a Slack token"},
	{regexp.MustCompile(`^(sk|rk)_live_[A-Za-z0-9]{16,}$`), "a Stripe secret key"},
}

// credentialValue says what credential a value is by its shape, or "".
func credentialValue(v string) string {
	t := strings.TrimSpace(v)
	for _, p := range credentialPatterns {
		if p.re.MatchString(t) {
			return p.kind
		}
	}
	if m := userinfoRe.FindStringSubmatch(t); m != nil && !strings.ContainsAny(m[1], "${}<>*") {
		return "a URL with an embedded password"
	}
	return ""
}
