package loader

// Regression tests for loader bugs found while writing the tests (and fixed).

import (
	"path/filepath"
	"reflect"
	"testing"
)

// loadNoPanic runs Load and turns a panic into a test failure.
func loadNoPanic(t *testing.T, paths []string) (r *Result) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Load(%q) panicked: %v", paths, p)
		}
	}()
	return Load(paths, Options{})
}

// A template without a Resources section (or any JSON file in a folder of
// templates, such as a CDK project's package.json) panics in
// attachMetadata: res.Keys on a nil *cfn.Node.
func TestRegressionTemplateWithoutResourcesPanics(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.json":       goodTemplate,
		"package.json": `{"name": "my-cdk-app", "version": "0.1.0"}`,
		"outputs.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nOutputs: {}\n",
	})
	r := loadNoPanic(t, []string{dir})
	if len(stackNames(r)) == 0 || stackNames(r)[0] != "a" {
		t.Errorf("stacks = %q, errors = %q", stackNames(r), errorStrings(r))
	}
}

// A template given by path that sits in a cloud assembly but is not a stack
// artifact of it (a nested stack's template) loads nothing and reports
// nothing: the user's explicit input is silently ignored (exit 0, "clean").
func TestRegressionNestedTemplateGivenDirectlyIsIgnored(t *testing.T) {
	p := filepath.Join(corpusDir, "j-multistage-nested", "cdk.out", "ToolingArtifactsSigning5D21A472.nested.template.json")
	r := loadNoPanic(t, []string{p})
	if len(r.Stacks) == 0 && len(r.Errors) == 0 {
		t.Errorf("Load(%s) returned no stack and no error", p)
	}
}

// A manifest.json (or metadata side file) with a UTF-8 byte order mark is
// rejected by encoding/json, while templates accept one.
func TestRegressionManifestWithBOM(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"manifest.json":   "\xef\xbb\xbf" + manifest(t, map[string]any{"J": "j.template.json"}),
		"j.template.json": goodTemplate,
	})
	r := loadNoPanic(t, []string{dir})
	if len(r.Errors) > 0 || !reflect.DeepEqual(stackNames(r), []string{"J"}) {
		t.Errorf("stacks %q errors %q", stackNames(r), errorStrings(r))
	}
}
