package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/iamvet/iamvet/rules"
)

// The JSON output (INTEGRATION.md S-4) is a contract for the CDK adapter and
// other tools: structs give it a fixed field order, arrays are never null.

type jsonReport struct {
	SchemaVersion int           `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Summary       jsonSummary   `json:"summary"`
	Findings      []jsonFinding `json:"findings"`
	Stacks        []jsonStack   `json:"stacks"`
	Errors        []jsonLoadErr `json:"errors"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"informationUri,omitempty"`
}

type jsonSummary struct {
	Findings    int            `json:"findings"`
	Blocking    int            `json:"blocking"`
	BySeverity  jsonBySeverity `json:"bySeverity"`
	FailOn      string         `json:"failOn"`
	Suppressed  int            `json:"suppressed"`
	CDKInternal int            `json:"cdkInternal"`
}

// jsonBySeverity lists the non-zero counts, most severe first.
type jsonBySeverity struct {
	Critical int `json:"critical,omitempty"`
	High     int `json:"high,omitempty"`
	Medium   int `json:"medium,omitempty"`
	Low      int `json:"low,omitempty"`
}

type jsonFinding struct {
	RuleID           string           `json:"ruleId"`
	RuleName         string           `json:"ruleName"`
	Severity         string           `json:"severity"`
	SecuritySeverity string           `json:"securitySeverity"`
	Level            string           `json:"level"`
	Title            string           `json:"title"`
	Message          string           `json:"message"`
	Fix              string           `json:"fix"`
	HelpURI          string           `json:"helpUri"`
	Fingerprint      string           `json:"fingerprint"`
	Stack            jsonStack        `json:"stack"`
	Resource         jsonResource     `json:"resource"`
	JSONPointer      string           `json:"jsonPointer"`
	CDKInternal      bool             `json:"cdkInternal"`
	InternalNote     string           `json:"internalNote,omitempty"`
	Location         jsonLocation     `json:"location"`
	TemplateLocation jsonLocation     `json:"templateLocation"`
	Frames           []jsonLocation   `json:"frames"`
	RelatedLocations []jsonLocation   `json:"relatedLocations"`
	Suppression      *jsonSuppression `json:"suppression,omitempty"`
}

type jsonStack struct {
	Assembly     string `json:"assembly"`
	ArtifactID   string `json:"artifactId"`
	DisplayName  string `json:"displayName"`
	TemplatePath string `json:"templatePath"`
	RelPath      string `json:"relPath"`
	Parent       string `json:"parent"`
}

type jsonResource struct {
	LogicalID     string `json:"logicalId"`
	Type          string `json:"type"`
	ConstructPath string `json:"constructPath"`
}

type jsonLocation struct {
	Source      string `json:"source,omitempty"` // location only: source|template|app|generated
	URI         string `json:"uri"`
	StartLine   int    `json:"startLine"`
	StartColumn int    `json:"startColumn"`
	EndLine     int    `json:"endLine"`
	EndColumn   int    `json:"endColumn"`
	Message     string `json:"message,omitempty"` // frames and related locations only
}

type jsonSuppression struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

type jsonLoadErr struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// WriteJSON writes the JSON report (schemaVersion 1): 2-space indent,
// trailing newline, same bytes for the same input.
func WriteJSON(w io.Writer, in *Input) error {
	fs := listed(in)
	if err := checkFindings(fs); err != nil {
		return err
	}
	p := newPaths(in.RepoRoot)
	counts := bySeverity(in.Findings)
	internal := 0
	for _, f := range in.Findings {
		if f.CDKInternal {
			internal++
		}
	}
	out := jsonReport{
		SchemaVersion: 1,
		Tool:          jsonTool{Name: in.Tool.Name, Version: strings.TrimPrefix(in.Tool.Version, "v"), InformationURI: in.Tool.InformationURI},
		Summary: jsonSummary{
			Findings: len(in.Findings),
			Blocking: Blocking(in),
			BySeverity: jsonBySeverity{
				Critical: counts[rules.Critical], High: counts[rules.High],
				Medium: counts[rules.Medium], Low: counts[rules.Low],
			},
			FailOn:      in.FailOn.String(),
			Suppressed:  len(in.Suppressed),
			CDKInternal: internal,
		},
		Findings: make([]jsonFinding, 0, len(fs)),
		Stacks:   make([]jsonStack, 0, len(in.Stacks)),
		Errors:   make([]jsonLoadErr, 0, len(in.Errors)),
	}
	for _, f := range fs {
		out.Findings = append(out.Findings, jsonFindingOf(p, f))
	}
	for _, s := range in.Stacks {
		out.Stacks = append(out.Stacks, jsonStackOf(s))
	}
	for _, e := range in.Errors {
		out.Errors = append(out.Errors, jsonLoadErr(e))
	}
	return encodeJSON(w, out)
}

func jsonFindingOf(p *paths, f *rules.Finding) jsonFinding {
	r := f.Rule
	tmpl := templateLoc(f)
	tr := p.rel(tmpl.Path)
	tl := jsonLocationOf(tr.rel, tmpl)
	pl := p.primary(f)
	loc := jsonLocationOf(pl.rel, pl.loc)
	loc.Source = pl.source
	jf := jsonFinding{
		RuleID:           r.ID(),
		RuleName:         r.Name(),
		Severity:         f.Severity.String(),
		SecuritySeverity: f.Severity.SecuritySeverity(),
		Level:            f.Severity.Level(),
		Title:            capitalize(r.Title()),
		Message:          f.Message,
		Fix:              r.Fix,
		HelpURI:          helpURI(r),
		Fingerprint:      fingerprint(f),
		Stack:            jsonStackOf(f.Stack),
		Resource:         jsonResource{LogicalID: f.LogicalID, Type: f.ResourceType, ConstructPath: f.ConstructPath},
		JSONPointer:      f.JSONPointer,
		CDKInternal:      f.CDKInternal,
		InternalNote:     f.InternalNote,
		Location:         loc,
		TemplateLocation: tl,
		Frames:           []jsonLocation{},
		RelatedLocations: make([]jsonLocation, 0, len(f.Related)),
	}
	for _, fr := range p.frameLocs(f) {
		l := jsonLocationOf(p.rel(fr.Path).rel, fr)
		l.Message = fr.Message
		jf.Frames = append(jf.Frames, l)
	}
	for _, rl := range relatedLocs(f) {
		l := jsonLocationOf(p.rel(rl.Path).rel, rl)
		l.Message = rl.Message
		jf.RelatedLocations = append(jf.RelatedLocations, l)
	}
	if s := f.Suppressed; s != nil {
		jf.Suppression = &jsonSuppression{Kind: s.Kind, ID: s.ID, Reason: s.Reason}
	}
	return jf
}

func jsonLocationOf(uri string, l rules.Location) jsonLocation {
	r := regionOf(l)
	return jsonLocation{URI: uri, StartLine: r.StartLine, StartColumn: r.StartColumn, EndLine: r.EndLine, EndColumn: r.EndColumn}
}

func jsonStackOf(s rules.StackRef) jsonStack {
	return jsonStack{
		Assembly: s.Assembly, ArtifactID: s.ArtifactID, DisplayName: s.DisplayName,
		TemplatePath: s.TemplatePath, RelPath: s.RelPath, Parent: s.Parent,
	}
}

// encodeJSON writes v with 2-space indentation, no HTML escaping and a
// trailing newline, in one Write.
func encodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
