package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The reviewers' expectations (testdata/corpus/<app>/expected.md) in the
// format ../shared/tools/score-corpus reads: '## <template>' headings and
// '- `LogicalId` … — [problem][sev] / [ok] / [noise]' items.
var (
	expHead  = regexp.MustCompile(`^##\s+(\S+\.json)\b`)
	expItem  = regexp.MustCompile(`^-\s+(.*?)\s+—\s+(.*)$`)
	expTick  = regexp.MustCompile("`([A-Za-z0-9]+)`")
	expProb  = regexp.MustCompile(`\[problem\]\[(critical|high|medium|low)\]`)
	expParen = regexp.MustCompile(`\([^)]*\)`)
)

type expectation struct{ template, logicalID, kind string }

func readExpectations(t *testing.T, path string) []expectation {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expectation
	template := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := expHead.FindStringSubmatch(line); m != nil {
			template = m[1]
			continue
		}
		m := expItem.FindStringSubmatch(line)
		if m == nil || template == "" {
			continue
		}
		kind := ""
		switch {
		case expProb.MatchString(m[2]):
			kind = "problem"
		case strings.Contains(m[2], "[noise]"):
			kind = "noise"
		case strings.Contains(m[2], "[ok]"):
			kind = "ok"
		default:
			continue
		}
		for _, id := range expTick.FindAllStringSubmatch(expParen.ReplaceAllString(m[1], ""), -1) {
			out = append(out, expectation{template, id[1], kind})
		}
	}
	return out
}

// TestCorpusExpectations holds iamvet to the security reviewers' reading
// of every corpus app: every [problem] resource carries a finding, no [ok]
// resource carries one of medium severity or above, and findings on
// CDK-internal [noise] resources are marked cdkInternal (or low).
func TestCorpusExpectations(t *testing.T) {
	apps, _ := filepath.Glob(filepath.Join(repo(t), "testdata", "corpus", "*", "expected.md"))
	if len(apps) == 0 {
		t.Fatal("no corpus expectations")
	}
	problems, found := 0, 0
	for _, exp := range apps {
		dir := filepath.Join(filepath.Dir(exp), "cdk.out")
		code, out, stderr := runCLI(t, "--format", "json", "--fail-on", "none", dir)
		if code != ExitClean {
			t.Fatalf("%s: exit %d: %s", dir, code, stderr)
		}
		var doc struct {
			Findings []struct {
				RuleID      string `json:"ruleId"`
				Severity    string `json:"severity"`
				CDKInternal bool   `json:"cdkInternal"`
				Stack       struct {
					TemplatePath string `json:"templatePath"`
				} `json:"stack"`
				Resource struct {
					LogicalID string `json:"logicalId"`
				} `json:"resource"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, e := range readExpectations(t, exp) {
			var hits []string
			loud, unmarked := false, false
			for _, f := range doc.Findings {
				if f.Resource.LogicalID != e.logicalID || !strings.HasSuffix(filepath.ToSlash(f.Stack.TemplatePath), "/"+e.template) {
					continue
				}
				hits = append(hits, f.RuleID+"/"+f.Severity)
				loud = loud || (f.Severity != "low")
				unmarked = unmarked || (!f.CDKInternal && f.Severity != "low")
			}
			app := filepath.Base(filepath.Dir(exp))
			switch e.kind {
			case "problem":
				problems++
				if len(hits) > 0 {
					found++
				} else {
					t.Errorf("%s %s %s: [problem] without a finding", app, e.template, e.logicalID)
				}
			case "ok":
				if loud {
					t.Errorf("%s %s %s: [ok] resource flagged %v", app, e.template, e.logicalID, hits)
				}
			case "noise":
				if unmarked {
					t.Errorf("%s %s %s: CDK-internal resource has unmarked findings %v", app, e.template, e.logicalID, hits)
				}
			}
		}
	}
	t.Logf("recall %d/%d", found, problems)
}
