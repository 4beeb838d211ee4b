package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadManifest writes a fuzzed manifest.json into a cloud assembly that
// holds good, bad and nested templates, a Stage and symlinks, and loads it:
// Load must not panic, every error names a file, every stack has a
// template, and nothing outside the assembly is ever read.
func FuzzLoadManifest(f *testing.F) {
	seeds := []string{
		`{"artifacts": {"A": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "good.template.json"}}}}`,
		`{"artifacts": {"A": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "parent.template.json"}, "additionalMetadataFile": "parent.metadata.json", "displayName": "P"}}}`,
		`{"artifacts": {"S": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-S"}}, "B": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "bad.template.json"}}}}`,
		`{"artifacts": {"L": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "link.template.json"}}, "U": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../outside.template.json"}}}}`,
		`{"artifacts": {"Y": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "y.template.yaml"}, "metadata": {"/Y/R": [{"type": "aws:cdk:logicalId", "data": "R", "trace": ["t"]}]}}}}`,
		`{"artifacts": {"Self": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}}}`,
		`{"artifacts": null}`, `[]`, `{"artifacts": {"A": null}}`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*", "cdk.out", "manifest.json"))
	stages, _ := filepath.Glob(filepath.Join(corpusDir, "*", "cdk.out", "assembly-*", "manifest.json"))
	for _, p := range append(paths, stages...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	// One assembly per fuzzing process; each input rewrites its manifest.
	root := f.TempDir()
	asm := filepath.Join(root, "cdk.out")
	writeFiles(f, root, map[string]string{
		"outside.template.json":              goodTemplate,
		"cdk.out/good.template.json":         goodTemplate,
		"cdk.out/bad.template.json":          `{"Resources": {"R": `,
		"cdk.out/y.template.yaml":            "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {Arn: !GetAtt A.B}\n",
		"cdk.out/parent.template.json":       nestedStack("child.nested.template.json"),
		"cdk.out/child.nested.template.json": nestedStack("parent.template.json"),
		"cdk.out/parent.metadata.json":       `{"/P/Child": [{"type": "aws:cdk:logicalId", "data": "Child"}]}`,
		"cdk.out/assembly-S/manifest.json":   `{"artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "s.template.json"}}}}`,
		"cdk.out/assembly-S/s.template.json": goodTemplate,
	})
	_ = os.Symlink(filepath.Join(root, "outside.template.json"), filepath.Join(asm, "link.template.json"))
	realRoot, err := filepath.EvalSymlinks(asm)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, m []byte) {
		if len(m) > 1<<16 {
			return
		}
		if err := os.WriteFile(filepath.Join(asm, "manifest.json"), m, 0o644); err != nil {
			t.Fatal(err)
		}
		r := Load([]string{asm}, Options{MaxTemplateSize: 1 << 20})
		for _, e := range r.Errors {
			if e == nil || e.File == "" || e.Msg == "" || e.Line < 0 || e.Column < 0 {
				t.Fatalf("bad error %#v", e)
			}
		}
		for _, s := range r.Stacks {
			if s.Template == nil || s.Template.Root == nil || s.Template.File == nil {
				t.Fatalf("stack %s without a template", s.Name())
			}
			real, err := filepath.EvalSymlinks(s.TemplatePath)
			if err != nil {
				t.Fatal(err)
			}
			if rel, err := filepath.Rel(realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				t.Fatalf("stack %s read %s, outside the assembly", s.Name(), real)
			}
		}
	})
}
