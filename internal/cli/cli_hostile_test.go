package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Hostile and broken input through the whole CLI (issue 7 part 3): every
// case exits per INTEGRATION.md S-4 (2 for a load error, which wins over
// findings), names the file (and line where known) on stderr and in the
// JSON errors, never panics (exit 3), stays within bounded memory, and
// still reports the good stack beside the bad input. The loader's own
// tests (loader/badinput_test.go) check the messages in more detail.

// hostileGood is a good template with one finding (IAM011, administrator
// access), so a case shows that the good stack is still analyzed.
const hostileGood = `{
 "Resources": {
  "Admin": {
   "Type": "AWS::IAM::Policy",
   "Properties": {
    "PolicyName": "admin",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    "Roles": ["r"]
   }
  }
 }
}`

// hostileReport is the part of the JSON report the tests read.
type hostileReport struct {
	Stacks []struct {
		ArtifactID string `json:"artifactId"`
	} `json:"stacks"`
	Findings []struct {
		RuleID   string `json:"ruleId"`
		Message  string `json:"message"`
		Resource struct {
			LogicalID string `json:"logicalId"`
		} `json:"resource"`
		Stack struct {
			ArtifactID string `json:"artifactId"`
		} `json:"stack"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (r *hostileReport) stackIDs() []string {
	var out []string
	for _, s := range r.Stacks {
		out = append(out, s.ArtifactID)
	}
	return out
}

func (r *hostileReport) findingsOn(stack string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Stack.ArtifactID == stack {
			n++
		}
	}
	return n
}

func stackArtifact(templateFile string) map[string]any {
	return map[string]any{"type": "aws:cloudformation:stack", "properties": map[string]any{"templateFile": templateFile}}
}

func manifestJSON(t *testing.T, artifacts map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"version": "36.0.0", "artifacts": artifacts}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// maxAlloc bounds what one hostile run may allocate: the inputs are a few
// kilobytes (the oversized template is never read), so a run that
// allocates more expanded something it should not have.
const maxAlloc = 64 << 20

// TestHostileInputCLI: a cloud assembly with the good stack and one
// hostile input each.
func TestHostileInputCLI(t *testing.T) {
	type tc struct {
		name string
		// setup writes the bad input into the temporary root (the
		// assembly is root/cdk.out, the good template already in it) and
		// returns the extra manifest artifacts and any extra CLI
		// arguments. A nil artifacts map means the case wrote its own
		// manifest.
		setup func(t *testing.T, root, asm string) (artifacts map[string]any, args []string)
		// The expected exit code, the file the error names (relative to
		// root), its line (0: none expected) and a message fragment.
		code     int
		errFile  string
		line     int
		msg      string
		good     bool     // the good stack is reported with its finding
		stacks   []string // the stacks listed, when checked
		noErrors bool
	}
	bad := func(file, content string) func(t *testing.T, root, asm string) (map[string]any, []string) {
		return func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, asm, map[string]string{file: content})
			return map[string]any{"Bad": stackArtifact(file)}, nil
		}
	}
	tests := []tc{
		{name: "truncated JSON", setup: bad("bad.template.json", "{\n \"Resources\": {\n  \"R\": {\"Type\": \"AWS::IAM::Role\""),
			code: 2, errFile: "cdk.out/bad.template.json", line: 3, msg: "unexpected end of input", good: true},
		{name: "empty template", setup: bad("bad.template.json", ""),
			code: 2, errFile: "cdk.out/bad.template.json", line: 1, msg: "empty document", good: true},
		{name: "JSON array template", setup: bad("bad.template.json", "[\n {\"Resources\": {}}\n]"),
			code: 2, errFile: "cdk.out/bad.template.json", line: 1, msg: "not an object", good: true},
		{name: "JSON string template", setup: bad("bad.template.json", `"Resources"`),
			code: 2, errFile: "cdk.out/bad.template.json", line: 1, msg: "not an object", good: true},
		{name: "Resources not an object", setup: bad("bad.template.json", "{\n \"Resources\": 42\n}"),
			code: 2, errFile: "cdk.out/bad.template.json", line: 2, msg: "Resources is a number", good: true},
		{name: "duplicate keys JSON", setup: bad("bad.template.json", "{\n \"Resources\": {\n  \"R\": {\"Type\": \"AWS::SQS::Queue\"},\n  \"R\": {\"Type\": \"AWS::IAM::Role\"}\n }\n}"),
			code: 2, errFile: "cdk.out/bad.template.json", line: 4, msg: `duplicate key "R"`, good: true},
		{name: "duplicate keys YAML", setup: bad("bad.template.yaml", "Resources:\n  R:\n    Type: AWS::SQS::Queue\n  R:\n    Type: AWS::IAM::Role\n"),
			code: 2, errFile: "cdk.out/bad.template.yaml", line: 4, msg: `duplicate key "R"`, good: true},
		{name: "invalid UTF-8 JSON", setup: bad("bad.template.json", "{\n \"Resources\": {\"R\xff\xfe\": {}}\n}"),
			code: 2, errFile: "cdk.out/bad.template.json", line: 2, msg: "invalid UTF-8", good: true},
		{name: "invalid UTF-8 YAML", setup: bad("bad.template.yaml", "Resources:\n  R\xc3: {}\n"),
			code: 2, errFile: "cdk.out/bad.template.yaml", line: 2, msg: "invalid UTF-8", good: true},
		{name: "extreme nesting JSON", setup: bad("bad.template.json", "{\"Resources\": "+strings.Repeat("[", 1_000_000)),
			code: 2, errFile: "cdk.out/bad.template.json", line: 1, msg: "nesting deeper than", good: true},
		{name: "extreme nesting YAML", setup: bad("bad.template.yaml", "Resources: "+strings.Repeat("{a: ", 200_000)),
			code: 2, errFile: "cdk.out/bad.template.yaml", msg: "depth", good: true},
		{name: "YAML alias bomb", setup: bad("bad.template.yaml", aliasBomb()),
			code: 2, errFile: "cdk.out/bad.template.yaml", msg: "alias", good: true},
		{name: "template over --max-template-size", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, asm, map[string]string{"big.template.json": hostileGood + strings.Repeat(" ", 4096)})
			return map[string]any{"Big": stackArtifact("big.template.json")}, []string{"--max-template-size", "4096"}
		}, code: 2, errFile: "cdk.out/big.template.json", msg: "over the 4096-byte limit (--max-template-size)", good: true},
		{name: "template over the default 32 MB limit", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			// A sparse file: the size check must come before any read.
			p := filepath.Join(asm, "huge.template.json")
			writeTree(t, asm, map[string]string{"huge.template.json": "{"})
			if err := os.Truncate(p, 32<<20+1); err != nil {
				t.Skip(err)
			}
			return map[string]any{"Huge": stackArtifact("huge.template.json")}, nil
		}, code: 2, errFile: "cdk.out/huge.template.json", msg: "over the 33554432-byte limit", good: true},
		{name: "manifest path with ..", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, root, map[string]string{"outside.template.json": hostileGood})
			return map[string]any{"Up": stackArtifact("../outside.template.json")}, nil
		}, code: 2, errFile: "cdk.out/manifest.json", msg: "leaves the cloud assembly", good: true, stacks: []string{"Good"}},
		{name: "manifest absolute path", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, root, map[string]string{"outside.template.json": hostileGood})
			return map[string]any{"Abs": stackArtifact(filepath.Join(root, "outside.template.json"))}, nil
		}, code: 2, errFile: "cdk.out/manifest.json", msg: "is absolute", good: true, stacks: []string{"Good"}},
		{name: "manifest symlink leaving the assembly", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, root, map[string]string{"outside.template.json": hostileGood})
			if err := os.Symlink(filepath.Join(root, "outside.template.json"), filepath.Join(asm, "link.template.json")); err != nil {
				t.Skip(err)
			}
			return map[string]any{"Link": stackArtifact("link.template.json")}, nil
		}, code: 2, errFile: "cdk.out/manifest.json", msg: "resolves outside the cloud assembly (symlink)", good: true, stacks: []string{"Good"}},
		{name: "manifest names a missing template", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			return map[string]any{"Gone": stackArtifact("gone.template.json")}, nil
		}, code: 2, errFile: "cdk.out/manifest.json", msg: `"gone.template.json" does not exist`, good: true, stacks: []string{"Good"}},
		{name: "malformed manifest", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			// The assembly cannot be read at all; a template given
			// beside it still is.
			writeTree(t, asm, map[string]string{"manifest.json": "{\n \"artifacts\": {\n  \"Good\": {\"type\": \"aws:cloudformation:stack\",,}\n }\n}"})
			writeTree(t, root, map[string]string{"Plain.template.json": hostileGood})
			return nil, []string{filepath.Join(root, "Plain.template.json")}
		}, code: 2, errFile: "cdk.out/manifest.json", line: 3, msg: "invalid character", stacks: []string{"Plain"}},
		{name: "Stage assembly pointing at itself", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			return map[string]any{"Self": map[string]any{"type": "cdk:cloud-assembly", "properties": map[string]any{"directoryName": "."}}}, nil
		}, code: 2, errFile: "cdk.out/manifest.json", msg: "cycle", good: true, stacks: []string{"Good"}},
		{name: "nested stacks forming a cycle", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			nested := func(asset string) string {
				return `{"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"},
  "Metadata": {"aws:asset:path": "` + asset + `"}}}}`
			}
			writeTree(t, asm, map[string]string{
				"Parent.template.json":   nested("B.nested.template.json"),
				"B.nested.template.json": nested("Parent.template.json"),
			})
			return map[string]any{"Parent": stackArtifact("Parent.template.json")}, nil
		}, code: 2, errFile: "cdk.out/B.nested.template.json", line: 2, msg: "nested stacks form a cycle", good: true},
		{name: "UTF-8 BOM accepted", setup: bad("bom.template.json", "\xef\xbb\xbf"+hostileGood),
			code: 1, good: true, noErrors: true, stacks: []string{"Bad", "Good"}},
		{name: "UTF-8 BOM in the manifest accepted", setup: func(t *testing.T, root, asm string) (map[string]any, []string) {
			writeTree(t, asm, map[string]string{"manifest.json": "\xef\xbb\xbf" + manifestJSON(t, map[string]any{"Good": stackArtifact("good.template.json")})})
			return nil, nil
		}, code: 1, good: true, noErrors: true, stacks: []string{"Good"}},
	}
	// Warm up: the first run decodes the action catalogue once.
	if code, _, stderr := runCLI(t, "--fail-on", "none", writeGood(t)); code != ExitClean {
		t.Fatalf("warm-up: exit %d: %s", code, stderr)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			asm := filepath.Join(root, "cdk.out")
			writeTree(t, asm, map[string]string{"good.template.json": hostileGood})
			arts, extra := tt.setup(t, root, asm)
			if arts != nil {
				arts["Good"] = stackArtifact("good.template.json")
				writeTree(t, asm, map[string]string{"manifest.json": manifestJSON(t, arts)})
			}
			args := append([]string{"--format", "json", "--color", "never"}, extra...)
			args = append(args, asm)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			code, out, stderr := runCLI(t, args...)
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxAlloc {
				t.Errorf("the run allocated %d MB", alloc>>20)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if strings.Contains(stderr, "internal error") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr reports an internal error:\n%s", stderr)
			}
			var rep hostileReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("stdout is not the JSON report: %v\n%.300s", err, out)
			}
			if tt.good && rep.findingsOn("Good") == 0 {
				t.Errorf("the good stack is not reported: stacks %q, %d findings", rep.stackIDs(), len(rep.Findings))
			}
			if tt.stacks != nil && strings.Join(rep.stackIDs(), ",") != strings.Join(tt.stacks, ",") {
				t.Errorf("stacks %q, want %q", rep.stackIDs(), tt.stacks)
			}
			if tt.noErrors {
				if len(rep.Errors) > 0 || stderr != "" && strings.Contains(stderr, "error") {
					t.Errorf("errors %+v; stderr:\n%s", rep.Errors, stderr)
				}
				return
			}
			if len(rep.Errors) != 1 {
				t.Fatalf("errors %+v, want one; stderr:\n%s", rep.Errors, stderr)
			}
			e := rep.Errors[0]
			want := filepath.Join(root, filepath.FromSlash(tt.errFile))
			if e.File != want {
				t.Errorf("error names %q, want %q", e.File, want)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error message %q, want it to contain %q", e.Message, tt.msg)
			}
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("error at line %d, want %d (%+v)", e.Line, tt.line, e)
			}
			// stderr names the file, with the line when known.
			loc := want
			if e.Line > 0 {
				loc += ":" + strconv.Itoa(e.Line)
			}
			if !strings.Contains(stderr, "iamvet: error: "+loc) {
				t.Errorf("stderr does not name %s:\n%s", loc, stderr)
			}
		})
	}
}

func writeGood(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "good.template.json")
	writeTree(t, filepath.Dir(p), map[string]string{"good.template.json": hostileGood})
	return p
}

// TestHostileOutputFilesNotWritten: on a load error the --sarif and --json
// files are neither written nor touched (an empty upload would close every
// open alert), while stdout still carries the report.
func TestHostileOutputFilesNotWritten(t *testing.T) {
	root := t.TempDir()
	asm := filepath.Join(root, "cdk.out")
	writeTree(t, asm, map[string]string{
		"good.template.json": hostileGood,
		"bad.template.json":  "{",
		"manifest.json":      manifestJSON(t, map[string]any{"Good": stackArtifact("good.template.json"), "Bad": stackArtifact("bad.template.json")}),
	})
	sarif, js := filepath.Join(root, "out.sarif"), filepath.Join(root, "out.json")
	writeTree(t, root, map[string]string{"out.sarif": "previous"})
	code, out, stderr := runCLI(t, "--sarif", sarif, "--json", js, "--color", "never", asm)
	if code != ExitError {
		t.Fatalf("exit %d, want 2", code)
	}
	if b, _ := os.ReadFile(sarif); string(b) != "previous" {
		t.Errorf("the SARIF file was touched: %.80q", b)
	}
	if _, err := os.Stat(js); !os.IsNotExist(err) {
		t.Errorf("the JSON file was written")
	}
	if !strings.Contains(out, "IAM011") || !strings.Contains(stderr, "output files not written") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, stderr)
	}
}

// TestHostilePolicyShapes: policy documents given as JSON strings are
// read like objects; wrong shapes inside policies (Statement: 42,
// Principal: null, non-string actions, statements that are not objects)
// neither crash iamvet nor produce findings, and are not load errors.
func TestHostilePolicyShapes(t *testing.T) {
	t.Run("policy document as a JSON string", func(t *testing.T) {
		tpl := `{"Resources": {
  "Managed": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}},
  "PermSet": {"Type": "AWS::SSO::PermissionSet", "Properties": {"Name": "ops", "InstanceArn": "arn:aws:sso:::instance/ssoins-1",
    "InlinePolicy": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}"}},
  "Scoped": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"arn:aws:sqs:us-east-1:111111111111:q\"}]}"}}
}}`
		rep, code, stderr := runTemplate(t, tpl)
		if code != ExitFindings || len(rep.Errors) > 0 {
			t.Fatalf("exit %d, errors %+v; stderr:\n%s", code, rep.Errors, stderr)
		}
		on := map[string][]string{}
		for _, f := range rep.Findings {
			on[f.Resource.LogicalID] = append(on[f.Resource.LogicalID], f.RuleID)
		}
		for _, id := range []string{"Managed", "PermSet"} {
			if !contains(on[id], "IAM011") {
				t.Errorf("%s: findings %q, want IAM011 (administrator access in a string policy)", id, on[id])
			}
		}
		if len(on["Scoped"]) > 0 {
			t.Errorf("Scoped: findings %q on a scoped string policy", on["Scoped"])
		}
	})
	t.Run("wrong shapes", func(t *testing.T) {
		// Shapes IAM would reject are "Problems" of the policy model,
		// never guessed at: a null principal is not "*", an object or a
		// nested list is not an action, Statement: 42 grants nothing.
		tpl := `{"Resources": {
  "StatementNumber": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["r"],
    "PolicyDocument": {"Version": "2012-10-17", "Statement": 42}}},
  "StatementsNotObjects": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": ["r"],
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [42, "x", null, true, []]}}},
  "DocumentNumber": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": 7}},
  "DocumentNull": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": null}},
  "DocumentBadString": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": "{not json"}},
  "NonStringActions": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [null, {"s3:*": 1}, ["s3:*"], ["*"]], "Resource": "*"}]}}},
  "ScalarActions": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [1, 2.5, true], "Resource": "arn:aws:s3:::b/*"}]}}},
  "ActionObject": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": {"a": "*"}, "Resource": {"a": 1}}]}}},
  "EffectWrong": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": 1, "Action": "*", "Resource": "*"}]}}},
  "TrustPrincipalNull": {"Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": null, "Action": "sts:AssumeRole"}]}}},
  "TrustPrincipalShapes": {"Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": [null, {"x": "*"}, ["*"]]}, "Action": "sts:AssumeRole"}]},
    "Policies": 42}},
  "TrustPrincipalNumber": {"Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": 1}, "Action": "sts:AssumeRole"}]}}},
  "RolePoliciesWrong": {"Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
    "Policies": [42, null, {"PolicyName": 7, "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": {}, "Resource": []}}}],
    "ManagedPolicyArns": [null, 3, {"Fn::Join": 5}]}},
  "Bucket": {"Type": "AWS::S3::Bucket"},
  "BucketPolicyPrincipalNull": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"},
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": null, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}},
  "BucketPolicyConditionWrong": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"},
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": {"o": 1}}}}]}}},
  "PropertiesWrong": {"Type": "AWS::IAM::Policy", "Properties": 5},
  "TypeWrong": {"Type": 5},
  "ResourceNotObject": 42
}}`
		rep, code, stderr := runTemplate(t, tpl)
		if len(rep.Errors) > 0 {
			t.Errorf("errors %+v; stderr:\n%s", rep.Errors, stderr)
		}
		// The only findings are about the values that are really there:
		// numbers and booleans are not service:action names (IAM058), a
		// 1-digit number is not an account id (IAM061).
		want := map[string]int{"IAM058 ScalarActions": 3, "IAM061 TrustPrincipalNumber": 1}
		got := map[string]int{}
		for _, f := range rep.Findings {
			got[f.RuleID+" "+f.Resource.LogicalID]++
		}
		for _, f := range rep.Findings {
			t.Logf("%s %s: %s", f.RuleID, f.Resource.LogicalID, f.Message)
		}
		for k, n := range got {
			if want[k] != n {
				t.Errorf("%d findings %s, want %d", n, k, want[k])
			}
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("%d findings %s, want %d", got[k], k, n)
			}
		}
		if code != ExitFindings {
			t.Errorf("exit %d, want 1", code)
		}
		if len(rep.Stacks) != 1 {
			t.Errorf("stacks %q", rep.stackIDs())
		}
	})
}

// runTemplate runs the CLI on one plain template and decodes its JSON
// report.
func runTemplate(t *testing.T, tpl string) (*hostileReport, int, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "Shapes.template.json")
	writeTree(t, dir, map[string]string{"Shapes.template.json": tpl})
	code, out, stderr := runCLI(t, "--format", "json", "--color", "never", p)
	if strings.Contains(stderr, "internal error") {
		t.Fatalf("internal error (exit %d):\n%s", code, stderr)
	}
	var rep hostileReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%.300s", err, out)
	}
	return &rep, code, stderr
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
