package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/iamvet/iamvet/rules"
)

// testdata/sarif-schema-2.1.0.json is the SARIF 2.1.0 schema as shipped by
// microsoft/sarif-sdk (npm @microsoft/sarif-multitool-linux 5.7.0,
// sarif-2.1.0.json; see testdata/README.md).
var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open("testdata/sarif-schema-2.1.0.json")
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat() // uri, uri-reference, uuid: checked, not just annotated
		if schemaErr = c.AddResource("sarif-schema-2.1.0.json", doc); schemaErr != nil {
			return
		}
		schema, schemaErr = c.Compile("sarif-schema-2.1.0.json")
	})
	if schemaErr != nil {
		t.Fatalf("SARIF schema: %v", schemaErr)
	}
	return schema
}

func validateSchema(t *testing.T, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema:\n%v", err)
	}
}

// The subset of SARIF the invariants read.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string                 `json:"id"`
					Name             string                 `json:"name"`
					ShortDescription *struct{ Text string } `json:"shortDescription"`
					FullDescription  *struct{ Text string } `json:"fullDescription"`
					Help             *struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags             []string `json:"tags"`
						Precision        string   `json:"precision"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int64 `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
				ID   string `json:"id"`
			} `json:"message"`
			Locations        []sarifLoc `json:"locations"`
			RelatedLocations []sarifLoc `json:"relatedLocations"`
			CodeFlows        []struct {
				Message     struct{ Text string } `json:"message"`
				ThreadFlows []struct {
					Locations []struct {
						Location sarifLoc `json:"location"`
					} `json:"locations"`
				} `json:"threadFlows"`
			} `json:"codeFlows"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]any    `json:"properties"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful *bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string                `json:"level"`
				Message struct{ Text string } `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		AutomationDetails *struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		ColumnKind string `json:"columnKind"`
	} `json:"runs"`
}

type sarifLoc struct {
	ID               *int `json:"id"`
	PhysicalLocation *struct {
		ArtifactLocation *struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine, StartColumn, EndLine, EndColumn int
		} `json:"region"`
	} `json:"physicalLocation"`
	Message *struct{ Text string } `json:"message"`
}

// checkSARIF asserts the S-1 invariants GitHub code scanning depends on.
func checkSARIF(t *testing.T, data []byte) *sarifLog {
	t.Helper()
	validateSchema(t, data)
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(": null")) {
		t.Error("SARIF contains a null value")
	}
	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" {
		t.Errorf("$schema = %q", log.Schema)
	}
	if log.Version != "2.1.0" {
		t.Errorf("version = %q", log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want exactly 1", len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "iamvet" || d.SemanticVersion == "" || d.Version != d.SemanticVersion || strings.HasPrefix(d.Version, "v") {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.SemanticVersion)
	}
	if run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful == nil {
		t.Errorf("invocations = %+v", run.Invocations)
	}
	// Rules: before any result, sorted by id, complete.
	if i, j := bytes.Index(data, []byte(`"rules"`)), bytes.Index(data, []byte(`"results"`)); i < 0 || j < 0 || i > j {
		t.Error("rules are not written before results")
	}
	ids := make([]string, len(d.Rules))
	for i, r := range d.Rules {
		ids[i] = r.ID
		if r.Name == "" || r.Name == r.ID || len(r.Name) > 255 {
			t.Errorf("rule %s: name %q", r.ID, r.Name)
		}
		if r.ShortDescription == nil || r.ShortDescription.Text == "" || len([]rune(r.ShortDescription.Text)) > 1024 {
			t.Errorf("rule %s: shortDescription %+v", r.ID, r.ShortDescription)
		}
		if r.FullDescription == nil || r.FullDescription.Text == "" || len([]rune(r.FullDescription.Text)) > 1024 {
			t.Errorf("rule %s: fullDescription %+v", r.ID, r.FullDescription)
		}
		if r.Help == nil || r.Help.Text == "" || r.Help.Markdown == "" {
			t.Errorf("rule %s: help %+v", r.ID, r.Help)
		} else if !strings.Contains(r.Help.Markdown, "addMetadata('iamvet'") {
			t.Errorf("rule %s: help.markdown does not say how to suppress", r.ID)
		}
		if !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s: helpUri %q", r.ID, r.HelpURI)
		}
		switch r.DefaultConfiguration.Level {
		case "error", "warning", "note":
		default:
			t.Errorf("rule %s: level %q", r.ID, r.DefaultConfiguration.Level)
		}
		p := r.Properties
		if len(p.Tags) == 0 || len(p.Tags) > 10 || p.Tags[0] != "security" {
			t.Errorf("rule %s: tags %v", r.ID, p.Tags)
		}
		if s, err := strconv.ParseFloat(p.SecuritySeverity, 64); err != nil || s <= 0 || s > 10 || s == 9.0 {
			t.Errorf("rule %s: security-severity %q", r.ID, p.SecuritySeverity)
		}
		switch p.Precision {
		case "very-high", "high", "medium", "low":
		default:
			t.Errorf("rule %s: precision %q", r.ID, p.Precision)
		}
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("rules not sorted by id: %v", ids)
	}
	for i, res := range run.Results {
		where := res.RuleID + " result " + strconv.Itoa(i)
		if res.RuleIndex == nil || *res.RuleIndex < 0 || *res.RuleIndex >= int64(len(d.Rules)) {
			t.Errorf("%s: ruleIndex %v out of range", where, res.RuleIndex)
		} else if d.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: rules[ruleIndex].id = %s", where, d.Rules[*res.RuleIndex].ID)
		}
		if res.Message.Text == "" || res.Message.ID != "" {
			t.Errorf("%s: message %+v", where, res.Message)
		}
		switch res.Level {
		case "error", "warning", "note":
		default:
			t.Errorf("%s: level %q", where, res.Level)
		}
		if len(res.Locations) != 1 {
			t.Errorf("%s: %d locations, want exactly 1", where, len(res.Locations))
		}
		if len(res.RelatedLocations) == 0 || len(res.RelatedLocations) > 10 {
			t.Errorf("%s: %d related locations", where, len(res.RelatedLocations))
		} else if id := res.RelatedLocations[0].ID; id == nil || *id != 1 {
			t.Errorf("%s: first related location is not id 1", where)
		}
		for _, l := range append(append([]sarifLoc{}, res.Locations...), res.RelatedLocations...) {
			checkLocation(t, where, l)
		}
		if !strings.Contains(res.Message.Text, "[synthesized template](1)") {
			t.Errorf("%s: message does not link the template: %q", where, res.Message.Text)
		}
		if res.PartialFingerprints["primaryLocationLineHash"] == "" || res.PartialFingerprints["iamvet/v1"] == "" {
			t.Errorf("%s: partialFingerprints %v", where, res.PartialFingerprints)
		}
		for _, k := range []string{"iamvet/stack", "iamvet/assembly", "iamvet/constructPath", "iamvet/logicalId", "iamvet/resourceType", "iamvet/templatePath", "iamvet/jsonPointer", "iamvet/locationSource"} {
			if _, ok := res.Properties[k]; !ok {
				t.Errorf("%s: property %s missing", where, k)
			}
		}
	}
	return &log
}

func checkLocation(t *testing.T, where string, l sarifLoc) {
	t.Helper()
	pl := l.PhysicalLocation
	if pl == nil || pl.ArtifactLocation == nil || pl.Region == nil {
		t.Errorf("%s: incomplete location %+v", where, l)
		return
	}
	uri := pl.ArtifactLocation.URI
	if uri == "" || strings.HasPrefix(uri, "/") || strings.Contains(uri, "://") || strings.HasPrefix(uri, "file:") ||
		uri == ".." || strings.HasPrefix(uri, "../") || strings.Contains(uri, "/../") || strings.Contains(uri, `\`) || strings.Contains(uri, " ") {
		t.Errorf("%s: uri %q is not a clean relative URI", where, uri)
	}
	if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("%s: uriBaseId %q", where, pl.ArtifactLocation.URIBaseID)
	}
	r := pl.Region
	if r.StartLine < 1 || r.StartColumn < 1 || r.EndLine < r.StartLine || r.EndColumn < 1 ||
		(r.EndLine == r.StartLine && r.EndColumn <= r.StartColumn) {
		t.Errorf("%s: region %+v incomplete", where, *r)
	}
}

func TestSARIFGolden(t *testing.T) {
	in := fixture()
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	golden(t, "report.sarif.golden", got)
	log := checkSARIF(t, got)
	run := log.Runs[0]
	if n := len(run.Tool.Driver.Rules); n != 4 {
		t.Errorf("%d rules, want every enabled rule (4)", n)
	}
	if len(run.Results) != len(in.Findings) {
		t.Errorf("%d results, want %d (suppressed ones left out)", len(run.Results), len(in.Findings))
	}
	if run.AutomationDetails != nil {
		t.Error("automationDetails without a category")
	}
	// Result order is the input order.
	for i, res := range run.Results {
		if fp := res.PartialFingerprints["iamvet/v1"]; in.Findings[i].Fingerprint != "" && fp != in.Findings[i].Fingerprint {
			t.Errorf("result %d has fingerprint %s, want %s", i, fp, in.Findings[i].Fingerprint)
		}
	}
	want := `Role HandlerServiceRole allows every action ("*") on every resource: administrator access. ` +
		`Construct ApiStack/Handler/ServiceRole/DefaultPolicy (logical ID HandlerServiceRoleDefaultPolicy1234, AWS::IAM::Policy) in stack ApiStack. ` +
		`Related: [trust policy of role HandlerServiceRole \[lambda.amazonaws.com\]](2). See [synthesized template](1).`
	if got := run.Results[0].Message.Text; got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
	// The template outside the repository root: generated, relative, encoded.
	ext := run.Results[3]
	if u := ext.Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "cdk.out/Ext%20Stack.template.json" {
		t.Errorf("outside-root uri = %q", u)
	}
	if ext.Properties["iamvet/locationSource"] != "generated" || run.Results[0].Properties["iamvet/locationSource"] != "template" {
		t.Errorf("locationSource = %v / %v", ext.Properties["iamvet/locationSource"], run.Results[0].Properties["iamvet/locationSource"])
	}
	if run.Results[4].Properties["iamvet/cdkInternal"] != true {
		t.Error("cdkInternal property missing")
	}
	if _, ok := run.Results[0].Properties["iamvet/cdkInternal"]; ok {
		t.Error("cdkInternal property on a user finding")
	}
	if !strings.Contains(run.Results[4].Message.Text, "CDK-internal construct LogRetention") {
		t.Errorf("internal note missing from %q", run.Results[4].Message.Text)
	}
	if n := run.Invocations[0].Notifications; len(n) != 1 || !strings.Contains(n[0].Message.Text, "cdk synth --debug") {
		t.Errorf("notifications = %+v", n)
	}
	if !*run.Invocations[0].ExecutionSuccessful {
		t.Error("executionSuccessful false without errors")
	}
}

func TestSARIFSuppressedAndCategory(t *testing.T) {
	in := fixture()
	in.IncludeSuppressed = true
	in.Category = "iamvet/app"
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	golden(t, "report_suppressed.sarif.golden", got)
	log := checkSARIF(t, got)
	run := log.Runs[0]
	if run.AutomationDetails == nil || run.AutomationDetails.ID != "iamvet/app/" {
		t.Errorf("automationDetails = %+v", run.AutomationDetails)
	}
	if len(run.Results) != len(in.Findings)+1 {
		t.Fatalf("%d results", len(run.Results))
	}
	last := run.Results[len(run.Results)-1]
	if len(last.Suppressions) != 1 || last.Suppressions[0].Kind != "inSource" || last.Suppressions[0].Justification != "break-glass role, reviewed by security" {
		t.Errorf("suppressions = %+v", last.Suppressions)
	}
	for _, res := range run.Results[:len(run.Results)-1] {
		if res.Suppressions != nil {
			t.Errorf("unsuppressed result has suppressions %+v", res.Suppressions)
		}
	}
	// A category that already ends in "/" is not doubled.
	in.Category = "iamvet/app/"
	again := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	if !bytes.Equal(got, again) {
		t.Error("trailing slash in the category changed the output")
	}
}

func TestSARIFTruncated(t *testing.T) {
	in := fixture()
	in.MaxResults = 2
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log := checkSARIF(t, got)
	run := log.Runs[0]
	if len(run.Results) != 2 {
		t.Fatalf("%d results, want 2", len(run.Results))
	}
	if run.Results[0].RuleID != "IAM901" || run.Results[1].RuleID != "IAM902" {
		t.Errorf("kept %s, %s; want the first (most severe) two", run.Results[0].RuleID, run.Results[1].RuleID)
	}
	found := false
	for _, n := range run.Invocations[0].Notifications {
		found = found || strings.Contains(n.Message.Text, "2 of 5 findings written")
	}
	if !found {
		t.Errorf("no truncation notification: %+v", run.Invocations[0].Notifications)
	}
	if len(run.Tool.Driver.Rules) != 4 {
		t.Error("truncation dropped rules")
	}
}

func TestSARIFEmpty(t *testing.T) {
	in := &Input{
		Tool:     Tool{Name: "iamvet", Version: "v0.1.0"},
		Rules:    []*rules.Rule{ruleWildcard, ruleAdmin},
		RepoRoot: repo,
		Errors:   []Error{{File: "cdk.out/Broken.template.json", Line: 3, Column: 5, Message: "unexpected end of JSON input"}},
	}
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log := checkSARIF(t, got)
	run := log.Runs[0]
	if run.Results == nil || len(run.Results) != 0 {
		t.Errorf("results = %v, want []", run.Results)
	}
	if !bytes.Contains(got, []byte(`"results": []`)) {
		t.Error("results is not an empty array")
	}
	if run.Tool.Driver.Version != "0.1.0" {
		t.Errorf("version %q keeps its v", run.Tool.Driver.Version)
	}
	if len(run.Tool.Driver.Rules) != 2 || run.Tool.Driver.Rules[0].ID != "IAM901" {
		t.Errorf("rules = %+v", run.Tool.Driver.Rules)
	}
	inv := run.Invocations[0]
	if *inv.ExecutionSuccessful || len(inv.Notifications) != 1 || inv.Notifications[0].Level != "error" ||
		inv.Notifications[0].Message.Text != "load error: cdk.out/Broken.template.json:3:5: unexpected end of JSON input" {
		t.Errorf("invocation = %+v", inv)
	}
}

func TestSARIFManyRelated(t *testing.T) {
	in := fixture()
	f := *in.Findings[0]
	f.Related = nil
	for i := 0; i < 15; i++ {
		f.Related = append(f.Related, loc(apiStack.TemplatePath, 10+i, 3, 10+i, 9))
	}
	in.Findings = []*rules.Finding{&f}
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log := checkSARIF(t, got)
	res := log.Runs[0].Results[0]
	if len(res.RelatedLocations) != 10 {
		t.Errorf("%d related locations, want 10", len(res.RelatedLocations))
	}
	if !strings.Contains(res.Message.Text, "[related location](10)") || strings.Contains(res.Message.Text, "](11)") {
		t.Errorf("message links: %s", res.Message.Text)
	}
}

func TestRuleTagsLimit(t *testing.T) {
	r := *ruleAdmin
	r.CWE = []string{"CWE-1", "CWE-2", "cwe-3", "CWE-4", "CWE-5", "CWE-6", "CWE-1", "not-a-cwe"}
	got := tags(&r)
	if len(got) != 10 || got[5] != "external/cwe/cwe-1" || got[7] != "external/cwe/cwe-3" {
		t.Errorf("tags = %v", got)
	}
}

func TestDescriptionLimit(t *testing.T) {
	long := strings.Repeat("word ", 400)
	got := limit(long, maxDescription)
	if n := len([]rune(got)); n > maxDescription || !strings.HasSuffix(got, "…") {
		t.Errorf("limit: %d runes, %q", n, got[len(got)-10:])
	}
	if limit("short", 10) != "short" {
		t.Error("short text changed")
	}
}

func TestTidyJSON(t *testing.T) {
	got, err := tidyJSON([]byte(`{"b":1,"a":null,"c":[null,{"x":null,"y":"<&>"}],"d":{"e":null},"f":1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"b\": 1,\n  \"c\": [\n    null,\n    {\n      \"y\": \"<&>\"\n    }\n  ],\n  \"d\": {},\n  \"f\": 1.50\n}\n"
	if string(got) != want {
		t.Errorf("tidyJSON =\n%s\nwant\n%s", got, want)
	}
	if _, err := tidyJSON([]byte(`{"a":1} {"b":2}`)); err == nil {
		t.Error("trailing value accepted")
	}
}

// TestSchemaRejectsRawSuppression shows the schema check is not vacuous and
// why WriteSARIF post-processes: go-sarif marshals a Suppression's unset
// fields as null, which the 2.1.0 schema rejects.
func TestSchemaRejectsRawSuppression(t *testing.T) {
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		t.Fatal(err)
	}
	run := sarif.NewRunWithInformationURI("iamvet", "https://github.com/iamvet/iamvet")
	run.AddRule("IAM901").WithShortDescription(sarif.NewMultiformatMessageString("x"))
	res := sarif.NewRuleResult("IAM901").WithMessage(sarif.NewTextMessage("m"))
	res.AddSuppression(sarif.NewSuppression("inSource"))
	run.AddResult(res)
	rep.AddRun(run)
	var raw bytes.Buffer
	if err := rep.PrettyWrite(&raw); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if sarifSchema(t).Validate(inst) == nil {
		t.Fatal("schema accepted null suppression fields")
	}
	tidy, err := tidyJSON(raw.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	validateSchema(t, tidy)
}

// A finding without any path still gets a complete location (a missing one
// makes GitHub reject the whole file, F-1.6); a related location without a
// path is in the finding's template.
func TestSARIFMissingPaths(t *testing.T) {
	in := fixture()
	f := *in.Findings[1]
	f.Template = rules.Location{}
	f.Related = []rules.Location{{StartLine: 5, StartColumn: 2, EndLine: 5, EndColumn: 9, Message: "same template"}}
	g := *in.Findings[2]
	g.Template.Path, g.Stack.TemplatePath = "", ""
	in.Findings = []*rules.Finding{&f, &g}
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log := checkSARIF(t, got)
	res := log.Runs[0].Results
	if u := res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "app/cdk.out/ApiStack.template.json" {
		t.Errorf("location without path: uri %q, want the stack template", u)
	}
	if u := res[0].RelatedLocations[1].PhysicalLocation.ArtifactLocation.URI; u != "app/cdk.out/ApiStack.template.json" {
		t.Errorf("related without path: uri %q", u)
	}
	if u := res[1].Locations[0].PhysicalLocation.ArtifactLocation.URI; u != unknownURI {
		t.Errorf("no path at all: uri %q", u)
	}
}

func uriOf(l sarifLoc) string {
	if l.PhysicalLocation == nil || l.PhysicalLocation.ArtifactLocation == nil {
		return ""
	}
	return l.PhysicalLocation.ArtifactLocation.URI
}

func lineOf(l sarifLoc) int {
	if l.PhysicalLocation == nil || l.PhysicalLocation.Region == nil {
		return 0
	}
	return l.PhysicalLocation.Region.StartLine
}

// TestSARIFSourceLocations: locations[0] is the resolved source, related
// location 1 the template, then the construct-trace frames, then the
// rule's related locations (S-1, S-3.3).
func TestSARIFSourceLocations(t *testing.T) {
	in := sourceFixture()
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	golden(t, "report_source.sarif.golden", got)
	log := checkSARIF(t, got)
	res := log.Runs[0].Results
	for i, tc := range []struct {
		uri     string
		line    int
		source  string
		related []string
	}{
		{"app/lib/api-stack.ts", 42, "source", []string{"app/cdk.out/ApiStack.template.json", "app/bin/app.ts", "app/cdk.out/ApiStack.template.json"}},
		{"app/cdk.out/ApiStack.template.json", 131, "generated", []string{"app/cdk.out/ApiStack.template.json"}},
		{"app/bin/app.ts", 12, "app", []string{"app/cdk.out/assembly-Prod/ProdDataStack1A2B3C4D.template.json"}},
		{"cdk.out/Ext%20Stack.template.json", 12, "generated", []string{"cdk.out/Ext%20Stack.template.json"}},
		{"app/cdk.out/ApiStack.template.json", 201, "template", []string{"app/cdk.out/ApiStack.template.json"}},
	} {
		r := res[i]
		if u, l := uriOf(r.Locations[0]), lineOf(r.Locations[0]); u != tc.uri || l != tc.line {
			t.Errorf("result %d: location %s:%d, want %s:%d", i, u, l, tc.uri, tc.line)
		}
		if s := r.Properties["iamvet/locationSource"]; s != tc.source {
			t.Errorf("result %d: locationSource %v, want %s", i, s, tc.source)
		}
		var rel []string
		for j, l := range r.RelatedLocations {
			rel = append(rel, uriOf(l))
			if l.ID == nil || *l.ID != j+1 {
				t.Errorf("result %d: related location %d has id %v", i, j, l.ID)
			}
		}
		if strings.Join(rel, " ") != strings.Join(tc.related, " ") {
			t.Errorf("result %d: related %v, want %v", i, rel, tc.related)
		}
		if r.CodeFlows != nil {
			t.Errorf("result %d: code flows without CodeFlows", i)
		}
	}
	admin := res[0]
	if m := admin.RelatedLocations[0].Message; m == nil || m.Text != templateLinkText {
		t.Errorf("related location 1 message %+v", m)
	}
	if m := admin.RelatedLocations[1].Message; m == nil || m.Text != "creates ApiStack (construct trace)" || lineOf(admin.RelatedLocations[1]) != 8 {
		t.Errorf("frame related location %+v", admin.RelatedLocations[1])
	}
	// The message links the rule's related location by its shifted id.
	if !strings.Contains(admin.Message.Text, `Related: [trust policy of role HandlerServiceRole \[lambda.amazonaws.com\]](3). See [synthesized template](1).`) {
		t.Errorf("message %q", admin.Message.Text)
	}
	// The template location is unchanged by source resolution.
	if r := admin.RelatedLocations[0].PhysicalLocation.Region; r.StartLine != 118 || r.StartColumn != 21 || r.EndColumn != 24 {
		t.Errorf("template region %+v", *r)
	}
}

func TestSARIFCodeFlows(t *testing.T) {
	in := sourceFixture()
	in.CodeFlows = true
	f := in.Findings[0]
	f.Frames = append(f.Frames, rules.Location{Path: "/opt/outside/app.ts", StartLine: 3, StartColumn: 1, EndLine: 3, EndColumn: 9, Message: "outside"})
	got := write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log := checkSARIF(t, got)
	res := log.Runs[0].Results
	cf := res[0].CodeFlows
	if len(cf) != 1 || len(cf[0].ThreadFlows) != 1 {
		t.Fatalf("code flows %+v", cf)
	}
	var steps []string
	for _, l := range cf[0].ThreadFlows[0].Locations {
		checkLocation(t, "code flow", l.Location)
		steps = append(steps, fmt.Sprintf("%s:%d", uriOf(l.Location), lineOf(l.Location)))
	}
	// From the app entry to the construct; the frame outside the
	// repository is left out.
	if want := "app/bin/app.ts:8 app/lib/api-stack.ts:42"; strings.Join(steps, " ") != want {
		t.Errorf("flow %v, want %s", steps, want)
	}
	for i, r := range res[1:] {
		if r.CodeFlows != nil {
			t.Errorf("result %d (not in source) has code flows", i+1)
		}
	}
	// At most 10 steps, ending at the construct.
	f.Frames = nil
	for i := 0; i < 12; i++ {
		f.Frames = append(f.Frames, rules.Location{Path: "/repo/app/lib/x.ts", StartLine: 100 + i, StartColumn: 1, EndLine: 100 + i, EndColumn: 5, Message: "construct trace"})
	}
	got = write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) })
	log = checkSARIF(t, got)
	r := log.Runs[0].Results[0]
	steps = nil
	for _, l := range r.CodeFlows[0].ThreadFlows[0].Locations {
		steps = append(steps, fmt.Sprintf("%d", lineOf(l.Location)))
	}
	if want := "108 107 106 105 104 103 102 101 100 42"; strings.Join(steps, " ") != want {
		t.Errorf("long flow %v, want %s", steps, want)
	}
	// Related locations: template + 9 frames, the rule's related location
	// does not fit.
	if len(r.RelatedLocations) != 10 || strings.Contains(r.Message.Text, "Related:") {
		t.Errorf("%d related locations; message %q", len(r.RelatedLocations), r.Message.Text)
	}
}

// A source location outside the repository root is never emitted: the
// template stands in.
func TestSARIFSourceOutsideRoot(t *testing.T) {
	in := sourceFixture()
	in.Findings[0].Source.Path = "/elsewhere/lib/api-stack.ts"
	in.Findings = in.Findings[:1]
	log := checkSARIF(t, write(t, func(b *bytes.Buffer) error { return WriteSARIF(b, in) }))
	r := log.Runs[0].Results[0]
	if u := uriOf(r.Locations[0]); u != "app/cdk.out/ApiStack.template.json" || r.Properties["iamvet/locationSource"] != "template" {
		t.Errorf("location %s (%v)", u, r.Properties["iamvet/locationSource"])
	}
	path, loc, source := PrimaryLocation(in, in.Findings[0])
	if path != "app/cdk.out/ApiStack.template.json" || loc.StartLine != 118 || source != "template" {
		t.Errorf("PrimaryLocation = %s %d %s", path, loc.StartLine, source)
	}
	in = sourceFixture()
	if path, loc, source := PrimaryLocation(in, in.Findings[0]); path != "app/lib/api-stack.ts" || loc.StartLine != 42 || source != "source" {
		t.Errorf("PrimaryLocation = %s %d %s", path, loc.StartLine, source)
	}
}
