package loader

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// TestBadTemplates: each bad template is one error naming it (with line and
// column where known) and the good stack beside it is still loaded.
func TestBadTemplates(t *testing.T) {
	tests := []struct {
		name      string
		file      string // the bad template's file name
		src       string
		opts      Options
		line, col int // 0: not checked
		msg       string
	}{
		{"truncated JSON", "bad.template.json", `{"Resources": {"R": {"Type": "AWS::IAM::Role"`, Options{}, 1, 46, "unexpected end of input in object"},
		{"truncated JSON multi-line", "bad.template.json", "{\n \"Resources\": {\n  \"R\": {\n   \"Type\": \"AWS::IA", Options{}, 4, 12, "unterminated string"},
		{"empty file", "bad.template.json", "", Options{}, 1, 1, "empty document"},
		{"whitespace only", "bad.template.json", "\n\n  \n", Options{}, 1, 1, "empty document"},
		{"JSON array", "bad.template.json", "[]", Options{}, 1, 1, "template is a JSON array, not an object"},
		{"JSON number", "bad.template.json", "42", Options{}, 1, 1, "template is a JSON number, not an object"},
		{"JSON string", "bad.template.json", `"Resources"`, Options{}, 1, 1, "template is a JSON string, not an object"},
		{"Resources not an object", "bad.template.json", "{\n \"Resources\": [1]\n}", Options{}, 2, 15, "Resources is a array, not an object"},
		{"duplicate key JSON", "bad.template.json", "{\n \"Resources\": {\n  \"R\": {\"Type\": \"A\"},\n  \"R\": {\"Type\": \"B\"}\n }\n}", Options{}, 4, 3, `duplicate key "R"`},
		{"duplicate key YAML", "bad.template.yaml", "Resources:\n  R:\n    Type: A\n  R:\n    Type: B\n", Options{}, 4, 3, `duplicate key "R"`},
		{"invalid UTF-8 JSON", "bad.template.json", "{\"Resources\": {\"R\xff\": {}}}", Options{}, 1, 18, "invalid UTF-8 in string"},
		{"invalid UTF-8 YAML", "bad.template.yaml", "Resources:\n  R\xff: {}\n", Options{}, 2, 4, "invalid UTF-8"},
		{"100k [ JSON", "bad.template.json", strings.Repeat("[", 100_000), Options{}, 1, 0, "nesting deeper than 512 levels"},
		{"100k { JSON", "bad.template.json", strings.Repeat(`{"a":`, 100_000), Options{}, 1, 0, "nesting deeper than 512 levels"},
		{"100k [ YAML", "bad.template.yaml", "Resources: " + strings.Repeat("[", 100_000), Options{}, 0, 0, "exceeded max depth"},
		{"YAML alias bomb", "bad.template.yaml", billionLaughs(), Options{}, 0, 0, "alias expansion"},
		{"over the size limit", "bad.template.json", goodTemplate + strings.Repeat(" ", 2000), Options{MaxTemplateSize: 1000}, 0, 0, "bytes, over the 1000-byte limit"},
		{"YAML syntax", "bad.template.yaml", "Resources:\n  R: [1, 2\n  S: 3\n", Options{}, 0, 0, "did not find expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"manifest.json":      manifest(t, map[string]any{"Good": "good.template.json", "Bad": tt.file}),
				"good.template.json": goodTemplate,
				tt.file:              tt.src,
			})
			r := Load([]string{dir}, tt.opts)
			if got := stackNames(r); !reflect.DeepEqual(got, []string{"Good"}) {
				t.Errorf("stacks = %q, want the good one", got)
			}
			checkStacks(t, r)
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %q, want one", errorStrings(r))
			}
			e := r.Errors[0]
			if e.File != filepath.Join(dir, tt.file) {
				t.Errorf("error file %q, want %q", e.File, filepath.Join(dir, tt.file))
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("error %q, want %q", e, tt.msg)
			}
			if (tt.line != 0 && e.Line != tt.line) || (tt.col != 0 && e.Column != tt.col) {
				t.Errorf("error %q at %d:%d, want %d:%d", e, e.Line, e.Column, tt.line, tt.col)
			}
		})
	}
}

// TestBadManifests: manifest problems are errors naming the manifest; the
// stacks the manifest names correctly are still loaded.
func TestBadManifests(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, root, asm string) map[string]any // extra artifacts
		msg    string
		stacks []string
	}{
		{"templateFile with ..", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, root, map[string]string{"outside.template.json": goodTemplate})
			return map[string]any{"Bad": "../outside.template.json"}
		}, `artifact "Bad": templateFile: path "../outside.template.json" leaves the cloud assembly`, []string{"Good"}},
		{"templateFile with .. inside", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, root, map[string]string{"outside.template.json": goodTemplate})
			return map[string]any{"Bad": "sub/../../outside.template.json"}
		}, "leaves the cloud assembly", []string{"Good"}},
		{"templateFile absolute", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, root, map[string]string{"outside.template.json": goodTemplate})
			return map[string]any{"Bad": filepath.Join(root, "outside.template.json")}
		}, "is absolute; cloud assembly paths must stay inside the assembly", []string{"Good"}},
		{"templateFile symlink leaving", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, root, map[string]string{"outside.template.json": goodTemplate})
			if err := os.Symlink(filepath.Join(root, "outside.template.json"), filepath.Join(asm, "link.template.json")); err != nil {
				t.Skip(err)
			}
			return map[string]any{"Bad": "link.template.json"}
		}, `path "link.template.json" resolves outside the cloud assembly (symlink)`, []string{"Good"}},
		{"templateFile symlink inside", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, asm, map[string]string{"real/other.template.json": goodTemplate})
			if err := os.Symlink(filepath.Join(asm, "real", "other.template.json"), filepath.Join(asm, "link.template.json")); err != nil {
				t.Skip(err)
			}
			return map[string]any{"Linked": "link.template.json"}
		}, "", []string{"Good", "Linked"}},
		{"missing template", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Bad": "missing.template.json"}
		}, `artifact "Bad": templateFile: "missing.template.json" does not exist`, []string{"Good"}},
		{"no templateFile", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Bad": map[string]any{"type": "aws:cloudformation:stack"}}
		}, `artifact "Bad": stack artifact without properties.templateFile`, []string{"Good"}},
		{"properties not an object", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Bad": map[string]any{"type": "aws:cloudformation:stack", "properties": 5}}
		}, `artifact "Bad": properties:`, []string{"Good"}},
		{"Stage pointing at itself", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Self": stage(".")}
		}, "refers back to an assembly that contains it (cycle)", []string{"Good"}},
		{"Stage leaving the assembly", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Up": stage("..")}
		}, `artifact "Up": path ".." leaves the cloud assembly`, []string{"Good"}},
		{"Stage without directoryName", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"S": map[string]any{"type": "cdk:cloud-assembly"}}
		}, `artifact "S": cdk:cloud-assembly without properties.directoryName`, []string{"Good"}},
		{"Stage missing", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"S": stage("assembly-Gone")}
		}, `artifact "S": "assembly-Gone" does not exist`, []string{"Good"}},
		{"Stage whose Stage points back through a symlink", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, asm, map[string]string{
				"assembly-A/manifest.json":   manifest(t, map[string]any{"A": "a.template.json", "Back": stage("assembly-B")}),
				"assembly-A/a.template.json": goodTemplate,
			})
			if err := os.Symlink(asm, filepath.Join(asm, "assembly-A", "assembly-B")); err != nil {
				t.Skip(err)
			}
			return map[string]any{"StageA": stage("assembly-A")}
		}, `artifact "Back": path "assembly-B" resolves outside the cloud assembly (symlink)`, []string{"Good", "A"}},
		{"additionalMetadataFile leaving", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, asm, map[string]string{"m.template.json": goodTemplate})
			return map[string]any{"Meta": map[string]any{"type": "aws:cloudformation:stack",
				"properties": map[string]any{"templateFile": "m.template.json"}, "additionalMetadataFile": "../x.metadata.json"}}
		}, `artifact "Meta": additionalMetadataFile: path "../x.metadata.json" leaves the cloud assembly`, []string{"Good", "Meta"}},
		{"additionalMetadataFile malformed", func(t *testing.T, root, asm string) map[string]any {
			writeFiles(t, asm, map[string]string{"m.template.json": goodTemplate, "m.metadata.json": "{\n \"/M\": [\n"})
			return map[string]any{"Meta": map[string]any{"type": "aws:cloudformation:stack",
				"properties": map[string]any{"templateFile": "m.template.json"}, "additionalMetadataFile": "m.metadata.json"}}
		}, "m.metadata.json:3:1: unexpected end of JSON input", []string{"Good", "Meta"}},
		{"two artifacts, one template", func(t *testing.T, root, asm string) map[string]any {
			return map[string]any{"Again": "./good.template.json"}
		}, "", []string{"Again"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			asm := filepath.Join(root, "cdk.out")
			writeFiles(t, asm, map[string]string{"good.template.json": goodTemplate})
			arts := tt.setup(t, root, asm)
			arts["Good"] = "good.template.json"
			writeFiles(t, asm, map[string]string{"manifest.json": manifest(t, arts)})
			r := Load([]string{asm}, Options{})
			if got := stackNames(r); !reflect.DeepEqual(got, tt.stacks) {
				t.Errorf("stacks = %q, want %q", got, tt.stacks)
			}
			checkStacks(t, r)
			if tt.msg == "" {
				if len(r.Errors) > 0 {
					t.Errorf("errors = %q", errorStrings(r))
				}
				return
			}
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.msg) {
				t.Fatalf("errors = %q, want one containing %q", errorStrings(r), tt.msg)
			}
			if f := r.Errors[0].File; !strings.HasPrefix(f, asm) || (!strings.HasSuffix(f, "manifest.json") && !strings.HasSuffix(f, ".metadata.json")) {
				t.Errorf("error names %q, want the manifest or metadata file", f)
			}
		})
	}
}

func TestMalformedManifest(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"syntax error", "{\n  \"artifacts\": {\n    \"A\": {\"type\": \"aws:cloudformation:stack\",,}\n  }\n}", 3, 47, "invalid character ','"},
		{"truncated", "{\n  \"artifacts\": {", 2, 17, "unexpected end of JSON input"},
		{"wrong type", "{\"artifacts\": {\"A\": {\"type\": 5}}}", 1, 31, "type has the wrong type: number, expected string"},
		{"empty", "", 1, 1, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			asm := filepath.Join(dir, "cdk.out")
			writeFiles(t, asm, map[string]string{"manifest.json": tt.src, "a.template.json": goodTemplate})
			writeFiles(t, dir, map[string]string{"plain.json": goodTemplate})
			// Another input is still loaded.
			r := Load([]string{asm, filepath.Join(dir, "plain.json")}, Options{})
			if got := stackNames(r); !reflect.DeepEqual(got, []string{"plain"}) {
				t.Errorf("stacks = %q", got)
			}
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %q", errorStrings(r))
			}
			e := r.Errors[0]
			if e.File != filepath.Join(asm, "manifest.json") || e.Line != tt.line || (tt.col != 0 && e.Column != tt.col) || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("error = %q (%d:%d), want %s:%d:%d %q", e, e.Line, e.Column, filepath.Join(asm, "manifest.json"), tt.line, tt.col, tt.msg)
			}
		})
	}
}

func nestedStack(asset string) string {
	return `{"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"},
  "Metadata": {"aws:asset:path": "` + asset + `"}}}}`
}

func TestNestedStackProblems(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		stacks []string
		msg    string // "" for no error
		file   string
	}{
		{"cycle", map[string]string{
			"A.template.json":        nestedStack("B.nested.template.json"),
			"B.nested.template.json": nestedStack("A.template.json"),
		}, []string{"A", "A/Child"}, "nested stack Child: template A.template.json is already loaded (nested stacks form a cycle or share a template); not followed", "B.nested.template.json"},
		{"self", map[string]string{
			"A.template.json": nestedStack("A.template.json"),
		}, []string{"A"}, "nested stack Child: template A.template.json is already loaded", "A.template.json"},
		{"three-cycle", map[string]string{
			"A.template.json":        nestedStack("B.nested.template.json"),
			"B.nested.template.json": nestedStack("C.nested.template.json"),
			"C.nested.template.json": nestedStack("B.nested.template.json"),
		}, []string{"A", "A/Child", "A/Child/Child"}, "template B.nested.template.json is already loaded", "C.nested.template.json"},
		{"leaving", map[string]string{
			"A.template.json": nestedStack("../evil.nested.template.json"),
		}, []string{"A"}, `nested stack Child: aws:asset:path: path "../evil.nested.template.json" leaves the cloud assembly`, "A.template.json"},
		{"absolute", map[string]string{
			"A.template.json": nestedStack("/etc/x.nested.template.json"),
		}, []string{"A"}, "is absolute", "A.template.json"},
		{"missing", map[string]string{
			"A.template.json": nestedStack("gone.nested.template.json"),
		}, []string{"A"}, `"gone.nested.template.json" does not exist`, "A.template.json"},
		{"bad nested template", map[string]string{
			"A.template.json":        nestedStack("B.nested.template.json"),
			"B.nested.template.json": `{"Resources": {`,
		}, []string{"A"}, "unexpected end of input", "B.nested.template.json"},
		{"not a template asset", map[string]string{
			"A.template.json": nestedStack("asset.1234"),
		}, []string{"A"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.files["manifest.json"] = manifest(t, map[string]any{"A": "A.template.json"})
			writeFiles(t, dir, tt.files)
			r := Load([]string{dir}, Options{})
			if got := stackNames(r); !reflect.DeepEqual(got, tt.stacks) {
				t.Errorf("stacks = %q, want %q", got, tt.stacks)
			}
			checkStacks(t, r)
			if tt.msg == "" {
				if len(r.Errors) != 0 {
					t.Errorf("errors = %q", errorStrings(r))
				}
				return
			}
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Msg, tt.msg) {
				t.Fatalf("errors = %q, want one containing %q", errorStrings(r), tt.msg)
			}
			e := r.Errors[0]
			if e.File != filepath.Join(dir, tt.file) || e.Line == 0 {
				t.Errorf("error %q, want it positioned in %s", e, tt.file)
			}
		})
	}
}

// TestBOMAccepted: templates may start with a UTF-8 byte order mark (the
// manifest case is in loader_bug_test.go).
func TestBOMAccepted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"manifest.json":   manifest(t, map[string]any{"J": "j.template.json", "Y": "y.template.yaml"}),
		"j.template.json": "\xef\xbb\xbf" + goodTemplate,
		"y.template.yaml": "\xef\xbb\xbfResources:\n  Role:\n    Type: AWS::IAM::Role\n",
	})
	r := Load([]string{dir}, Options{})
	if len(r.Errors) > 0 || !reflect.DeepEqual(stackNames(r), []string{"J", "Y"}) {
		t.Fatalf("BOM templates: %q %q", stackNames(r), errorStrings(r))
	}
	checkStacks(t, r)
	for _, s := range r.Stacks {
		if typ, _ := s.Template.Resources().Path("Role", "Type").Literal(); typ != "AWS::IAM::Role" {
			t.Errorf("%s: Role type %q", s.Name(), typ)
		}
	}
}

// TestSymlinkInTemplateFolder: a folder of templates follows symlinks only
// when they stay inside it.
func TestSymlinkInTemplateFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "templates")
	writeFiles(t, root, map[string]string{"secret.json": goodTemplate, "templates/a.json": goodTemplate})
	if err := os.Symlink(filepath.Join(root, "secret.json"), filepath.Join(dir, "evil.json")); err != nil {
		t.Skip(err)
	}
	r := Load([]string{dir}, Options{})
	if !reflect.DeepEqual(stackNames(r), []string{"a"}) || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "evil.json: path \"evil.json\" resolves outside the cloud assembly (symlink)") {
		t.Errorf("stacks %q errors %q", stackNames(r), errorStrings(r))
	}
}
