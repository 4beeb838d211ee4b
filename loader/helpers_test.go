package loader

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpusDir = "../testdata/corpus"

const goodTemplate = `{"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []}}}}}`

// writeFiles creates files (slash-separated paths relative to dir).
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// manifest renders a manifest.json whose artifacts are stacks (id →
// templateFile) unless the value is already an artifact object.
func manifest(t testing.TB, artifacts map[string]any) string {
	t.Helper()
	arts := map[string]any{}
	for id, a := range artifacts {
		if tf, ok := a.(string); ok {
			a = map[string]any{"type": "aws:cloudformation:stack", "properties": map[string]any{"templateFile": tf}}
		}
		arts[id] = a
	}
	b, err := json.MarshalIndent(map[string]any{"version": "36.0.0", "artifacts": arts}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func stage(dir string) map[string]any {
	return map[string]any{"type": "cdk:cloud-assembly", "properties": map[string]any{"directoryName": dir, "displayName": dir}}
}

func stackNames(r *Result) []string {
	var out []string
	for _, s := range r.Stacks {
		out = append(out, s.Name())
	}
	return out
}

func errorStrings(r *Result) []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.Error())
	}
	return out
}

// checkStacks verifies what every loaded stack must satisfy.
func checkStacks(t *testing.T, r *Result) {
	t.Helper()
	for _, s := range r.Stacks {
		if s.Template == nil || s.Template.Root == nil || s.Template.File == nil {
			t.Errorf("%s: template not set", s.Name())
			continue
		}
		if s.Template.File.Size() != len(s.Template.Src) {
			t.Errorf("%s: token.File size %d, source %d bytes", s.Name(), s.Template.File.Size(), len(s.Template.Src))
		}
		if r.Fset.File(s.Template.Pos(0)) != s.Template.File {
			t.Errorf("%s: token.File not registered in the FileSet", s.Name())
		}
		if !filepath.IsAbs(s.TemplatePath) {
			t.Errorf("%s: TemplatePath %q is not absolute", s.Name(), s.TemplatePath)
		}
		if strings.Contains(s.RelPath, `\`) || strings.HasPrefix(s.RelPath, "../") {
			t.Errorf("%s: RelPath %q", s.Name(), s.RelPath)
		}
	}
}
