package loader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
)

// assembly is one cloud assembly directory being walked (the root or a
// Stage's assembly-* directory).
type assembly struct {
	dir     string // absolute
	rel     string // relative to the root assembly, slash-separated ("" for the root)
	root    string // absolute root assembly dir
	display string // root as the user gave it
	only    map[string]bool
}

type manifestFile struct {
	Artifacts map[string]*manifestArtifact `json:"artifacts"`
}

type manifestArtifact struct {
	Type                   string                     `json:"type"`
	Environment            string                     `json:"environment"`
	DisplayName            string                     `json:"displayName"`
	AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
	Properties             json.RawMessage            `json:"properties"`
	Metadata               map[string][]metadataEntry `json:"metadata"`
}

type stackProps struct {
	TemplateFile string `json:"templateFile"`
}

type assemblyProps struct {
	DirectoryName string `json:"directoryName"`
	DisplayName   string `json:"displayName"`
}

type metadataEntry struct {
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
	Trace []string        `json:"trace"`
	// data is Data parsed, when the entry was decoded by decodeMetadata
	// (nil: use Data).
	data *cfn.Node
}

func (a *assembly) file(rel string) string {
	if a.rel != "" {
		rel = a.rel + "/" + rel
	}
	return filepath.Join(a.display, filepath.FromSlash(rel))
}

// loadAssembly walks one cloud assembly. only, when non-nil, restricts the
// stacks kept to those template files (absolute paths).
func (l *loadState) loadAssembly(root, display string, only map[string]bool) {
	l.walkAssembly(&assembly{dir: root, root: root, display: display, only: only}, map[string]bool{})
}

func (l *loadState) walkAssembly(a *assembly, visiting map[string]bool) {
	realDir, err := filepath.EvalSymlinks(a.dir)
	if err != nil {
		l.errorf(a.file(""), "%v", unwrapPathError(err))
		return
	}
	if visiting[realDir] {
		l.errorf(a.file("manifest.json"), "Stage assembly %q refers back to an assembly that contains it (cycle); not followed", a.rel)
		return
	}
	visiting[realDir] = true
	defer delete(visiting, realDir)

	mpath := a.file("manifest.json")
	src, err := readLimited(filepath.Join(a.dir, "manifest.json"), l.opts.MaxTemplateSize)
	if err != nil {
		l.errorf(mpath, "%v", err)
		return
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var m manifestFile
	if err := json.Unmarshal(src, &m); err != nil {
		l.errs = append(l.errs, jsonError(mpath, src, err))
		return
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var stages []*assembly
	for _, id := range ids {
		art := m.Artifacts[id]
		if art == nil {
			continue
		}
		switch art.Type {
		case "aws:cloudformation:stack":
			l.addArtifactStack(a, id, art, mpath)
		case "cdk:cloud-assembly":
			var p assemblyProps
			if err := json.Unmarshal(art.Properties, &p); err != nil || p.DirectoryName == "" {
				l.errorf(mpath, "artifact %q: cdk:cloud-assembly without properties.directoryName", id)
				continue
			}
			dir, err := within(a.dir, p.DirectoryName)
			if err != nil {
				l.errorf(mpath, "artifact %q: %v", id, err)
				continue
			}
			rel := filepath.ToSlash(filepath.Clean(filepath.FromSlash(p.DirectoryName)))
			if a.rel != "" {
				rel = a.rel + "/" + rel
			}
			stages = append(stages, &assembly{dir: dir, rel: rel, root: a.root, display: a.display, only: a.only})
		}
	}
	for _, st := range stages {
		l.walkAssembly(st, visiting)
	}
}

func (l *loadState) addArtifactStack(a *assembly, id string, art *manifestArtifact, mpath string) {
	var props stackProps
	if len(art.Properties) > 0 {
		if err := json.Unmarshal(art.Properties, &props); err != nil {
			l.errorf(mpath, "artifact %q: properties: %v", id, err)
			return
		}
	}
	if props.TemplateFile == "" {
		l.errorf(mpath, "artifact %q: stack artifact without properties.templateFile", id)
		return
	}
	tpath, err := within(a.dir, props.TemplateFile)
	if err != nil {
		l.errorf(mpath, "artifact %q: templateFile: %v", id, err)
		return
	}
	if a.only != nil && !a.only[tpath] {
		return
	}
	if l.seenTemplates[tpath] {
		return
	}
	l.seenTemplates[tpath] = true
	relPath := filepath.ToSlash(filepath.Clean(filepath.FromSlash(props.TemplateFile)))
	if a.rel != "" {
		relPath = a.rel + "/" + relPath
	}
	s := &Stack{
		ArtifactID:   id,
		DisplayName:  art.DisplayName,
		Assembly:     a.rel,
		Root:         a.display,
		TemplatePath: tpath,
		RelPath:      relPath,
		Environment:  art.Environment,
		Metadata:     map[string]*ConstructMeta{},
	}
	if s.DisplayName == "" {
		s.DisplayName = id
	}
	s.ConstructPath = s.DisplayName
	// Older CDK versions keep construct metadata in the manifest itself.
	addMetadata(s.Metadata, art.Metadata)
	ps := &pendingStack{stack: s, asm: a, metaSlot: -1}
	if art.AdditionalMetadataFile != "" {
		full, err := within(a.dir, art.AdditionalMetadataFile)
		if err != nil {
			l.errorf(mpath, "artifact %q: additionalMetadataFile: %v", id, err)
		} else {
			// The workers read the file with the template; its error, if
			// any, is reported here, in the order of the walk.
			ps.metaFile, ps.metaDisplay = full, a.file(art.AdditionalMetadataFile)
			ps.metaSlot = len(l.errs)
			l.errs = append(l.errs, nil)
		}
	}
	l.pending = append(l.pending, ps)
}

// addMetadata merges construct metadata entries into m.
func addMetadata(m map[string]*ConstructMeta, entries map[string][]metadataEntry) {
	for path, list := range entries {
		p := strings.TrimPrefix(path, "/")
		cm := m[p]
		if cm == nil {
			cm = &ConstructMeta{Path: p}
			m[p] = cm
		}
		for _, e := range list {
			switch {
			case e.Type == "aws:cdk:logicalId":
				if lid, ok := e.dataString(); ok {
					cm.LogicalID = lid
				}
				if len(cm.Trace) == 0 && len(e.Trace) > 0 {
					cm.Trace = e.Trace
				}
			case e.Type == "aws:cdk:creationStack":
				if tr, ok := e.dataStrings(); ok && len(tr) > 0 {
					cm.Trace = tr
				}
			case e.Type == "aws:cdk:acknowledged-rules" || e.Type == "aws:cdk:acknowledge":
				if ids, ok := e.dataStrings(); ok {
					cm.Acknowledged = append(cm.Acknowledged, ids...)
				} else if one, ok := e.dataString(); ok {
					cm.Acknowledged = append(cm.Acknowledged, one)
				}
			case strings.HasPrefix(e.Type, "aws:cdk:is-custom-resource-handler-"):
				if !contains(cm.HandlerMarkers, e.Type) {
					cm.HandlerMarkers = append(cm.HandlerMarkers, e.Type)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attachMetadata maps the template's logical IDs to construct paths: the
// resource's own Metadata.aws:cdk:path first, else the CDK metadata entry
// with that logical ID under the stack's construct path.
func (l *loadState) attachMetadata(ps *pendingStack) {
	s := ps.stack
	s.resourcePaths = map[string]string{}
	if s.Metadata == nil {
		s.Metadata = map[string]*ConstructMeta{}
	}
	byLID := map[string][]string{}
	for p, cm := range s.Metadata {
		if cm.LogicalID != "" {
			byLID[cm.LogicalID] = append(byLID[cm.LogicalID], p)
		}
	}
	res := s.Template.Root.Get("Resources")
	if res == nil {
		res = &cfn.Node{Kind: cfn.Object}
	}
	for i, lid := range res.Keys {
		if p, ok := res.Vals[i].Path("Metadata", "aws:cdk:path").Literal(); ok && p != "" {
			s.resourcePaths[lid] = p
			continue
		}
		best := ""
		for _, p := range byLID[lid] {
			if s.ConstructPath != "" && !strings.HasPrefix(p, s.ConstructPath+"/") {
				continue
			}
			if best == "" || strings.Count(p, "/") < strings.Count(best, "/") || (strings.Count(p, "/") == strings.Count(best, "/") && p < best) {
				best = p
			}
		}
		if best != "" {
			s.resourcePaths[lid] = best
		}
	}
}

// findNested queues the nested stacks a parsed template declares: resources
// of type AWS::CloudFormation::Stack whose Metadata.aws:asset:path names a
// template inside the assembly.
func (l *loadState) findNested(ps *pendingStack) {
	s := ps.stack
	res := s.Template.Root.Get("Resources")
	if res == nil {
		res = &cfn.Node{Kind: cfn.Object}
	}
	dir := filepath.Dir(s.TemplatePath)
	for i, lid := range res.Keys {
		r := res.Vals[i]
		if t, _ := r.Get("Type").Literal(); t != "AWS::CloudFormation::Stack" {
			continue
		}
		asset, ok := r.Path("Metadata", "aws:asset:path").Literal()
		if !ok || !isTemplateName(asset) {
			continue
		}
		file := l.displayFile(s)
		tpath, err := within(dir, asset)
		if err != nil {
			l.errs = append(l.errs, posError(file, s.Template.Src, r.Path("Metadata", "aws:asset:path").Start,
				fmt.Sprintf("nested stack %s: aws:asset:path: %v", lid, err)))
			continue
		}
		if l.seenTemplates[tpath] {
			l.errs = append(l.errs, posError(file, s.Template.Src, r.Path("Metadata", "aws:asset:path").Start,
				fmt.Sprintf("nested stack %s: template %s is already loaded (nested stacks form a cycle or share a template); not followed", lid, asset)))
			continue
		}
		l.seenTemplates[tpath] = true
		cpath := s.ConstructPath + "/" + lid
		if p := s.resourcePaths[lid]; p != "" {
			if i := strings.Index(p, ".NestedStack/"); i >= 0 {
				cpath = p[:i]
			}
		}
		relDir := filepath.ToSlash(filepath.Dir(filepath.FromSlash(s.RelPath)))
		rel := filepath.ToSlash(filepath.Clean(filepath.FromSlash(asset)))
		if relDir != "." {
			rel = relDir + "/" + rel
		}
		ns := &Stack{
			ArtifactID:      strings.TrimSuffix(filepath.Base(tpath), ".nested.template.json"),
			DisplayName:     cpath,
			Assembly:        s.Assembly,
			Root:            s.Root,
			TemplatePath:    tpath,
			RelPath:         rel,
			Parent:          s.ArtifactID,
			ParentLogicalID: lid,
			ConstructPath:   cpath,
			Environment:     s.Environment,
			Metadata:        s.Metadata, // CDK records nested resources in the parent's side file
			// The same environment: the same accounts (Stream needs them
			// before Load would set them).
			AssemblyAccounts: s.AssemblyAccounts,
		}
		l.pending = append(l.pending, &pendingStack{stack: ns, asm: ps.asm, metaSlot: -1})
	}
}

// jsonError positions an encoding/json error in src.
func jsonError(file string, src []byte, err error) *Error {
	switch e := err.(type) {
	case *json.SyntaxError:
		return posError(file, src, int(e.Offset), e.Error())
	case *json.UnmarshalTypeError:
		return posError(file, src, int(e.Offset), fmt.Sprintf("%s has the wrong type: %s, expected %s", strings.TrimPrefix(e.Field, "."), e.Value, e.Type))
	}
	return &Error{File: file, Msg: err.Error()}
}
