// Package suppress applies the suppressions that live with the code: iamvet's
// own resource metadata and the peers' (cdk-nag 2.x metadata, cdk-nag 3.x /
// CDK validation acknowledgements, cfn_nag, checkov), mapped to iamvet rules
// through each rule's Aliases. It also computes IAM065 (broad-suppression).
//
// # iamvet's own suppressions
//
// A resource (or the template, for the whole stack) carries
//
//	"Metadata": {
//	  "iamvet": {
//	    "suppress": [
//	      {"id": "IAM012", "reason": "CI role deploys every stack; reviewed 2026-01"},
//	      {"id": "wildcard-resource-on-restrictable-action", "reason": "log groups are created at run time",
//	       "appliesTo": ["Resource::arn:<AWS::Partition>:logs:*:*:*", {"regex": "/^Action::logs:.*$/"}]}
//	    ]
//	  }
//	}
//
// id is a rule id (IAM012) or slug (wildcard-action). reason is mandatory:
// an entry without one is ignored and reported as a warning naming the
// resource. appliesTo (applies_to is accepted too) is optional and written
// exactly like cdk-nag's: strings Action::<action>, Resource::<resource>
// with intrinsics rendered <Logical.Arn>, Policy::<managed policy ARN> with
// <AWS::Partition>, or {"regex": "/…/flags"} objects. Other keys make the
// entry invalid (ignored, with a warning): a misspelt appliesTo must not turn
// a granular suppression into a blanket one. In CDK:
//
//	(role.node.defaultChild as cdk.CfnResource).addMetadata('iamvet', { suppress: [{ id: 'IAM012', reason: '…' }] });
//
// (addMetadata replaces the key: put every entry in one call), and for a
// whole stack: stack.templateOptions.metadata = { iamvet: { suppress: [...] } }.
//
// # Peers
//
//   - cdk-nag 2.x: Metadata.cdk_nag.rules_to_suppress [{id, reason,
//     applies_to?, is_reason_encoded?}] on resources and at template level
//     (stack suppressions). Encoded reasons are decoded.
//   - cdk-nag 3.x and other CDK validation plugins: acknowledgements recorded
//     in the assembly's metadata (aws:cdk:acknowledged-rules), one finding id
//     each (AwsSolutions-IAM5 or AwsSolutions-IAM5[Action::s3:*]); they apply
//     to the construct they are recorded on and everything below it. An
//     acknowledgement naming an iamvet rule id counts as iamvet's own.
//   - cfn_nag: Metadata.cfn_nag.rules_to_suppress [{id, reason}].
//   - checkov: Metadata.checkov.skip [{id, comment}].
//
// A peer id suppresses the iamvet rules whose Aliases contain it
// (AwsSolutions-IAM5 → IAM011…IAM015, AwsSolutions-IAM4 → IAM018, F3,
// CKV_AWS_62, …). Every suppression needs a reason; peer entries without
// one are ignored with a warning too.
//
// # Granular suppressions
//
// A suppression with applies_to hides a finding only when every
// cdk-nag-style string of the finding (see findingStrings: the statement's
// Action::/Resource:: strings, or the Policy:: string of a managed policy)
// matches an entry of a granular suppression for that rule; strings match
// exactly, as in cdk-nag, or by regex. Action::kms:Encrypt* does not hide a
// finding on kms:*, and Resource::* alone does not hide a finding on a
// statement that also has Action::kms:*. An empty applies_to hides nothing.
// A suppression without applies_to hides every finding of its rules on the
// resource (on every resource, at template level). When both kinds apply,
// a covering granular suppression is credited first.
//
// # IAM065 (broad-suppression)
//
// After the findings are decided, every suppression without applies_to
// that hid at least one high or critical finding becomes an IAM065 finding
// (medium) on the suppression's id node (an acknowledgement, which has no
// template node, is reported on the first resource it hides), naming the
// rules it hides, how many findings and the highest severity. IAM065
// findings are themselves subject to iamvet's own suppressions
// ({"id": "IAM065", "reason": …} on the same resource).
package suppress

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam065"
)

// Options tune Apply.
type Options struct {
	// NoPeer ignores the peers' suppressions (cdk-nag, cfn_nag, checkov,
	// acknowledgements of peer ids): only iamvet's own apply
	// (--no-peer-suppressions).
	NoPeer bool
}

// Suppression kinds (rules.Suppression.Kind) set by Apply.
const (
	KindIamvet  = "iamvet"
	KindCDKNag  = "cdk-nag"
	KindCfnNag  = "cfn_nag"
	KindCheckov = "checkov"
	// KindCDKAck is an acknowledgement recorded by the CDK validation API
	// (aws:cdk:acknowledged-rules; cdk-nag 3.x).
	KindCDKAck = "cdk-acknowledgement"
)

// Apply hides the findings that a suppression in the templates or the
// assembly covers. It returns the findings kept (in input order), those
// suppressed (each with Suppressed set, in input order; suppressed IAM065
// findings included), the IAM065 findings that are not suppressed, and
// warnings about suppressions that were ignored (no reason, unknown rule,
// malformed entry, bad regex).
//
// IAM065 findings are built from iam065.Rule: callers that deselect IAM065
// drop extra.
//
// Apply is NewIndex on every stack, then ApplyIndexed.
func Apply(findings []*rules.Finding, stacks []*loader.Stack, opt Options) (kept, suppressed, extra []*rules.Finding, warnings []string) {
	byStack := map[string][]*rules.Finding{}
	for _, f := range findings {
		k := stackKey(f.Stack.TemplatePath, f.Stack.ArtifactID)
		byStack[k] = append(byStack[k], f)
	}
	var idx []*Index
	for _, s := range stacks {
		if s != nil {
			idx = append(idx, NewIndex(s, byStack[stackKey(s.TemplatePath, s.ArtifactID)], opt))
		}
	}
	return ApplyIndexed(findings, idx, opt)
}

// Index is what Apply needs of one stack's template: its suppressions, the
// suppression strings of its findings (findingStrings) and the locations of
// the IAM065 findings it may give. NewIndex builds it while the template is
// in memory; ApplyIndexed uses it after the template is released
// (loader.Stream), with the stack's other fields (construct paths, names).
//
// Warnings about malformed suppressions are recorded by NewIndex and
// issued by ApplyIndexed, in the order Apply always gave them: those of
// template-level metadata stack by stack, then those of each resource the
// first time a finding on it is decided.
type Index struct {
	s   *loader.Stack
	opt Options
	a   *applier // during ApplyIndexed
	// Built by NewIndex:
	top      []*entry // template-level
	acks     []*entry
	created  []*entry // top and acks, in creation order
	warnings []string // of the template-level metadata
	// res holds the suppressions of each resource a finding is on.
	res map[string]*resourceSuppressions
	// strs holds findingStrings by JSON pointer, when the stack has a
	// granular suppression.
	strs map[string][]string
	// anchors are the IAM065 locations: of each blanket entry's id node,
	// and of each resource (for acknowledgements, which have no node).
	anchors    map[*entry]rules.Anchor
	resAnchors map[string]rules.Anchor
	// While NewIndex parses, warnings and new entries go to these.
	sink  *[]string
	addTo *[]*entry
	// During ApplyIndexed: every entry in creation order (resource entries
	// join when their resource is first decided, as Apply always did).
	entries []*entry
}

type resourceSuppressions struct {
	parsed   []*entry // the resource's own metadata
	all      []*entry // parsed, then the acknowledgements on its construct path
	warnings []string
	used     bool // during ApplyIndexed: parsed joined Index.entries
}

// NewIndex reads the suppressions of stack s that apply to findings (the
// stack's findings; more findings cost nothing but time), while the
// stack's template is in memory. It returns nil for a stack without a
// template.
func NewIndex(s *loader.Stack, findings []*rules.Finding, opt Options) *Index {
	if s == nil || s.Template == nil || s.Template.Root == nil {
		return nil
	}
	x := &Index{s: s, opt: opt, res: map[string]*resourceSuppressions{}}
	x.sink, x.addTo = &x.warnings, &x.created
	md := s.Template.Root.Get("Metadata")
	where := "stack " + s.Name()
	x.top = append(x.top, x.parseIamvet(md.Get("iamvet"), where)...)
	if !opt.NoPeer {
		x.top = append(x.top, x.parseNag(md.Get("cdk_nag"), where)...)
	}
	var paths []string
	for p, cm := range s.Metadata {
		if len(cm.Acknowledged) > 0 {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, ack := range s.Metadata[p].Acknowledged {
			if e := x.parseAck(p, ack); e != nil {
				x.acks = append(x.acks, e)
			}
		}
	}
	for _, f := range findings {
		if f.LogicalID != "" && strings.HasPrefix(f.JSONPointer, "/Resources/") && x.res[f.LogicalID] == nil {
			x.res[f.LogicalID] = x.parseResource(f.LogicalID)
		}
	}
	x.sink, x.addTo = nil, nil

	// What deciding and IAM065 need of the tree.
	granular, blanketAck := false, false
	root := s.Template.Root
	x.anchors = map[*entry]rules.Anchor{}
	visit := func(es []*entry) {
		for _, e := range es {
			granular = granular || e.granular
			if !e.granular && e.node != nil {
				x.anchors[e] = rules.AnchorOf(s.Template, e.node)
			}
			blanketAck = blanketAck || !e.granular && e.kind == KindCDKAck
		}
	}
	visit(x.created)
	lids := make([]string, 0, len(x.res))
	for lid, rs := range x.res {
		visit(rs.parsed)
		lids = append(lids, lid)
	}
	sort.Strings(lids)
	// The anchors replace the id nodes: a node would keep the whole
	// template in memory.
	for _, e := range x.created {
		e.node = nil
	}
	for _, rs := range x.res {
		for _, e := range rs.parsed {
			e.node = nil
		}
	}
	if blanketAck {
		x.resAnchors = map[string]rules.Anchor{}
		for _, lid := range lids {
			if n := root.Path("Resources", lid); n != nil {
				x.resAnchors[lid] = rules.AnchorOf(s.Template, n)
			}
		}
	}
	if granular {
		x.strs = map[string][]string{}
		add := func(ptr string) {
			if _, done := x.strs[ptr]; !done {
				x.strs[ptr] = pointerStrings(root, ptr)
			}
		}
		for _, f := range findings {
			add(f.JSONPointer)
		}
		for _, a := range x.anchors {
			add(a.JSONPointer)
		}
		for _, lid := range lids {
			if a, ok := x.resAnchors[lid]; ok {
				add(a.JSONPointer)
			}
		}
	}
	return x
}

// ApplyIndexed is Apply on stacks indexed by NewIndex (nil entries are
// skipped), in stack order; opt must be the options of NewIndex.
func ApplyIndexed(findings []*rules.Finding, idx []*Index, opt Options) (kept, suppressed, extra []*rules.Finding, warnings []string) {
	a := &applier{opt: opt, byKey: map[string]*Index{}, seenWarn: map[string]bool{}}
	for _, x := range idx {
		if x == nil {
			continue
		}
		x.reset(a)
		a.stacks = append(a.stacks, x)
		a.byKey[stackKey(x.s.TemplatePath, x.s.ArtifactID)] = x
		for _, w := range x.warnings {
			a.warnf("%s", w)
		}
	}
	for _, f := range findings {
		if s := a.decide(f, f.Rule); s != nil {
			f.Suppressed = s
			suppressed = append(suppressed, f)
			continue
		}
		kept = append(kept, f)
	}
	for _, f := range a.broad() {
		if s := a.decide(f, f.Rule); s != nil {
			f.Suppressed = s
			suppressed = append(suppressed, f)
			continue
		}
		extra = append(extra, f)
	}
	return kept, suppressed, extra, a.warnings
}

type applier struct {
	opt      Options
	stacks   []*Index
	byKey    map[string]*Index
	warnings []string
	seenWarn map[string]bool
}

func stackKey(templatePath, artifactID string) string { return templatePath + "\x00" + artifactID }

func (a *applier) warnf(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if !a.seenWarn[w] {
		a.seenWarn[w] = true
		a.warnings = append(a.warnings, w)
	}
}

// entry is one suppression.
type entry struct {
	kind   string
	id     string // as written: rule id, slug or peer id
	ruleID string // the iamvet rule the id names ("" for a peer id)
	reason string
	// granular is true when applies_to is present (even empty).
	granular bool
	applies  []matcher
	stack    *Index
	node     *cfn.Node // the id value (nil for acknowledgements), until NewIndex returns
	where    string    // "Ingest/JanitorRole", "stack Ingest"
	ackPath  string    // construct path of an acknowledgement
	hidden   []*rules.Finding
}

func (e *entry) names(r *rules.Rule) bool {
	if e.ruleID != "" {
		return e.ruleID == r.ID()
	}
	for _, al := range r.Aliases {
		if al == e.id {
			return true
		}
	}
	return false
}

// reset readies x for an ApplyIndexed run.
func (x *Index) reset(a *applier) {
	x.a = a
	x.entries = append([]*entry(nil), x.created...)
	for _, e := range x.created {
		e.hidden = nil
	}
	for _, rs := range x.res {
		rs.used = false
		for _, e := range rs.parsed {
			e.hidden = nil
		}
	}
}

// record records a warning about a malformed suppression, for
// ApplyIndexed to issue (see Index).
func (x *Index) record(format string, args ...any) {
	*x.sink = append(*x.sink, fmt.Sprintf(format, args...))
}

func (x *Index) add(e *entry) *entry {
	e.stack = x
	*x.addTo = append(*x.addTo, e)
	return e
}

// resourceName names a resource the way findings do.
func (x *Index) resourceName(lid string) string {
	if p := x.s.ResourcePath(lid); p != "" {
		return strings.TrimSuffix(p, "/Resource")
	}
	return lid
}

func (x *Index) pos(n *cfn.Node) string {
	line := 1
	if n != nil {
		src := x.s.Template.Src
		for i := 0; i < n.Start && i < len(src); i++ {
			if src[i] == '\n' {
				line++
			}
		}
	}
	return fmt.Sprintf("%s:%d", x.s.Template.Path, line)
}

// parseResource reads the suppressions that apply to a resource: its own
// metadata, then the acknowledgements on its construct path.
func (x *Index) parseResource(lid string) *resourceSuppressions {
	rs := &resourceSuppressions{}
	x.sink, x.addTo = &rs.warnings, &rs.parsed
	if r := x.s.Template.Root.Path("Resources", lid); r != nil {
		md := r.Get("Metadata")
		where := x.resourceName(lid)
		x.parseIamvet(md.Get("iamvet"), where)
		if !x.opt.NoPeer {
			x.parseNag(md.Get("cdk_nag"), where)
			x.parseSimple(md.Get("cfn_nag"), "rules_to_suppress", "reason", KindCfnNag, where)
			x.parseSimple(md.Get("checkov"), "skip", "comment", KindCheckov, where)
		}
	}
	rs.all = append(rs.all, rs.parsed...)
	if p := x.s.ResourcePath(lid); p != "" {
		for _, e := range x.acks {
			if e.ackPath == "" || p == e.ackPath || strings.HasPrefix(p, e.ackPath+"/") {
				rs.all = append(rs.all, e)
			}
		}
	}
	return rs
}

// resourceEntries returns the suppressions that apply to a resource,
// during ApplyIndexed; the first call for a resource issues its warnings.
func (x *Index) resourceEntries(lid string) []*entry {
	rs := x.res[lid]
	if rs == nil {
		return nil
	}
	if !rs.used {
		rs.used = true
		x.entries = append(x.entries, rs.parsed...)
		for _, w := range rs.warnings {
			x.a.warnf("%s", w)
		}
	}
	return rs.all
}

// lookupRule resolves an iamvet rule id or slug.
func lookupRule(id string) *rules.Rule {
	if r := rules.Lookup(id); r != nil {
		return r
	}
	for _, r := range rules.All() {
		if strings.EqualFold(r.Slug, strings.TrimSpace(id)) {
			return r
		}
	}
	return nil
}

func (x *Index) parseIamvet(n *cfn.Node, where string) []*entry {
	if n == nil {
		return nil
	}
	if n.Kind != cfn.Object {
		x.record("%s: iamvet metadata on %s is not an object; ignored", x.pos(n), where)
		return nil
	}
	for _, k := range n.Keys {
		if k != "suppress" {
			x.record("%s: iamvet metadata on %s: unknown key %q", x.pos(n), where, k)
		}
	}
	list := n.Get("suppress")
	if list == nil {
		return nil
	}
	if list.Kind != cfn.Array {
		x.record("%s: iamvet suppress on %s is not a list; ignored", x.pos(list), where)
		return nil
	}
	var out []*entry
	for _, el := range list.Vals {
		if el.Kind != cfn.Object {
			x.record("%s: iamvet suppression on %s is not an object; ignored", x.pos(el), where)
			continue
		}
		idNode := el.Get("id")
		id, ok := idNode.Literal()
		if !ok || strings.TrimSpace(id) == "" {
			x.record("%s: iamvet suppression on %s has no id; ignored", x.pos(el), where)
			continue
		}
		bad := false
		for _, k := range el.Keys {
			switch k {
			case "id", "reason", "appliesTo", "applies_to":
			default:
				x.record("%s: iamvet suppression %q on %s: unknown key %q; ignored", x.pos(el), id, where, k)
				bad = true
			}
		}
		if bad {
			continue
		}
		r := lookupRule(id)
		if r == nil {
			x.record("%s: iamvet suppression on %s names unknown rule %q; ignored", x.pos(idNode), where, id)
			continue
		}
		reason, _ := el.Get("reason").Literal()
		if strings.TrimSpace(reason) == "" {
			x.record("%s: iamvet suppression %q on %s has no reason; ignored", x.pos(idNode), id, where)
			continue
		}
		e := &entry{kind: KindIamvet, id: id, ruleID: r.ID(), reason: reason, node: idNode, where: where}
		at := el.Get("appliesTo")
		if at == nil {
			at = el.Get("applies_to")
		}
		if at != nil {
			e.granular = true
			e.applies = x.parseApplies(at, "iamvet suppression "+id, where)
		}
		out = append(out, x.add(e))
	}
	return out
}

func (x *Index) parseNag(n *cfn.Node, where string) []*entry {
	if n == nil {
		return nil
	}
	list := n.Get("rules_to_suppress")
	if n.Kind != cfn.Object || list == nil || list.Kind != cfn.Array {
		x.record("%s: cdk_nag metadata on %s has no rules_to_suppress list; ignored", x.pos(n), where)
		return nil
	}
	var out []*entry
	for _, el := range list.Vals {
		idNode := el.Get("id")
		id, ok := idNode.Literal()
		if el.Kind != cfn.Object || !ok || id == "" {
			x.record("%s: cdk-nag suppression on %s has no id; ignored", x.pos(el), where)
			continue
		}
		reason, _ := el.Get("reason").Literal()
		if enc, _ := el.Get("is_reason_encoded").Literal(); enc == "true" {
			if b, err := base64.StdEncoding.DecodeString(reason); err == nil {
				reason = string(b)
			}
		}
		if strings.TrimSpace(reason) == "" {
			x.record("%s: cdk-nag suppression %q on %s has no reason; ignored", x.pos(idNode), id, where)
			continue
		}
		e := &entry{kind: KindCDKNag, id: id, reason: reason, node: idNode, where: where}
		if at := el.Get("applies_to"); at != nil {
			e.granular = true
			e.applies = x.parseApplies(at, "cdk-nag suppression "+id, where)
		}
		out = append(out, x.add(e))
	}
	return out
}

// parseSimple reads cfn_nag's rules_to_suppress and checkov's skip lists.
func (x *Index) parseSimple(n *cfn.Node, listKey, reasonKey, kind, where string) []*entry {
	if n == nil {
		return nil
	}
	list := n.Get(listKey)
	if n.Kind != cfn.Object || list == nil || list.Kind != cfn.Array {
		x.record("%s: %s metadata on %s has no %s list; ignored", x.pos(n), kind, where, listKey)
		return nil
	}
	var out []*entry
	for _, el := range list.Vals {
		idNode := el.Get("id")
		id, ok := idNode.Literal()
		if el.Kind != cfn.Object || !ok || id == "" {
			x.record("%s: %s suppression on %s has no id; ignored", x.pos(el), kind, where)
			continue
		}
		reason, _ := el.Get(reasonKey).Literal()
		if strings.TrimSpace(reason) == "" {
			x.record("%s: %s suppression %q on %s has no %s; ignored", x.pos(idNode), kind, id, where, reasonKey)
			continue
		}
		out = append(out, x.add(&entry{kind: kind, id: id, reason: reason, node: idNode, where: where}))
	}
	return out
}

// parseAck reads one acknowledgement: "AwsSolutions-IAM5" or
// "AwsSolutions-IAM5[Action::s3:*]".
func (x *Index) parseAck(path, ack string) *entry {
	id, finding := ack, ""
	granular := false
	if i := strings.IndexByte(ack, '['); i > 0 && strings.HasSuffix(ack, "]") {
		id, finding, granular = ack[:i], ack[i+1:len(ack)-1], true
	}
	e := &entry{kind: KindCDKAck, id: id, ackPath: path, granular: granular,
		reason: fmt.Sprintf("acknowledged at %s (aws:cdk:acknowledged-rules)", displayPath(path)),
		where:  displayPath(path)}
	if granular {
		e.applies = []matcher{{text: finding}}
	}
	if r := lookupRule(id); r != nil {
		e.ruleID = r.ID()
	} else if x.opt.NoPeer {
		return nil
	}
	return x.add(e)
}

func displayPath(p string) string {
	if p == "" {
		return "the app"
	}
	return p
}

func (x *Index) parseApplies(n *cfn.Node, what, where string) []matcher {
	if n.Kind != cfn.Array {
		x.record("%s: %s on %s: applies_to is not a list; it hides nothing", x.pos(n), what, where)
		return nil
	}
	var out []matcher
	for _, el := range n.Vals {
		switch {
		case el.Kind == cfn.String:
			out = append(out, matcher{text: el.Str})
		case el.Kind == cfn.Object && el.Get("regex").IsString():
			src := el.Get("regex").Str
			re, err := compileJSRegex(src)
			if err != nil {
				x.record("%s: %s on %s: %v; the entry matches nothing", x.pos(el), what, where, err)
				out = append(out, matcher{text: src, bad: true})
				continue
			}
			out = append(out, matcher{text: src, re: re})
		default:
			x.record("%s: %s on %s: applies_to entry is neither a string nor {\"regex\": …}; ignored", x.pos(el), what, where)
		}
	}
	return out
}

// candidates returns the suppressions naming rule r that apply to f.
func (a *applier) candidates(f *rules.Finding, r *rules.Rule) (*Index, []*entry) {
	x := a.byKey[stackKey(f.Stack.TemplatePath, f.Stack.ArtifactID)]
	if x == nil {
		return nil, nil
	}
	var all []*entry
	if f.LogicalID != "" && strings.HasPrefix(f.JSONPointer, "/Resources/") {
		all = append(all, x.resourceEntries(f.LogicalID)...)
	}
	all = append(all, x.top...)
	var out []*entry
	for _, e := range all {
		if e.names(r) && !(a.opt.NoPeer && e.ruleID == "") {
			out = append(out, e)
		}
	}
	return x, out
}

// decide returns the suppression that hides f, crediting the entry, or nil.
func (a *applier) decide(f *rules.Finding, r *rules.Rule) *rules.Suppression {
	if r == nil {
		return nil
	}
	x, cands := a.candidates(f, r)
	var gran []*entry
	var blanket *entry
	for _, e := range cands {
		switch {
		case e.granular:
			gran = append(gran, e)
		case blanket == nil:
			blanket = e
		}
	}
	if len(gran) > 0 {
		if strs := x.strs[f.JSONPointer]; len(strs) > 0 {
			var first *entry
			var matched []string
			covered := true
			for _, s := range strs {
				var hit *entry
				var m matcher
			search:
				for _, e := range gran {
					for _, mm := range e.applies {
						if mm.match(s) {
							hit, m = e, mm
							break search
						}
					}
				}
				if hit == nil {
					covered = false
					break
				}
				if first == nil {
					first = hit
				}
				matched = appendUnique(matched, m.text)
			}
			if covered {
				first.hidden = append(first.hidden, f)
				return &rules.Suppression{Kind: first.kind, ID: first.id, Reason: first.reason, AppliesTo: matched}
			}
		}
	}
	if blanket != nil {
		blanket.hidden = append(blanket.hidden, f)
		return &rules.Suppression{Kind: blanket.kind, ID: blanket.id, Reason: blanket.reason}
	}
	return nil
}

// broadDiag is an IAM065 finding before the driver builds it.
type broadDiag struct {
	at       rules.Anchor
	message  string
	evidence string
	locator  string
}

// broad builds the IAM065 findings: blanket suppressions that hid at least
// one high or critical finding.
func (a *applier) broad() []*rules.Finding {
	var perStack [][]*rules.Finding
	for _, x := range a.stacks {
		var fs []*rules.Finding
		for _, e := range x.entries {
			if e.granular || !hidesSevere(e) {
				continue
			}
			d := broadDiag{message: broadMessage(e), evidence: e.kind + ":" + e.id, locator: "Metadata." + metadataKey(e.kind)}
			var ok bool
			if e.kind != KindCDKAck {
				d.at, ok = x.anchors[e] // at the id node
			} else { // an acknowledgement: report on the first resource it hides
				d.at, ok = x.resAnchors[e.hidden[0].LogicalID]
				d.evidence += "@" + e.ackPath
			}
			if !ok {
				continue
			}
			// As the driver builds it from a Diag at the node.
			fs = append(fs, rules.FindingAt(x.s, iam065.Rule, d.at, rules.Diag{Message: d.message, Evidence: d.evidence, Locator: d.locator}))
		}
		if len(fs) > 0 {
			perStack = append(perStack, fs)
		}
	}
	if len(perStack) == 0 {
		return nil
	}
	return rules.Merge(perStack)
}

func metadataKey(kind string) string {
	switch kind {
	case KindCDKNag:
		return "cdk_nag"
	case KindCDKAck:
		return "aws:cdk:acknowledged-rules"
	}
	return kind
}

func hidesSevere(e *entry) bool {
	for _, f := range e.hidden {
		if f.Severity >= rules.High {
			return true
		}
	}
	return false
}

func broadMessage(e *entry) string {
	var ids []string
	seen := map[string]bool{}
	var top rules.Severity
	for _, f := range e.hidden {
		if id := f.Rule.ID(); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
		top = max(top, f.Severity)
	}
	sort.Strings(ids)
	n := len(e.hidden)
	what := fmt.Sprintf("%d finding", n)
	if n != 1 {
		what += "s"
	}
	hides := fmt.Sprintf("hides %s (%s), highest severity %s", what, strings.Join(ids, ", "), top)
	var head string
	switch e.kind {
	case KindIamvet:
		head = fmt.Sprintf("iamvet suppression of %s on %s has no appliesTo and %s", e.id, e.where, hides)
	case KindCDKNag:
		head = fmt.Sprintf("cdk-nag suppression of %s on %s has no applies_to and %s", e.id, e.where, hides)
	case KindCDKAck:
		head = fmt.Sprintf("acknowledgement of %s at %s names no finding and %s", e.id, e.where, hides)
	case KindCheckov:
		head = fmt.Sprintf("checkov skip of %s on %s covers the whole resource and %s", e.id, e.where, hides)
	default:
		head = fmt.Sprintf("%s suppression of %s on %s covers the whole resource and %s", e.kind, e.id, e.where, hides)
	}
	if e.kind == KindCDKAck {
		return head
	}
	return fmt.Sprintf("%s (reason: %q)", head, e.reason)
}
