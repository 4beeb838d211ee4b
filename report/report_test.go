package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func noRun(*analysis.Pass) (any, error) { return nil, nil }

// Test rules use ids in the IAM9xx range and are never registered.
var (
	ruleAdmin = &rules.Rule{
		Slug: "test-admin-access", Severity: rules.Critical, Precision: "very-high", Since: "v0.1.0",
		Aliases: []string{"AwsSolutions-IAM5", "CKV_AWS_62", "F3"},
		CWE:     []string{"CWE-269", "CWE-732"},
		Fix:     "List the actions the principal calls and scope them to the resources it uses.",
		Bad:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));",
		Good:    "bucket.grantRead(role);",
		Analyzer: &analysis.Analyzer{Name: "IAM901", Run: noRun, Doc: `policy grants administrator access

An Allow statement with Action "*" and Resource "*" is the
AdministratorAccess policy under another name: whoever holds it can do
anything in the account.

AWS's IAM best practices ask for least privilege <https://docs.aws.amazon.com/IAM/>.`},
	}
	ruleWildcard = &rules.Rule{
		Slug: "test-wildcard-action", Severity: rules.High, Since: "v0.1.0",
		Aliases:  []string{"AwsSolutions-IAM5"},
		CWE:      []string{"CWE-732"},
		Fix:      "Name the actions instead of a service wildcard.",
		Bad:      "new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn] })",
		Good:     "new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })",
		Analyzer: &analysis.Analyzer{Name: "IAM902", Run: noRun, Doc: "statement allows every action of a service\n\nA service wildcard such as s3:* grants actions added in future too."},
	}
	ruleTrust = &rules.Rule{
		Slug: "test-open-trust", Severity: rules.Medium, Precision: "medium", Since: "v0.1.0",
		Analyzer: &analysis.Analyzer{Name: "IAM903", Run: noRun, Doc: "trust policy lets any principal of an account assume the role"},
	}
	ruleUnused = &rules.Rule{ // enabled, no findings: still described
		Slug: "test-unused", Severity: rules.Low, Since: "v0.1.0",
		Analyzer: &analysis.Analyzer{Name: "IAM904", Run: noRun, Doc: "rule with no findings in the fixture\n\nStill listed in SARIF."},
	}
)

const repo = "/repo"

var (
	apiStack = rules.StackRef{
		ArtifactID: "ApiStack", DisplayName: "ApiStack",
		TemplatePath: "/repo/app/cdk.out/ApiStack.template.json", RelPath: "ApiStack.template.json", Root: "/repo/app/cdk.out",
	}
	dataStack = rules.StackRef{
		Assembly: "assembly-Prod", ArtifactID: "ProdDataStack1A2B3C4D", DisplayName: "Prod/DataStack",
		TemplatePath: "/repo/app/cdk.out/assembly-Prod/ProdDataStack1A2B3C4D.template.json",
		RelPath:      "assembly-Prod/ProdDataStack1A2B3C4D.template.json", Root: "/repo/app/cdk.out",
	}
	// A template outside the repository root, with a space in its name.
	extStack = rules.StackRef{
		ArtifactID: "Ext Stack", DisplayName: "Ext Stack",
		TemplatePath: "/opt/elsewhere/cdk.out/Ext Stack.template.json", RelPath: "Ext Stack.template.json", Root: "/opt/elsewhere/cdk.out",
	}
	cleanStack = rules.StackRef{
		ArtifactID: "CleanStack", DisplayName: "CleanStack",
		TemplatePath: "/repo/app/cdk.out/CleanStack.template.json", RelPath: "CleanStack.template.json", Root: "/repo/app/cdk.out",
	}
)

func loc(path string, l, c, el, ec int) rules.Location {
	return rules.Location{Path: path, StartLine: l, StartColumn: c, EndLine: el, EndColumn: ec}
}

// sourceFixture is fixture() after source resolution (internal/srcloc):
// the critical finding points at its CDK source line with the stack's
// creation in the app entry as a parent frame, the first high finding's
// template is in the repository but untracked (generated), and the second
// points at the app entry line naming its stage (app).
func sourceFixture() *Input {
	in := fixture()
	admin := in.Findings[0]
	admin.Source = &rules.Location{Path: "/repo/app/lib/api-stack.ts", StartLine: 42, StartColumn: 5, EndLine: 42, EndColumn: 61}
	admin.LocationSource = "source"
	admin.Frames = []rules.Location{
		{Path: "/repo/app/bin/app.ts", StartLine: 8, StartColumn: 1, EndLine: 8, EndColumn: 38, Message: "creates ApiStack (construct trace)"},
	}
	in.Findings[1].LocationSource = "generated"
	data := in.Findings[2]
	data.Source = &rules.Location{Path: "/repo/app/bin/app.ts", StartLine: 12, StartColumn: 1, EndLine: 12, EndColumn: 41}
	data.LocationSource = "app"
	in.Notifications = nil
	return in
}

// fixture is a small hand-built run: findings sorted as the driver sorts
// them (severity, rule id, assembly, stack, construct path, pointer).
func fixture() *Input {
	fs := []*rules.Finding{
		{
			Rule: ruleAdmin, Severity: rules.Critical, Stack: apiStack,
			Message:   `role HandlerServiceRole allows every action ("*") on every resource: administrator access`,
			LogicalID: "HandlerServiceRoleDefaultPolicy1234", ResourceType: "AWS::IAM::Policy",
			ConstructPath: "ApiStack/Handler/ServiceRole/DefaultPolicy/Resource",
			JSONPointer:   "/Resources/HandlerServiceRoleDefaultPolicy1234/Properties/PolicyDocument/Statement/0/Action",
			Template:      loc(apiStack.TemplatePath, 118, 21, 118, 24),
			Related: []rules.Location{
				{Path: apiStack.TemplatePath, StartLine: 40, StartColumn: 9, EndLine: 40, EndColumn: 30, Message: "trust policy of role HandlerServiceRole [lambda.amazonaws.com]"},
			},
			Evidence: "*", Fingerprint: "v1:0123456789abcdef0123456789abcdef",
		},
		{
			Rule: ruleWildcard, Severity: rules.High, Stack: apiStack,
			Message:   `policy HandlerServiceRoleDefaultPolicy1234 statement 1 allows every s3 action ("s3:*") on bucket <Uploads>`,
			LogicalID: "HandlerServiceRoleDefaultPolicy1234", ResourceType: "AWS::IAM::Policy",
			ConstructPath: "ApiStack/Handler/ServiceRole/DefaultPolicy/Resource",
			JSONPointer:   "/Resources/HandlerServiceRoleDefaultPolicy1234/Properties/PolicyDocument/Statement/1/Action",
			Template:      loc(apiStack.TemplatePath, 131, 21, 131, 27),
			Evidence:      "s3:*", Fingerprint: "v1:11111111111111111111111111111111",
		},
		{
			Rule: ruleWildcard, Severity: rules.High, Stack: dataStack,
			Message:   `role ExportRole allows every dynamodb action ("dynamodb:*") on table Orders`,
			LogicalID: "ExportRoleDefaultPolicyABCD", ResourceType: "AWS::IAM::Policy",
			ConstructPath: "Prod/DataStack/ExportRole/DefaultPolicy/Resource",
			JSONPointer:   "/Resources/ExportRoleDefaultPolicyABCD/Properties/PolicyDocument/Statement/0/Action",
			Template:      loc(dataStack.TemplatePath, 57, 19, 57, 31),
			Evidence:      "dynamodb:*", Fingerprint: "v1:22222222222222222222222222222222",
		},
		{
			Rule: ruleTrust, Severity: rules.Medium, Stack: extStack,
			Message:   "role DeployRole trusts every principal of account 123456789012 (arn:aws:iam::123456789012:root) without a condition",
			LogicalID: "DeployRole", ResourceType: "AWS::IAM::Role",
			// No construct path (a plain template) and no fingerprint:
			// the report derives one.
			JSONPointer: "/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS",
			Template:    loc(extStack.TemplatePath, 12, 1, 12, 1),
			Evidence:    "arn:aws:iam::123456789012:root",
		},
		{
			Rule: ruleWildcard, Severity: rules.Low, Stack: apiStack,
			Message:   `role LogRetentionServiceRole allows every logs action ("logs:*") on every resource`,
			LogicalID: "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicyADDA7DEB", ResourceType: "AWS::IAM::Policy",
			ConstructPath: "ApiStack/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/ServiceRole/DefaultPolicy/Resource",
			JSONPointer:   "/Resources/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicyADDA7DEB/Properties/PolicyDocument/Statement/0/Action",
			Template:      loc(apiStack.TemplatePath, 201, 15, 201, 23),
			CDKInternal:   true, InternalNote: "CDK-internal construct LogRetention (log retention handler generated by aws-cdk-lib)",
			Evidence: "logs:*", Fingerprint: "v1:33333333333333333333333333333333",
		},
	}
	sup := []*rules.Finding{{
		Rule: ruleAdmin, Severity: rules.Critical, Stack: apiStack,
		Message:   `role AdminRole allows every action ("*") on every resource: administrator access`,
		LogicalID: "AdminRole1234", ResourceType: "AWS::IAM::Role",
		ConstructPath: "ApiStack/AdminRole/Resource",
		JSONPointer:   "/Resources/AdminRole1234/Properties/Policies/0/PolicyDocument/Statement/0/Action",
		Template:      loc(apiStack.TemplatePath, 77, 17, 77, 20),
		Suppressed:    &rules.Suppression{Kind: "cdk-nag", ID: "AwsSolutions-IAM5", Reason: "break-glass role, reviewed by security"},
		Evidence:      "*", Fingerprint: "v1:44444444444444444444444444444444",
	}}
	return &Input{
		Tool:          Tool{Name: "iamvet", Version: "0.1.0", InformationURI: "https://github.com/iamvet/iamvet"},
		Rules:         []*rules.Rule{ruleTrust, ruleAdmin, ruleUnused, ruleWildcard}, // unsorted on purpose
		Findings:      fs,
		Suppressed:    sup,
		Stacks:        []rules.StackRef{apiStack, cleanStack, dataStack, extStack},
		FailOn:        rules.High,
		RepoRoot:      repo,
		Notifications: []string{"no construct traces in cdk.out; run `cdk synth --debug` to map findings to source"},
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./report -update and review the diff):\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines, different bytes)"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func write(t *testing.T, fn func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	// Same input, same bytes.
	var again bytes.Buffer
	if err := fn(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("output differs between two writes of the same input")
	}
	return buf.Bytes()
}

func TestBlocking(t *testing.T) {
	in := fixture()
	for _, tc := range []struct {
		failOn rules.Severity
		want   int
	}{{0, 0}, {rules.Critical, 1}, {rules.High, 3}, {rules.Medium, 4}, {rules.Low, 5}} {
		in.FailOn = tc.failOn
		if got := Blocking(in); got != tc.want {
			t.Errorf("Blocking(fail-on %s) = %d, want %d", tc.failOn, got, tc.want)
		}
	}
}

func TestMissingRule(t *testing.T) {
	in := fixture()
	in.Findings = append(in.Findings, &rules.Finding{Message: "no rule"})
	for name, fn := range map[string]func() error{
		"json":     func() error { return WriteJSON(&bytes.Buffer{}, in) },
		"sarif":    func() error { return WriteSARIF(&bytes.Buffer{}, in) },
		"terminal": func() error { return WriteTerminal(&bytes.Buffer{}, in, TerminalOptions{}) },
	} {
		if fn() == nil {
			t.Errorf("%s: a finding without a rule was accepted", name)
		}
	}
}

func TestPaths(t *testing.T) {
	p := newPaths("/repo")
	p.cwd = "/work/here"
	for _, tc := range []struct {
		path, rel string
		inRoot    bool
	}{
		{"/repo/app/cdk.out/A.template.json", "app/cdk.out/A.template.json", true},
		{"/repo", "repo", false}, // the root itself is not a file in it
		{"/work/here/cdk.out/B.json", "cdk.out/B.json", false},
		{"/opt/x/cdk.out/C D.json", "cdk.out/C D.json", false},
		{"/C.json", "C.json", false},
	} {
		r := p.rel(tc.path)
		if r.rel != tc.rel || r.inRoot != tc.inRoot {
			t.Errorf("rel(%q) = %q, %v; want %q, %v", tc.path, r.rel, r.inRoot, tc.rel, tc.inRoot)
		}
		if escapes(r.rel) {
			t.Errorf("rel(%q) = %q escapes", tc.path, r.rel)
		}
	}
}

func TestPathsSymlinkedRoot(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(filepath.Join(real, "cdk.out"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(real, "cdk.out", "S.template.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	r := newPaths(link).rel(file)
	if r.rel != "cdk.out/S.template.json" || !r.inRoot {
		t.Errorf("rel through symlinked root = %q, %v", r.rel, r.inRoot)
	}
}

func TestURIEncode(t *testing.T) {
	for in, want := range map[string]string{
		"cdk.out/Api.template.json":   "cdk.out/Api.template.json",
		"cdk.out/My Stack.json":       "cdk.out/My%20Stack.json",
		"a:b/c%d#e?f.json":            "a%3Ab/c%25d%23e%3Ff.json",
		"cdk.out/Stäck.template.json": "cdk.out/St%C3%A4ck.template.json",
	} {
		if got := uriEncode(in); got != want {
			t.Errorf("uriEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegion(t *testing.T) {
	for _, tc := range []struct {
		in   rules.Location
		want region
	}{
		{loc("x", 3, 5, 3, 9), region{3, 5, 3, 9}},
		{loc("x", 0, 0, 0, 0), region{1, 1, 1, 2}},
		{loc("x", 12, 1, 12, 1), region{12, 1, 12, 2}},
		{loc("x", 4, 7, 2, 1), region{4, 7, 4, 8}},
		{loc("x", 4, 7, 6, 2), region{4, 7, 6, 2}},
	} {
		if got := regionOf(tc.in); got != tc.want {
			t.Errorf("regionOf(%+v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.sarif")
	// A longer existing file must not leave trailing bytes (go-sarif's
	// WriteFile bug, F-4.3).
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("short\n")); return err }); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "short\n" {
		t.Fatalf("content = %q", got)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want the existing file's 0600", st.Mode().Perm())
	}
	// A failing writer leaves the target untouched and no temporary file.
	err := WriteFileAtomic(path, func(w io.Writer) error {
		_, _ = w.Write([]byte("partial"))
		return os.ErrInvalid
	})
	if err == nil {
		t.Fatal("error from write was lost")
	}
	got, _ = os.ReadFile(path)
	if string(got) != "short\n" {
		t.Fatalf("target changed after a failed write: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftover files: %v", entries)
	}
	// A new file gets 0644.
	fresh := filepath.Join(dir, "new.json")
	if err := WriteFileAtomic(fresh, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v", st.Mode().Perm())
	}
	// A missing directory is an error, not a panic.
	if WriteFileAtomic(filepath.Join(dir, "missing", "x.json"), func(w io.Writer) error { return nil }) == nil {
		t.Error("write into a missing directory succeeded")
	}
}

func TestColorEnabled(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	if !ColorEnabled("always", f) {
		t.Error("always: off")
	}
	if ColorEnabled("never", f) {
		t.Error("never: on")
	}
	if ColorEnabled("auto", f) {
		t.Error("auto: on for a regular file")
	}
	if ColorEnabled("auto", nil) {
		t.Error("auto: on for nil")
	}
	t.Setenv("NO_COLOR", "1")
	if !ColorEnabled("always", f) {
		t.Error("always must win over NO_COLOR")
	}
}
