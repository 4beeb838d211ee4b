package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffold(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"rules/all", "rules/iam001", "rules/iam007"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "rules/all/all.go"), []byte("package all\n\nimport (\n\t_ \"github.com/iamvet/iamvet/rules/iam001\"\n\t_ \"github.com/iamvet/iamvet/rules/iam007\"\n)\n"), 0o644)
	os.WriteFile(filepath.Join(root, "rules/all/retired.txt"), []byte("IAM009 retired: merged into IAM001\n"), 0o644)

	id, files, err := Scaffold(root, "my-new-check", "", "high")
	if err != nil {
		t.Fatal(err)
	}
	if id != "IAM010" {
		t.Errorf("id = %s, want IAM010 (one above the retired IAM009: ids are never reused)", id)
	}
	if len(files) != 4 {
		t.Errorf("files = %v", files)
	}
	src, _ := os.ReadFile(filepath.Join(root, "rules/iam010/iam010.go"))
	for _, want := range []string{`Name:     "IAM010"`, `Slug:     "my-new-check"`, "rules.High"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("rule file lacks %s", want)
		}
	}
	all, _ := os.ReadFile(filepath.Join(root, "rules/all/all.go"))
	if !strings.Contains(string(all), "\t_ \"github.com/iamvet/iamvet/rules/iam007\"\n\t_ \"github.com/iamvet/iamvet/rules/iam010\"\n)") {
		t.Errorf("registry line not added in order:\n%s", all)
	}
	if _, _, err := Scaffold(root, "Bad_Slug", "", "high"); err == nil {
		t.Error("accepted a bad slug")
	}
}

// TestGeneratedGoParses parses the generated sources so that a typo in a
// template fails the test.
func TestGeneratedGoParses(t *testing.T) {
	for name, src := range map[string]string{
		"rule": ruleFile("IAM999", "iam999", "x-y", "x y", "Low"),
		"test": testFile("iam999"),
	} {
		if err := parseGo(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
