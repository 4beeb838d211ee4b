package loader

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
)

var corpusApps = []struct {
	app    string
	stacks []string // in load order
}{
	{"a-least-privilege", []string{"OrdersService"}},
	{"b-iam-users", []string{"Identity"}},
	{"c-wildcards", []string{"PlatformAutomation"}},
	{"d-mfa", []string{"AccessControl"}},
	{"e-trust-policies", []string{"TrustPolicies"}},
	{"f-managed-admin", []string{"AccessRoles"}},
	{"h-resource-policies", []string{"SharedResources"}},
	{"j-multistage-nested", []string{
		"Tooling", "Dev/Service", "Dev/SharedIam", "Prod/Service", "Prod/SharedIam",
		"Tooling/Artifacts", "Dev/SharedIam/Audit", "Prod/SharedIam/Audit",
		"Tooling/Artifacts/Signing",
	}},
	{"k-cdk-internal-noise", []string{"StaticSite"}},
	{"l-nag-suppressions", []string{"Ingest"}},
}

func TestCorpusLoads(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(corpusDir, "*", "cdk.out"))
	if len(dirs) != len(corpusApps) {
		t.Errorf("corpus has %d apps, the table %d", len(dirs), len(corpusApps))
	}
	for _, tt := range corpusApps {
		t.Run(tt.app, func(t *testing.T) {
			dir := filepath.Join(corpusDir, tt.app, "cdk.out")
			r := Load([]string{dir}, Options{})
			if len(r.Errors) > 0 {
				t.Errorf("errors: %q", errorStrings(r))
			}
			if got := stackNames(r); !reflect.DeepEqual(got, tt.stacks) {
				t.Errorf("stacks = %q, want %q", got, tt.stacks)
			}
			checkStacks(t, r)
			// Every template file in the assembly is loaded exactly once.
			var files []string
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if d.IsDir() && strings.HasPrefix(d.Name(), "asset.") {
					return filepath.SkipDir
				}
				if strings.HasSuffix(p, ".template.json") {
					abs, _ := filepath.Abs(p)
					files = append(files, abs)
				}
				return nil
			})
			var loaded []string
			for _, s := range r.Stacks {
				loaded = append(loaded, s.TemplatePath)
				if want := filepath.Join(s.Root, filepath.FromSlash(s.RelPath)); !sameFile(want, s.TemplatePath) {
					t.Errorf("%s: Root/RelPath %s is not TemplatePath %s", s.Name(), want, s.TemplatePath)
				}
			}
			sort.Strings(files)
			sort.Strings(loaded)
			if !reflect.DeepEqual(loaded, files) {
				t.Errorf("loaded templates\n%q\nwant\n%q", loaded, files)
			}
			// Same input, same order.
			if again := stackNames(Load([]string{dir}, Options{})); !reflect.DeepEqual(again, stackNames(r)) {
				t.Errorf("second load order %q", again)
			}
		})
	}
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func TestMultiStageNested(t *testing.T) {
	r := Load([]string{filepath.Join(corpusDir, "j-multistage-nested", "cdk.out")}, Options{})
	by := map[string]*Stack{}
	for _, s := range r.Stacks {
		by[s.Name()] = s
	}
	tests := []struct {
		name                                                string
		artifact, assembly, rel, parent, parentLID, env, cp string
	}{
		{"Tooling", "Tooling", "", "Tooling.template.json", "", "", "aws://777777777777/us-east-1", "Tooling"},
		{"Dev/SharedIam", "DevSharedIam0A3AB05E", "assembly-Dev", "assembly-Dev/DevSharedIam0A3AB05E.template.json", "", "", "aws://111111111111/us-east-1", "Dev/SharedIam"},
		{"Prod/Service", "ProdServiceC810982D", "assembly-Prod", "assembly-Prod/ProdServiceC810982D.template.json", "", "", "aws://888888888888/us-east-1", "Prod/Service"},
		{"Tooling/Artifacts", "ToolingArtifactsEAF2CF63", "", "ToolingArtifactsEAF2CF63.nested.template.json", "Tooling",
			"ArtifactsNestedStackArtifactsNestedStackResourceE6FE2EE6", "aws://777777777777/us-east-1", "Tooling/Artifacts"},
		{"Tooling/Artifacts/Signing", "ToolingArtifactsSigning5D21A472", "", "ToolingArtifactsSigning5D21A472.nested.template.json",
			"ToolingArtifactsEAF2CF63", "SigningNestedStackSigningNestedStackResourceCD04A06E", "aws://777777777777/us-east-1", "Tooling/Artifacts/Signing"},
		{"Prod/SharedIam/Audit", "ProdSharedIamAuditA5CB5F22", "assembly-Prod", "assembly-Prod/ProdSharedIamAuditA5CB5F22.nested.template.json",
			"ProdSharedIam9FE64BE8", "AuditNestedStackAuditNestedStackResourceF69BD105", "aws://888888888888/us-east-1", "Prod/SharedIam/Audit"},
	}
	for _, tt := range tests {
		s := by[tt.name]
		if s == nil {
			t.Errorf("stack %s not loaded", tt.name)
			continue
		}
		got := []string{s.ArtifactID, s.Assembly, s.RelPath, s.Parent, s.ParentLogicalID, s.Environment, s.ConstructPath}
		want := []string{tt.artifact, tt.assembly, tt.rel, tt.parent, tt.parentLID, tt.env, tt.cp}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, want)
		}
	}
	// Two levels of nesting: Signing's parent is Artifacts, whose parent is Tooling.
	sig := by["Tooling/Artifacts/Signing"]
	if sig == nil || by["Tooling/Artifacts"] == nil || by["Tooling/Artifacts"].ArtifactID != sig.Parent || by["Tooling/Artifacts"].Parent != "Tooling" {
		t.Error("two-level nesting not recorded")
	}
	// Stage assemblies keep stacks with equal logical IDs apart.
	if a, b := by["Dev/Service"], by["Prod/Service"]; a == nil || b == nil || a.ResourcePath("OrdersFnC7735A71") == b.ResourcePath("OrdersFnC7735A71") {
		t.Error("Dev and Prod resources share a construct path")
	}
}

func TestCorpusPositions(t *testing.T) {
	r := Load([]string{filepath.Join(corpusDir, "j-multistage-nested", "cdk.out")}, Options{})
	for _, s := range r.Stacks {
		res := s.Template.Resources()
		for i, id := range res.Keys {
			// The key's line, found textually, is where the position says.
			idx := bytes.Index(s.Template.Src, []byte(`"`+id+`"`))
			wantLine := bytes.Count(s.Template.Src[:idx], []byte("\n")) + 1
			p := r.Fset.Position(s.Template.Pos(res.KeyPos[i]))
			if p.Line != wantLine || p.Filename != s.TemplatePath {
				t.Errorf("%s %s: key at %v, want line %d", s.Name(), id, p, wantLine)
			}
			v := res.Vals[i]
			if got := string(s.Template.Src[v.Start:v.End]); !strings.HasPrefix(got, "{") || !strings.HasSuffix(got, "}") {
				t.Errorf("%s %s: value span %.40q", s.Name(), id, got)
			}
		}
	}
}

func TestConstructPaths(t *testing.T) {
	tests := []struct{ app, stack, lid, path string }{
		{"j-multistage-nested", "Tooling/Artifacts", "ArtifactPublisherRoleDefaultPolicy1636DFB6", "Tooling/Artifacts/ArtifactPublisherRole/DefaultPolicy/Resource"},
		{"j-multistage-nested", "Tooling/Artifacts/Signing", "SignerRole2EE64DEC", "Tooling/Artifacts/Signing/SignerRole/Resource"},
		{"j-multistage-nested", "Tooling", "ArtifactsNestedStackArtifactsNestedStackResourceE6FE2EE6", "Tooling/Artifacts.NestedStack/Artifacts.NestedStackResource"},
		{"j-multistage-nested", "Dev/SharedIam/Audit", "AuditReaderRoleF95095E2", "Dev/SharedIam/Audit/AuditReaderRole/Resource"},
		{"j-multistage-nested", "Prod/SharedIam/Audit", "AuditReaderRoleF95095E2", "Prod/SharedIam/Audit/AuditReaderRole/Resource"},
		{"j-multistage-nested", "Prod/Service", "ImportedAppRolePolicyE1555C3E", "Prod/Service/ImportedAppRole/Policy/Resource"},
		{"k-cdk-internal-noise", "StaticSite", "CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092", "StaticSite/Custom::S3AutoDeleteObjectsCustomResourceProvider/Role"},
		{"k-cdk-internal-noise", "StaticSite", "SeedData", "StaticSite/SeedData/Default"},
		{"a-least-privilege", "OrdersService", "OrdersFnC7735A71", "OrdersService/OrdersFn/Resource"},
	}
	loaded := map[string]*Result{}
	for _, tt := range tests {
		r := loaded[tt.app]
		if r == nil {
			r = Load([]string{filepath.Join(corpusDir, tt.app, "cdk.out")}, Options{})
			loaded[tt.app] = r
		}
		var s *Stack
		for _, x := range r.Stacks {
			if x.Name() == tt.stack {
				s = x
			}
		}
		if s == nil {
			t.Errorf("%s: stack %s missing", tt.app, tt.stack)
			continue
		}
		if got := s.ResourcePath(tt.lid); got != tt.path {
			t.Errorf("%s %s: ResourcePath(%s) = %q, want %q", tt.app, tt.stack, tt.lid, got, tt.path)
		}
	}
}

func TestCorpusTracesAndMarkers(t *testing.T) {
	r := Load([]string{filepath.Join(corpusDir, "j-multistage-nested", "cdk.out")}, Options{})
	var art *Stack
	for _, s := range r.Stacks {
		if s.Name() == "Tooling/Artifacts" {
			art = s
		}
	}
	if art == nil {
		t.Fatal("Tooling/Artifacts not loaded")
	}
	m := art.Meta("Tooling/Artifacts/ArtifactPublisherRole/DefaultPolicy/Resource")
	if m == nil {
		t.Fatal("no metadata for the publisher policy")
	}
	if m.LogicalID != "ArtifactPublisherRoleDefaultPolicy1636DFB6" || m.Path != "Tooling/Artifacts/ArtifactPublisherRole/DefaultPolicy/Resource" {
		t.Errorf("meta = %+v", m)
	}
	if !contains(m.Trace, "new ArtifactsNestedStack (/home/runner/work/j-multistage-nested/j-multistage-nested/app.js:94:15)") {
		t.Errorf("trace = %q", m.Trace)
	}
	if m := art.Meta("Tooling"); m == nil || len(m.Trace) == 0 || !strings.Contains(m.Trace[0], "app.js:113:1") {
		t.Errorf("stack trace = %+v", m)
	}

	r = Load([]string{filepath.Join(corpusDir, "k-cdk-internal-noise", "cdk.out")}, Options{})
	s := r.Stacks[0]
	want := map[string][]string{
		"StaticSite/AWS679f53fac002430cb0da5b7982bd2287":                         {"aws:cdk:is-custom-resource-handler-singleton", "aws:cdk:is-custom-resource-handler-runtime-family"},
		"StaticSite/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C": {"aws:cdk:is-custom-resource-handler-singleton", "aws:cdk:is-custom-resource-handler-runtime-family"},
		"StaticSite/Custom::S3AutoDeleteObjectsCustomResourceProvider":           {"aws:cdk:is-custom-resource-handler-customResourceProvider"},
	}
	got := map[string][]string{}
	for p, m := range s.Metadata {
		if len(m.HandlerMarkers) > 0 {
			got[p] = m.HandlerMarkers
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("handler markers = %q, want %q", got, want)
	}
}

// TestMetadataSources covers the metadata forms of different CDK versions:
// manifest-inline metadata with logicalId traces (older CDK), side files
// with aws:cdk:creationStack, acknowledgements, handler markers, and the
// fallback from logical ID to construct path when a resource has no
// Metadata.aws:cdk:path.
func TestMetadataSources(t *testing.T) {
	dir := t.TempDir()
	tpl := `{"Resources": {
 "RoleABC": {"Type": "AWS::IAM::Role"},
 "PolicyDEF": {"Type": "AWS::IAM::Policy", "Metadata": {"aws:cdk:path": "App/Explicit/Path"}},
 "Shared1": {"Type": "AWS::IAM::Role"}
}}`
	side := `{
 "/App/Fn/ServiceRole/Resource": [
   {"type": "aws:cdk:logicalId", "data": "RoleABC"},
   {"type": "aws:cdk:creationStack", "data": ["new App (app.ts:10:5)", "main (app.ts:20:1)"]},
   {"type": "aws:cdk:acknowledged-rules", "data": ["AwsSolutions-IAM5"]},
   {"type": "aws:cdk:acknowledge", "data": "AwsSolutions-IAM4"}
 ],
 "/App/Provider": [
   {"type": "aws:cdk:is-custom-resource-handler-singleton", "data": true},
   {"type": "aws:cdk:is-custom-resource-handler-singleton", "data": true}
 ],
 "/Other/Shared/Resource": [{"type": "aws:cdk:logicalId", "data": "Shared1"}],
 "/App/Deep/Er/Shared/Resource": [{"type": "aws:cdk:logicalId", "data": "Shared1"}],
 "/App/Shared/Resource": [{"type": "aws:cdk:logicalId", "data": "Shared1"}]
}`
	writeFiles(t, dir, map[string]string{
		"manifest.json": manifest(t, map[string]any{
			"App": map[string]any{
				"type": "aws:cloudformation:stack", "displayName": "App", "environment": "aws://1/eu-west-1",
				"properties":             map[string]any{"templateFile": "App.template.json"},
				"additionalMetadataFile": "App.metadata.json",
				"metadata": map[string]any{
					"/App/Old/Resource": []any{map[string]any{"type": "aws:cdk:logicalId", "data": "PolicyDEF", "trace": []string{"old trace (app.js:1)"}}},
				},
			},
		}),
		"App.template.json": tpl,
		"App.metadata.json": side,
	})
	r := Load([]string{dir}, Options{})
	if len(r.Errors) > 0 || len(r.Stacks) != 1 {
		t.Fatalf("errors %q, %d stacks", errorStrings(r), len(r.Stacks))
	}
	s := r.Stacks[0]
	if s.Environment != "aws://1/eu-west-1" || s.ConstructPath != "App" {
		t.Errorf("stack = %+v", s)
	}
	for lid, want := range map[string]string{
		"RoleABC":   "App/Fn/ServiceRole/Resource", // from the side file
		"PolicyDEF": "App/Explicit/Path",           // resource metadata wins
		"Shared1":   "App/Shared/Resource",         // shallowest path under the stack's construct path
	} {
		if got := s.ResourcePath(lid); got != want {
			t.Errorf("ResourcePath(%s) = %q, want %q", lid, got, want)
		}
	}
	m := s.Meta("App/Fn/ServiceRole/Resource")
	if m == nil || !reflect.DeepEqual(m.Trace, []string{"new App (app.ts:10:5)", "main (app.ts:20:1)"}) ||
		!reflect.DeepEqual(m.Acknowledged, []string{"AwsSolutions-IAM5", "AwsSolutions-IAM4"}) {
		t.Errorf("meta = %+v", m)
	}
	if m := s.Meta("App/Old/Resource"); m == nil || m.LogicalID != "PolicyDEF" || !reflect.DeepEqual(m.Trace, []string{"old trace (app.js:1)"}) {
		t.Errorf("old-style meta = %+v", m)
	}
	if m := s.Meta("App/Provider"); m == nil || !reflect.DeepEqual(m.HandlerMarkers, []string{"aws:cdk:is-custom-resource-handler-singleton"}) {
		t.Errorf("provider meta = %+v", m)
	}
	if s.Meta("nope") != nil {
		t.Error("Meta of an unknown path")
	}
}

func TestPlainTemplateFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app.template.json": goodTemplate,
		"short.yaml": `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-x"
      Arn: !GetAtt Other.Arn
`,
	})
	r := Load([]string{filepath.Join(dir, "app.template.json"), filepath.Join(dir, "short.yaml"), filepath.Join(dir, "app.template.json")}, Options{})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %q", errorStrings(r))
	}
	if got := stackNames(r); !reflect.DeepEqual(got, []string{"app", "short"}) {
		t.Fatalf("stacks = %q", got)
	}
	checkStacks(t, r)
	a, y := r.Stacks[0], r.Stacks[1]
	if a.RelPath != "app.template.json" || !sameFile(a.Root, dir) || a.Template.Format != cfn.JSON || a.Parent != "" || a.Assembly != "" {
		t.Errorf("app = %+v", a)
	}
	if y.Template.Format != cfn.YAML {
		t.Errorf("short.yaml format = %v", y.Template.Format)
	}
	role := y.Template.Resources().Get("Role")
	if got, _ := cfn.Sym(role.Path("Properties", "Arn")); got != "${Other.Arn}" {
		t.Errorf("!GetAtt = %q", got)
	}
	if name, _, _ := role.Path("Properties", "RoleName").Intrinsic(); name != "Fn::Sub" {
		t.Errorf("!Sub = %q", name)
	}
	p := r.Fset.Position(y.Template.Pos(role.Get("Type").Start))
	if p.Line != 3 || p.Column != 11 {
		t.Errorf("Type position = %v", p)
	}
}

func TestTemplateFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.json":         goodTemplate,
		"b.yaml":         "Resources:\n  R:\n    Type: AWS::SNS::Topic\n",
		"c.yml":          "Resources: {}\n",
		"d.template":     goodTemplate,
		"notes.txt":      "not a template",
		"sub/e.json":     goodTemplate,
		"Upper.JSON":     goodTemplate,
		"x.template.yml": "Resources: {}\n",
	})
	r := Load([]string{dir}, Options{})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %q", errorStrings(r))
	}
	if got, want := stackNames(r), []string{"Upper", "a", "b", "c", "d", "x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stacks = %q, want %q", got, want)
	}
	checkStacks(t, r)
	for _, s := range r.Stacks {
		if !sameFile(s.Root, dir) || strings.Contains(s.RelPath, "/") {
			t.Errorf("%s: root %q rel %q", s.Name(), s.Root, s.RelPath)
		}
	}

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"readme.md": "x"})
	r = Load([]string{empty}, Options{})
	if len(r.Stacks) != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Msg, "no manifest.json and no templates") {
		t.Errorf("empty folder: %q", errorStrings(r))
	}
}

func TestMissingPathAndDefault(t *testing.T) {
	r := Load([]string{filepath.Join(t.TempDir(), "nope")}, Options{})
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "nope: no such file or directory") {
		t.Errorf("missing path: %q", errorStrings(r))
	}
	abs, _ := filepath.Abs(filepath.Join(corpusDir, "a-least-privilege"))
	t.Chdir(abs)
	r = Load(nil, Options{})
	if len(r.Errors) > 0 || !reflect.DeepEqual(stackNames(r), []string{"OrdersService"}) {
		t.Errorf("default ./cdk.out: %q %q", stackNames(r), errorStrings(r))
	}
	if r.Stacks[0].Root != "cdk.out" {
		t.Errorf("Root = %q, want the path as given", r.Stacks[0].Root)
	}
}

// TestTemplateInsideAssembly: the CDK validation plugin passes template
// paths; such a template is read with its assembly's metadata, alone.
func TestTemplateInsideAssembly(t *testing.T) {
	base := filepath.Join(corpusDir, "j-multistage-nested", "cdk.out")
	r := Load([]string{filepath.Join(base, "assembly-Prod", "ProdSharedIam9FE64BE8.template.json")}, Options{})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %q", errorStrings(r))
	}
	if got := stackNames(r); !reflect.DeepEqual(got, []string{"Prod/SharedIam", "Prod/SharedIam/Audit"}) {
		t.Errorf("stacks = %q", got)
	}
	s := r.Stacks[0]
	if s.Assembly != "assembly-Prod" || s.RelPath != "assembly-Prod/ProdSharedIam9FE64BE8.template.json" || s.ArtifactID != "ProdSharedIam9FE64BE8" {
		t.Errorf("stack = %+v", s)
	}
	if !sameFile(s.Root, base) {
		t.Errorf("Root = %q, want the root assembly", s.Root)
	}
	if got := s.ResourcePath("AppRoleDC883459"); got != "Prod/SharedIam/AppRole/Resource" {
		t.Errorf("ResourcePath = %q", got)
	}
}

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		src    string
		format cfn.Format
		err    string
	}{
		{`{"Resources": {}}`, cfn.JSON, ""},
		{"  \n\t[1]", cfn.JSON, ""},
		{"\xef\xbb\xbf{}", cfn.JSON, ""},
		{"\xef\xbb\xbf Resources: {}", cfn.YAML, ""},
		{"Resources: {}", cfn.YAML, ""},
		{"# comment\n{\"a\": 1}", cfn.YAML, ""},
		{`{"a": 1`, cfn.JSON, "t.json:1:8: unexpected end of input in object"},
		{"a: [", cfn.YAML, "t.json:1:1: did not find expected node content"},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate("t.json", []byte(tt.src))
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseTemplate(%q) error %v, want %q", tt.src, err, tt.err)
			}
			continue
		}
		if err != nil || tpl.Format != tt.format || tpl.Path != "t.json" || string(tpl.Src) != tt.src {
			t.Errorf("ParseTemplate(%q) = %+v, %v", tt.src, tpl, err)
		}
	}
}

func TestErrorString(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a.json", Line: 3, Column: 7, Msg: "m"}, "a.json:3:7: m"},
		{Error{File: "a.json", Line: 3, Msg: "m"}, "a.json:3: m"},
		{Error{File: "a.json", Msg: "m"}, "a.json: m"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestAssemblyAccounts(t *testing.T) {
	r := Load([]string{filepath.Join(corpusDir, "j-multistage-nested", "cdk.out"), filepath.Join(corpusDir, "a-least-privilege", "cdk.out")}, Options{})
	want := map[string][]string{
		"Tooling":                   {"111111111111", "777777777777", "888888888888"},
		"Prod/SharedIam/Audit":      {"111111111111", "777777777777", "888888888888"},
		"Dev/Service":               {"111111111111", "777777777777", "888888888888"},
		"Tooling/Artifacts/Signing": {"111111111111", "777777777777", "888888888888"},
		"OrdersService":             {"111111111111"},
	}
	for _, s := range r.Stacks {
		if w, ok := want[s.Name()]; ok && !reflect.DeepEqual(s.AssemblyAccounts, w) {
			t.Errorf("%s: AssemblyAccounts = %q, want %q", s.Name(), s.AssemblyAccounts, w)
		}
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"manifest.json": manifest(t, map[string]any{
			"A": map[string]any{"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": map[string]any{"templateFile": "a.json"}},
			"B": map[string]any{"type": "aws:cloudformation:stack", "environment": "aws://123/eu-west-1", "properties": map[string]any{"templateFile": "b.json"}},
		}),
		"a.json": goodTemplate, "b.json": goodTemplate, "plain/p.json": goodTemplate,
	})
	r = Load([]string{dir, filepath.Join(dir, "plain", "p.json")}, Options{})
	for _, s := range r.Stacks {
		if len(s.AssemblyAccounts) != 0 {
			t.Errorf("%s: AssemblyAccounts = %q, want none", s.Name(), s.AssemblyAccounts)
		}
	}
	if len(r.Stacks) != 3 || len(r.Errors) != 0 {
		t.Errorf("stacks %q errors %q", stackNames(r), errorStrings(r))
	}
}
