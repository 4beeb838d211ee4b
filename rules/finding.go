package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/loader"
)

// StackRef identifies the stack of a finding without exposing the template.
type StackRef struct {
	Assembly    string // "" or "assembly-Prod"
	ArtifactID  string
	DisplayName string
	// TemplatePath is the absolute template path; RelPath the path relative
	// to the assembly root (slash-separated) and Root that root as given.
	TemplatePath string
	RelPath      string
	Root         string
	Parent       string
}

// Location is a region of a file. Lines are 1-based; columns are 1-based
// UTF-16 code units (SARIF's columnKind utf16CodeUnits).
type Location struct {
	Path        string // absolute path
	StartLine   int
	StartColumn int
	EndLine     int
	EndColumn   int
	Message     string
}

// Finding is one reported problem.
type Finding struct {
	Rule     *Rule
	Severity Severity
	Message  string
	Stack    StackRef
	// Resource: LogicalID is the resource (or output) the finding is on.
	LogicalID     string
	ResourceType  string
	ConstructPath string
	JSONPointer   string
	// Template is the location in the synthesized template.
	Template Location
	// Source is where the finding points in the user's repository when
	// resolved (INTEGRATION.md S-3): the CDK source line of the construct,
	// a committed template, or the app entry. Nil means the generated
	// template is the best location. LocationSource says which:
	// "source", "template", "app" or "generated".
	Source         *Location
	LocationSource string
	// Frames are parent-construct frames of the creation trace (source
	// locations), nearest first.
	Frames  []Location
	Related []Location
	// Evidence is the minimal value that triggered the finding (fingerprints).
	Evidence    string
	Fingerprint string
	// CDKInternal marks findings on constructs CDK generates (InternalNote
	// names the construct).
	CDKInternal  bool
	InternalNote string
	// Suppressed holds the suppression that hides the finding, if any.
	Suppressed *Suppression
	// PolicyLocator and StatementKey name the policy document and
	// statement the finding is in (fingerprints, granular suppressions).
	PolicyLocator string
	StatementKey  string
}

// Suppression records why a finding is hidden.
//
// AppliesTo is the granular scope the suppression named, if any (cdk-nag
// applies_to entries, iamvet appliesTo); empty means the whole resource.
type Suppression struct {
	AppliesTo []string
	Kind      string // "iamvet", "cdk-nag", "cfn_nag", "checkov", "config", "baseline"
	ID        string // the id the suppression names (IAM012, AwsSolutions-IAM5, …)
	Reason    string
}

// Diag is what a rule reports with Report: the offending node and the
// finding's details that go/analysis's Diagnostic has no field for.
type Diag struct {
	// At is the offending template node (a policy value, a property).
	At      *cfn.Node
	Message string
	// Severity overrides the rule's default severity when non-zero.
	Severity Severity
	// Statement, when set, keys the fingerprint on its document and statement.
	Statement *iampolicy.Statement
	// Locator names the policy or property when there is no Statement.
	Locator string
	// Evidence is the minimal rule-specific value (action pattern, missing
	// condition key) for the fingerprint.
	Evidence string
	Related  []Related
}

// Related is a secondary location of a finding.
type Related struct {
	At      *cfn.Node
	Message string
}

var assetHash = regexp.MustCompile(`[0-9a-f]{64}`)

// fingerprint implements INTEGRATION.md S-2: no line numbers, paths or message text.
func (f *Finding) fingerprint() string {
	where := f.ConstructPath
	if where == "" {
		where = "logical:" + f.LogicalID
	}
	ev := normalizeEvidence(f.Evidence)
	key := strings.Join([]string{f.Rule.ID(), f.Stack.Assembly, f.Stack.ArtifactID, where, f.PolicyLocator, f.StatementKey, ev}, "\x1f")
	sum := sha256.Sum256([]byte(key))
	return "v1:" + hex.EncodeToString(sum[:])[:32]
}

func normalizeEvidence(ev string) string {
	if len(ev) >= 64 {
		ev = assetHash.ReplaceAllString(ev, "")
	}
	if svc, rest, ok := strings.Cut(ev, ":"); ok && !strings.Contains(svc, "/") && !strings.HasPrefix(ev, "arn") {
		ev = strings.ToLower(svc) + ":" + rest
	}
	return ev
}

// SortFindings orders findings deterministically: severity (highest first),
// rule id, assembly, stack, construct path, JSON pointer, message.
func SortFindings(fs []*Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Rule.ID() != b.Rule.ID() {
			return a.Rule.ID() < b.Rule.ID()
		}
		if a.Stack.Assembly != b.Stack.Assembly {
			return a.Stack.Assembly < b.Stack.Assembly
		}
		if a.Stack.RelPath != b.Stack.RelPath {
			return a.Stack.RelPath < b.Stack.RelPath
		}
		if a.ConstructPath != b.ConstructPath {
			return a.ConstructPath < b.ConstructPath
		}
		if a.JSONPointer != b.JSONPointer {
			return a.JSONPointer < b.JSONPointer
		}
		return a.Message < b.Message
	})
}

// StackRefOf describes a loaded stack for reports.
func StackRefOf(s *loader.Stack) StackRef {
	return StackRef{
		Assembly: s.Assembly, ArtifactID: s.ArtifactID, DisplayName: s.Name(),
		TemplatePath: s.TemplatePath, RelPath: s.RelPath, Root: s.Root, Parent: s.Parent,
	}
}

// locate converts a node's span into a Location with UTF-16 columns.
func locate(t *cfn.Template, n *cfn.Node) Location {
	loc := Location{Path: t.Path}
	if n == nil {
		loc.StartLine, loc.StartColumn, loc.EndLine, loc.EndColumn = 1, 1, 1, 1
		return loc
	}
	loc.StartLine, loc.StartColumn = lineColOf(t, n.Start)
	end := n.End
	if end < n.Start {
		end = n.Start
	}
	// Keep regions on one line where possible (PR annotations need every
	// line in the diff): a multi-line container is reported on its first line.
	if nl := bytes.IndexByte(t.Src[n.Start:min(end, len(t.Src))], '\n'); nl >= 0 {
		end = n.Start + nl
		for end > n.Start && (t.Src[end-1] == '\r' || t.Src[end-1] == ' ') {
			end--
		}
		if end == n.Start {
			end = n.Start + 1
		}
	}
	loc.EndLine, loc.EndColumn = lineColOf(t, end)
	return loc
}

// lineColOf is lineCol using the template's line table: a binary search
// instead of a scan from the start of the file for every location. The
// table is built on first use when the loader left it out (loader.Stream).
func lineColOf(t *cfn.Template, off int) (int, int) {
	if t.File == nil || t.File.Size() != len(t.Src) {
		return lineCol(t.Src, off)
	}
	if t.File.LineCount() <= 1 && bytes.IndexByte(t.Src, '\n') >= 0 {
		t.File.SetLines(cfn.LineStarts(t.Src)) // lines were left to the first position needed
	}
	off = max(0, min(off, len(t.Src)))
	line := t.File.Line(t.File.Pos(off))
	start := t.File.Offset(t.File.LineStart(line))
	col := 1
	for b := t.Src[start:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return line, col
}

// lineCol returns the 1-based line and UTF-16 column of a byte offset.
func lineCol(src []byte, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	col := 1
	for b := src[start:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		col += len(utf16.Encode([]rune{r}))
	}
	return line, col
}
