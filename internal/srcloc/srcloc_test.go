package srcloc

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

// copyTree copies src into a new temporary directory named name and
// returns its absolute, symlink-free path.
func copyTree(t *testing.T, src, name string) string {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(base, name)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func trackedSet(paths ...string) func(string) bool {
	set := map[string]bool{}
	for _, p := range paths {
		set[p] = true
	}
	return func(rel string) bool { return set[rel] }
}

// where renders a finding's resolved location relative to root.
func where(root string, f *rules.Finding) string {
	if f.Source == nil {
		return f.LocationSource + " -"
	}
	rel, err := filepath.Rel(root, f.Source.Path)
	if err != nil {
		rel = f.Source.Path
	}
	s := fmt.Sprintf("%s %s:%d:%d", f.LocationSource, filepath.ToSlash(rel), f.Source.StartLine, f.Source.StartColumn)
	if f.Source.EndLine != f.Source.StartLine {
		s += fmt.Sprintf(" (ends on line %d)", f.Source.EndLine)
	}
	return s
}

// tsFixture is testdata/tsapp as if synthesized on a build machine at
// /build/app: cdk.out (with a template) inside the repository, the
// compiled dist/ and cdk.out untracked.
type tsFixture struct {
	repo  string
	stack *loader.Stack
}

func newTSFixture(t *testing.T) *tsFixture {
	repo := copyTree(t, "testdata/tsapp", "app")
	tmpl := filepath.Join(repo, "cdk.out", "ApiStack.template.json")
	writeFile(t, tmpl, "{\n  \"Resources\": {\n    \"HandlerRole\": {}\n  }\n}\n")
	st := &loader.Stack{
		ArtifactID: "ApiStack", DisplayName: "ApiStack", ConstructPath: "ApiStack",
		Root: filepath.Join(repo, "cdk.out"), TemplatePath: tmpl, RelPath: "ApiStack.template.json",
		Metadata: map[string]*loader.ConstructMeta{
			"ApiStack": {Path: "ApiStack", Trace: []string{
				"Object.<anonymous> (/build/app/dist/bin/app.js:7:1)",
				"...node internals...",
			}},
			"ApiStack/HandlerRole/Resource": {Path: "ApiStack/HandlerRole/Resource", LogicalID: "HandlerRole", Trace: []string{
				"...new Role2 in aws-cdk-lib...",
				"new ApiStack (/build/app/dist/lib/stack.js:10:22)",
				"Object.<anonymous> (/build/app/dist/bin/app.js:7:1)",
				"Module._compile (node:internal/modules/cjs/loader:1554:14)",
				"...node internals...",
			}},
			"ApiStack/HandlerRole/DefaultPolicy/Resource": {Path: "ApiStack/HandlerRole/DefaultPolicy/Resource", Trace: []string{
				"...PropertyInjectable.addToPolicy in aws-cdk-lib...",
				"new ApiStack (/build/app/dist/lib/stack.js:13:9)",
				"Object.<anonymous> (/build/app/dist/bin/app.js:7:1)",
			}},
			"ApiStack/Output": {Path: "ApiStack/Output", LogicalID: "RoleArnOutput", Trace: []string{
				"new ApiStack (/build/app/dist/lib/stack.js:13:9)",
			}},
		},
	}
	return &tsFixture{repo: repo, stack: st}
}

func (fx *tsFixture) findings() []*rules.Finding {
	ref := rules.StackRefOf(fx.stack)
	tl := func(line int) rules.Location {
		return rules.Location{Path: fx.stack.TemplatePath, StartLine: line, StartColumn: 5, EndLine: line, EndColumn: 18}
	}
	return []*rules.Finding{
		{Stack: ref, LogicalID: "HandlerRole", ConstructPath: "ApiStack/HandlerRole/Resource", Template: tl(3)},
		{Stack: ref, LogicalID: "HandlerRoleDefaultPolicy", ConstructPath: "ApiStack/HandlerRole/DefaultPolicy/Resource", Template: tl(4)},
		// No metadata of its own: the stack's trace.
		{Stack: ref, LogicalID: "Other", ConstructPath: "ApiStack/Other/Resource", Template: tl(2)},
		// An output: found by its logical ID in the metadata.
		{Stack: ref, LogicalID: "RoleArnOutput", Template: tl(2)},
		// Nothing to go by: the app entry.
		{Stack: ref, LogicalID: "Unknown", Template: tl(2)},
	}
}

func TestResolveTypeScriptSourceMaps(t *testing.T) {
	fx := newTSFixture(t)
	fs := fx.findings()
	opt := Options{
		RepoRoot: fx.repo,
		Tracked:  trackedSet("bin/app.ts", "lib/stack.ts", "cdk.json", "package.json"),
		PathMap:  map[string]string{"/build/app": fx.repo, "/build": "/nowhere"},
	}
	notes := Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if len(notes) != 0 {
		t.Errorf("notes = %v", notes)
	}
	want := []string{
		"source lib/stack.ts:10:28",
		"source lib/stack.ts:13:5",
		"source bin/app.ts:6:1",
		"source lib/stack.ts:13:5",
		"app bin/app.ts:6:1",
	}
	for i, f := range fs {
		if got := where(fx.repo, f); got != want[i] {
			t.Errorf("finding %d (%s): %s, want %s", i, f.LogicalID, got, want[i])
		}
	}
	role := fs[0]
	line := "    const role: iam.Role = new iam.Role(this, 'HandlerRole', {"
	if role.Source.EndLine != 10 || role.Source.EndColumn != len(line)+1 {
		t.Errorf("role region ends at %d:%d, want 10:%d", role.Source.EndLine, role.Source.EndColumn, len(line)+1)
	}
	wantFrames := []rules.Location{{
		Path: filepath.Join(fx.repo, "bin", "app.ts"), StartLine: 6, StartColumn: 1, EndLine: 6, EndColumn: len("new ApiStack(app, 'ApiStack');") + 1,
		Message: "creates ApiStack (construct trace)",
	}}
	if !reflect.DeepEqual(role.Frames, wantFrames) {
		t.Errorf("frames = %+v\nwant %+v", role.Frames, wantFrames)
	}
	if len(fs[2].Frames) != 0 {
		t.Errorf("stack-level location has frames %+v", fs[2].Frames)
	}

	// The compiled files tracked, the sources not: the .js lines.
	fs = fx.findings()
	opt.Tracked = trackedSet("dist/bin/app.js", "dist/lib/stack.js")
	Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if got := where(fx.repo, fs[0]); got != "source dist/lib/stack.js:10:22" {
		t.Errorf("compiled files tracked: %s", got)
	}

	// Nothing the traces name is tracked: template (untracked) → app entry
	// (untracked) → cdk.json, and a note that the traces point elsewhere.
	fs = fx.findings()
	opt.Tracked = trackedSet("cdk.json")
	notes = Resolve(fs, []*loader.Stack{fx.stack}, opt)
	for i, f := range fs {
		if got := where(fx.repo, f); got != "app cdk.json:1:1" {
			t.Errorf("finding %d: %s, want app cdk.json:1:1", i, got)
		}
	}
	if !reflect.DeepEqual(notes, []string{ForeignTracesNote}) {
		t.Errorf("notes = %v", notes)
	}

	// Without the path mapping the traces name /build/app: not the repository.
	fs = fx.findings()
	opt.Tracked, opt.PathMap = trackedSet("bin/app.ts", "lib/stack.ts"), nil
	Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if got := where(fx.repo, fs[0]); got != "app bin/app.ts:6:1" {
		t.Errorf("unmapped traces: %s", got)
	}
}

func TestResolveModes(t *testing.T) {
	fx := newTSFixture(t)
	stacks := []*loader.Stack{fx.stack}
	base := Options{RepoRoot: fx.repo, PathMap: map[string]string{"/build/app": fx.repo}}
	run := func(mode string, fallback bool, tracked ...string) ([]*rules.Finding, []string) {
		opt := base
		opt.Mode, opt.Fallback, opt.Tracked = mode, fallback, trackedSet(tracked...)
		fs := fx.findings()[:1]
		// A finding resolved before keeps nothing of it.
		fs[0].Source, fs[0].LocationSource, fs[0].Frames = &rules.Location{Path: "/stale"}, "source", []rules.Location{{}}
		return fs, Resolve(fs, stacks, opt)
	}
	all := []string{"bin/app.ts", "lib/stack.ts", "cdk.json", "cdk.out/ApiStack.template.json"}
	for _, tc := range []struct {
		mode     string
		fallback bool
		tracked  []string
		want     string
		notes    []string
	}{
		{"", false, all, "source lib/stack.ts:10:28", nil},
		{"auto", false, all, "source lib/stack.ts:10:28", nil},
		{"generated", false, all, "generated -", nil},
		{"generated", true, all, "generated -", nil},
		{"template", false, all, "template cdk.out/ApiStack.template.json:3:5", nil},
		{"template", false, all[:3], "generated -", nil},
		{"template", true, all[:3], "app bin/app.ts:6:1", nil},
		{"app", false, all, "app bin/app.ts:6:1", nil},
		{"source", false, all, "source lib/stack.ts:10:28", nil},
		{"source", false, []string{"cdk.json"}, "generated -", []string{ForeignTracesNote}},
		{"source", true, []string{"cdk.json"}, "app cdk.json:1:1", []string{ForeignTracesNote}},
		{"auto", false, all[3:], "template cdk.out/ApiStack.template.json:3:5", []string{ForeignTracesNote}},
		{"auto", false, nil, "generated -", []string{ForeignTracesNote}},
		{"bogus", false, all, "source lib/stack.ts:10:28", nil}, // the CLI validates; Resolve treats it as auto
	} {
		fs, notes := run(tc.mode, tc.fallback, tc.tracked...)
		if got := where(fx.repo, fs[0]); got != tc.want {
			t.Errorf("mode %q fallback %v tracked %v: %s, want %s", tc.mode, tc.fallback, tc.tracked, got, tc.want)
		}
		if tc.want == "generated -" && fs[0].Frames != nil {
			t.Errorf("mode %q: frames kept: %+v", tc.mode, fs[0].Frames)
		}
		if !reflect.DeepEqual(notes, tc.notes) {
			t.Errorf("mode %q tracked %v: notes %v, want %v", tc.mode, tc.tracked, notes, tc.notes)
		}
	}
	// The template location is the finding's exact template region.
	fs, _ := run("template", false, all...)
	if want := (rules.Location{Path: fx.stack.TemplatePath, StartLine: 3, StartColumn: 5, EndLine: 3, EndColumn: 18}); *fs[0].Source != want {
		t.Errorf("template location = %+v", *fs[0].Source)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]string{"": "auto", "AUTO": "auto", " source ": "source", "template": "template", "app": "app", "generated": "generated"} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMode("src"); err == nil || !strings.Contains(err.Error(), "auto, source, template, app, generated") {
		t.Errorf("ParseMode(src) error = %v", err)
	}
}

func TestResolveNoTraces(t *testing.T) {
	fx := newTSFixture(t)
	for _, m := range fx.stack.Metadata {
		m.Trace = nil
	}
	fx.stack.Metadata["ApiStack/BootstrapVersion"] = &loader.ConstructMeta{Trace: []string{
		"...aws-cdk-lib...", "(no user code in 10 frames, use --stack-trace-limit to capture more)",
	}}
	opt := Options{RepoRoot: fx.repo, Tracked: trackedSet("bin/app.ts")}
	fs := fx.findings()
	notes := Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if !reflect.DeepEqual(notes, []string{NoTracesNote}) {
		t.Errorf("notes = %v", notes)
	}
	for _, f := range fs {
		if got := where(fx.repo, f); got != "app bin/app.ts:6:1" {
			t.Errorf("%s: %s", f.LogicalID, got)
		}
	}
	// No note when source locations were not asked for, or nothing was found.
	opt.Mode = ModeApp
	if notes := Resolve(fx.findings(), []*loader.Stack{fx.stack}, opt); notes != nil {
		t.Errorf("app mode notes = %v", notes)
	}
	opt.Mode = ""
	if notes := Resolve(nil, []*loader.Stack{fx.stack}, opt); notes != nil {
		t.Errorf("no findings: notes = %v", notes)
	}
}

// Frames inside the assembly (asset handlers), past the end of the file
// (the source changed since the synth) or on a blank line are skipped; the
// next frame wins.
func TestResolveSkipsFrames(t *testing.T) {
	fx := newTSFixture(t)
	writeFile(t, filepath.Join(fx.repo, "cdk.out", "asset.abc", "index.js"), "exports.handler = 1;\n")
	fx.stack.Metadata["ApiStack/HandlerRole/Resource"].Trace = []string{
		"handler (/build/app/cdk.out/asset.abc/index.js:1:1)",
		"new ApiStack (/build/app/lib/stack.ts:99:1)",
		"new ApiStack (/build/app/lib/stack.ts:4:1)", // blank
		"new ApiStack (/build/app/lib/stack.ts:13:5)",
		"new ApiStack (/build/app/lib/stack.ts:13:5)", // duplicate: one frame
		"<anonymous> (/build/app/bin/app.ts:6:1)",
		"<anonymous> (/elsewhere/bin/app.ts:6:1)",
	}
	fs := fx.findings()[:1]
	Resolve(fs, []*loader.Stack{fx.stack}, Options{
		RepoRoot: fx.repo, PathMap: map[string]string{"/build/app": fx.repo},
		Tracked: trackedSet("bin/app.ts", "lib/stack.ts", "cdk.out/asset.abc/index.js"),
	})
	if got := where(fx.repo, fs[0]); got != "source lib/stack.ts:13:5" {
		t.Errorf("location %s", got)
	}
	if len(fs[0].Frames) != 1 || fs[0].Frames[0].StartLine != 6 || fs[0].Frames[0].Message != "creates ApiStack (construct trace)" {
		t.Errorf("frames %+v", fs[0].Frames)
	}
}

func TestResolveFramesLimit(t *testing.T) {
	fx := newTSFixture(t)
	var trace []string
	for i := 1; i <= 15; i++ {
		trace = append(trace, fmt.Sprintf("level%d (/build/app/lib/stack.ts:%d:1)", i, i))
	}
	fx.stack.Metadata["ApiStack/HandlerRole/Resource"].Trace = trace
	fs := fx.findings()[:1]
	Resolve(fs, []*loader.Stack{fx.stack}, Options{RepoRoot: fx.repo, PathMap: map[string]string{"/build/app": fx.repo}, Tracked: trackedSet("lib/stack.ts")})
	// Lines 4 and 9 are blank, so: 1 (location), then 2,3,5,6,7,8,10,11,12.
	if got := where(fx.repo, fs[0]); got != "source lib/stack.ts:1:1" {
		t.Fatalf("location %s", got)
	}
	var lines []int
	for _, f := range fs[0].Frames {
		lines = append(lines, f.StartLine)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 5, 6, 7, 8, 10, 11, 12}) {
		t.Errorf("frame lines %v", lines)
	}
	if fs[0].Frames[0].Message != "calls level1 (construct trace)" {
		t.Errorf("message %q", fs[0].Frames[0].Message)
	}
}

func TestResolveWindowsPathMap(t *testing.T) {
	fx := newTSFixture(t)
	fx.stack.Metadata["ApiStack/HandlerRole/Resource"].Trace = []string{
		`new ApiStack (C:\build\app\dist\lib\stack.js:10:22)`,
		`C:\build\app\dist\bin\app.js:7:1`,
	}
	fs := fx.findings()[:1]
	opt := Options{RepoRoot: fx.repo, Tracked: trackedSet("bin/app.ts", "lib/stack.ts"), PathMap: map[string]string{`C:\build\app\`: fx.repo}}
	Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if got := where(fx.repo, fs[0]); got != "source lib/stack.ts:10:28" {
		t.Errorf("Windows trace: %s", got)
	}
	if len(fs[0].Frames) != 1 || fs[0].Frames[0].StartLine != 6 {
		t.Errorf("frames %+v", fs[0].Frames)
	}
	// Unmapped, a Windows path names no file here.
	fs = fx.findings()[:1]
	opt.PathMap = nil
	Resolve(fs, []*loader.Stack{fx.stack}, opt)
	if fs[0].LocationSource == ModeSource {
		t.Errorf("unmapped Windows trace resolved: %s", where(fx.repo, fs[0]))
	}
}

func TestResolvePythonAndJava(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(base, "repo")
	writeFile(t, filepath.Join(repo, "my_app", "my_stack.py"), "class MyStack(Stack):\n    def __init__(self, scope, id):\n        iam.Role(self, 'R', assumed_by=p)\n")
	writeFile(t, filepath.Join(repo, "app.py"), "app = App()\nMyStack(app, 'PyStack')\n")
	writeFile(t, filepath.Join(repo, "src", "main", "java", "com", "acme", "MyStack.java"), "package com.acme;\nclass MyStack {\n  MyStack() { new Role(this, \"R\"); }\n}\n")
	writeFile(t, filepath.Join(repo, "src", "main", "java", "com", "acme", "App.java"), "package com.acme;\nclass App {\n  void main() { new MyStack(app, \"JavaStack\"); }\n}\n")
	writeFile(t, filepath.Join(repo, "vendor", "other", "MyStack.java"), "package other;\n\n\n")
	st := &loader.Stack{ArtifactID: "S", ConstructPath: "S", Root: filepath.Join(repo, "cdk.out"), TemplatePath: filepath.Join(repo, "cdk.out", "S.template.json"),
		Metadata: map[string]*loader.ConstructMeta{
			"S/Py/Resource": {Trace: []string{
				"...aws-cdk-lib, jsii runtime, node internals...",
				`File "/home/dev/.venv/lib/python3.12/site-packages/aws_cdk/aws_iam/__init__.py", line 9, in __init__`,
				`File "/work/py/my_app/my_stack.py", line 3, in __init__`,
				`File "/work/py/app.py", line 2, in <module>`,
			}},
			"S/Py2/Resource": {Trace: []string{
				"(no user code in 10 frames, use --stack-trace-limit to capture more)",
				"__init__ (/work/py/my_app/my_stack.py:3:0)",
				"<module> (/work/py/app.py:2:0)",
			}},
			"S/Java/Resource": {Trace: []string{
				"at software.amazon.jsii.JsiiEngine.createNewObject(JsiiEngine.java:10)",
				"at software.amazon.awscdk.services.iam.Role.<init>(Role.java:20)",
				"at com.acme.MyStack.<init>(MyStack.java:3)",
				"at com.acme.App.main(App.java:3)",
				"at org.codehaus.mojo.exec.ExecJavaMojo$1.run(ExecJavaMojo.java:254)",
			}},
		}}
	ref := rules.StackRefOf(st)
	fs := []*rules.Finding{
		{Stack: ref, ConstructPath: "S/Py/Resource"},
		{Stack: ref, ConstructPath: "S/Py2/Resource"},
		{Stack: ref, ConstructPath: "S/Java/Resource"},
	}
	Resolve(fs, []*loader.Stack{st}, Options{RepoRoot: repo, PathMap: map[string]string{"/work/py": repo}}) // Tracked nil: files that exist
	want := []string{"source my_app/my_stack.py:3:9", "source my_app/my_stack.py:3:9", "source src/main/java/com/acme/MyStack.java:3:3"}
	for i, f := range fs {
		if got := where(repo, f); got != want[i] {
			t.Errorf("%s: %s, want %s", f.ConstructPath, got, want[i])
		}
		if len(f.Frames) != 1 {
			t.Errorf("%s: frames %+v", f.ConstructPath, f.Frames)
		}
	}
	if fr := fs[0].Frames[0]; filepath.Base(fr.Path) != "app.py" || fr.StartLine != 2 || fr.Message != "construct trace" {
		t.Errorf("python frame %+v", fr)
	}
	if fr := fs[2].Frames[0]; filepath.Base(fr.Path) != "App.java" || fr.StartLine != 3 || fr.Message != "creates com.acme.MyStack (construct trace)" {
		t.Errorf("java frame %+v", fr)
	}
}

func TestResolveDeterministic(t *testing.T) {
	fx := newTSFixture(t)
	opt := Options{RepoRoot: fx.repo, Tracked: trackedSet("bin/app.ts", "lib/stack.ts"), PathMap: map[string]string{"/build/app": fx.repo}}
	a, b := fx.findings(), fx.findings()
	Resolve(a, []*loader.Stack{fx.stack}, opt)
	Resolve(b, []*loader.Stack{fx.stack}, opt)
	if !reflect.DeepEqual(a, b) {
		t.Error("two resolutions of the same input differ")
	}
}

func TestFindLiteral(t *testing.T) {
	lines := []string{"const app = new App();", "// ApiStack without quotes", "new Stage(app, `Prod`);", `new ApiStack(stage, "ApiStack");`}
	for _, tc := range []struct {
		ids  []string
		want int
	}{
		{[]string{"ApiStack", "Prod"}, 4},
		{[]string{"Missing", "Prod"}, 3},
		{[]string{"Missing"}, 1},
	} {
		if got := findLiteral(lines, tc.ids); got != tc.want {
			t.Errorf("findLiteral(%v) = %d, want %d", tc.ids, got, tc.want)
		}
	}
	st := &loader.Stack{ConstructPath: "Prod/Data", ArtifactID: "ProdData1234"}
	if got := stackIDs(st); !reflect.DeepEqual(got, []string{"Data", "Prod"}) {
		t.Errorf("stackIDs = %v", got)
	}
}

func TestUTF16(t *testing.T) {
	if got := utf16Len("a€😀"); got != 4 {
		t.Errorf("utf16Len = %d, want 4", got)
	}
	if got := firstNonBlank("\t  x"); got != 4 {
		t.Errorf("firstNonBlank = %d", got)
	}
}
