package graph

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules/iam066/exposure"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func load(t *testing.T, paths ...string) *Graph {
	t.Helper()
	res := loader.Load(paths, loader.Options{})
	for _, e := range res.Errors {
		t.Fatalf("load: %v", e)
	}
	var ms []*stackmodel.Model
	for _, s := range res.Stacks {
		ms = append(ms, stackmodel.Build(s))
	}
	return Build(ms)
}

func corpus(t *testing.T, app string) string {
	dir := filepath.Join("..", "..", "testdata", "corpus", app, "cdk.out")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	return dir
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/graph -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/graph -update to accept):\n%s", name, got)
	}
}

func render(t *testing.T, g *Graph) (mmd, dot []byte) {
	t.Helper()
	var m, d bytes.Buffer
	if err := g.Mermaid(&m); err != nil {
		t.Fatal(err)
	}
	if err := g.Dot(&d); err != nil {
		t.Fatal(err)
	}
	return m.Bytes(), d.Bytes()
}

func TestGolden(t *testing.T) {
	for _, app := range []string{"e-trust-policies", "j-multistage-nested"} {
		t.Run(app, func(t *testing.T) {
			g := load(t, corpus(t, app))
			mmd, dot := render(t, g)
			golden(t, app+".mmd", mmd)
			golden(t, app+".dot", dot)
			var md bytes.Buffer
			if err := g.Markdown(&md, 5); err != nil {
				t.Fatal(err)
			}
			golden(t, app+".md", md.Bytes())
			if !strings.HasSuffix(md.String(), "```\n") || !strings.Contains(md.String(), "```mermaid\nflowchart LR\n") {
				t.Errorf("Markdown does not fence the diagram:\n%s", md.String())
			}
			// Deterministic: a second build draws the same.
			mmd2, dot2 := render(t, load(t, corpus(t, app)))
			if !bytes.Equal(mmd, mmd2) || !bytes.Equal(dot, dot2) {
				t.Error("output differs between two builds")
			}
		})
	}
}

func TestPrincipals(t *testing.T) {
	g := load(t, "testdata/principals.yaml")
	mmd, dot := render(t, g)
	golden(t, "principals.mmd", mmd)
	golden(t, "principals.dot", dot)
	var edges []string
	for _, e := range g.Edges {
		s := e.From.Label + " -" + string(e.Kind) + "-> " + e.To.Label
		if e.Risky {
			s += " [risky]"
		}
		edges = append(edges, s)
	}
	for _, want := range []string{
		"user Alice -member-of-> group Ops",
		"user Alice -member-of-> group Readers",
		"user Alice -has-policy-> privilege escalation",
		"role CiReader -can-assume-> role Deployer [risky]", // the chain: outsiders reach Deployer through CiReader
		"user Alice -can-assume-> role Deployer",
		"this account -can-assume-> role Deployer",
		"Amazon Cognito identity pools -can-assume-> role Guests [risky]",
		"role Loop2 -can-assume-> role Loop", // Loop holds nothing
		"everyone (*) -can-assume-> role Loop2 [risky]",
		"role Loop -can-assume-> role Loop2", // outsiders reach Loop only through Loop2
	} {
		found := false
		for _, e := range edges {
			found = found || e == want
		}
		if !found {
			t.Errorf("no edge %q in\n%s", want, strings.Join(edges, "\n"))
		}
	}
}

func TestTrustPolicies(t *testing.T) {
	g := load(t, corpus(t, "e-trust-policies"))
	byID := map[string]*Node{}
	for _, n := range g.Nodes {
		byID[n.LogicalID+n.Key] = n
	}
	gh := byID["GithubNoSubRoleD7BA35AB"]
	if gh == nil || !gh.Risky || gh.Exposure != exposure.Open || gh.Level != exposure.PermissionsManagement || gh.Holds != "AmazonS3FullAccess" {
		t.Fatalf("GithubNoSubRole: %+v", gh)
	}
	pub := byID["PublicAssumableRole9D06E9DD"]
	if pub == nil || pub.Risky || pub.Exposure != exposure.Open || pub.Level != exposure.Read {
		t.Errorf("PublicAssumableRole: %+v", pub)
	}
	if n := byID["GithubDeployRoleB0CF66A5"]; n.Exposure != exposure.NotExposed || n.Level != exposure.Admin {
		t.Errorf("GithubDeployRole: %+v", n)
	}
	var risky []string
	for _, e := range g.Edges {
		if e.Risky {
			risky = append(risky, e.From.Label+" -> "+e.To.Label+" ("+e.Label+")")
		}
	}
	want := []string{
		"GitHub Actions (token.actions.githubusercontent.com) -> role GithubNoSubRole (no sub)",
		`GitHub Actions (token.actions.githubusercontent.com) -> role GithubOrgWildcardRole (sub "repo:acme/*")`,
	}
	if strings.Join(risky, "\n") != strings.Join(want, "\n") {
		t.Errorf("risky edges:\n%s\nwant:\n%s", strings.Join(risky, "\n"), strings.Join(want, "\n"))
	}
	// The same GitHub provider node serves every role that trusts it.
	n := 0
	for _, node := range g.Nodes {
		if node.Key == "oidc:token.actions.githubusercontent.com" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d GitHub nodes, want 1", n)
	}

	top := Riskiest(g, 3)
	var got []string
	for _, n := range top {
		got = append(got, n.LogicalID)
	}
	if strings.Join(got, ",") != "GithubNoSubRoleD7BA35AB,GithubOrgWildcardRole1297B508,SharedTaskRole21290B69" {
		t.Errorf("Riskiest = %v", got)
	}
	if all := Riskiest(g, 0); len(all) <= 3 {
		t.Errorf("Riskiest(g, 0) = %d nodes", len(all))
	}
}

func TestMultiStage(t *testing.T) {
	g := load(t, corpus(t, "j-multistage-nested"))
	// Account 777777777777 (the Tooling stack's, of the same app) trusts
	// the Dev and Prod deploy roles and its own signer role: one shared
	// node, three edges, none exposed.
	var from []string
	for _, e := range g.Edges {
		if e.From.Key == "account:777777777777" {
			from = append(from, e.To.Stack.Name+" "+e.To.Label)
			if e.Risky || e.Exposure != exposure.NotExposed {
				t.Errorf("edge %s -> %s is marked exposed", e.From.Label, e.To.Label)
			}
		}
	}
	if strings.Join(from, ",") != "Dev/SharedIam role StageDeployRole,Prod/SharedIam role StageDeployRole,Tooling/Artifacts/Signing role SignerRole" {
		t.Errorf("account 777777777777 edges: %v", from)
	}
	// Same logical IDs in two stacks get distinct node ids.
	ids := map[string]bool{}
	for _, n := range g.Nodes {
		if ids[n.ID] {
			t.Errorf("duplicate node id %s", n.ID)
		}
		ids[n.ID] = true
	}
}

func TestTruncation(t *testing.T) {
	g := load(t, corpus(t, "e-trust-policies"))
	g.MaxPrincipals = 3
	var buf bytes.Buffer
	if err := g.Mermaid(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "%% 3 of 15 principals shown, riskiest first") || !strings.Contains(out, `more["12 more principals not shown (less risky)"]`) {
		t.Errorf("no truncation note:\n%s", out)
	}
	if !strings.Contains(out, "GithubNoSubRole") || strings.Contains(out, "WorkerServiceRole") {
		t.Errorf("wrong principals kept:\n%s", out)
	}
	// Every edge drawn joins drawn nodes.
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "-->") || strings.Contains(line, "==>") || strings.Contains(line, "-.->") {
			f := strings.Fields(line)
			for _, id := range []string{f[0], f[len(f)-1]} {
				if !strings.Contains(out, "  "+id+"[") && !strings.Contains(out, "  "+id+"(") && !strings.Contains(out, "  "+id+"{") {
					t.Errorf("edge to undeclared node %s: %s", id, line)
				}
			}
		}
	}
}

func TestSizeCap(t *testing.T) {
	// Many stacks of many roles: the Mermaid text stays under GitHub's
	// limits however large the input.
	var ms []*stackmodel.Model
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("Resources:\n")
	for i := 0; i < 300; i++ {
		src.WriteString("  Role" + itoa(i) + ":\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: lambda.amazonaws.com}}\n          - {Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: \"arn:aws:iam::2222222222" + itoa(10+i%90) + ":root\"}}\n      ManagedPolicyArns: [\"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n")
	}
	file := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := loader.Load([]string{file}, loader.Options{})
	for _, s := range res.Stacks {
		ms = append(ms, stackmodel.Build(s))
	}
	g := Build(ms)
	g.MaxPrincipals = 1000
	var buf bytes.Buffer
	if err := g.Mermaid(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > MaxMermaidBytes || strings.Count(buf.String(), "-->")+strings.Count(buf.String(), "-.->") > MaxMermaidEdges {
		t.Errorf("Mermaid output too large: %d bytes", buf.Len())
	}
	if !strings.Contains(buf.String(), "more principals not shown") {
		t.Error("no truncation note")
	}
	var dot bytes.Buffer
	g.MaxPrincipals = 0
	if err := g.Dot(&dot); err != nil {
		t.Fatal(err)
	}
	if strings.Count(dot.String(), `[label="role Role`) != 300 {
		t.Errorf("Dot should draw every principal")
	}
}

func TestEscaping(t *testing.T) {
	if got := mermaidText(`a "b" <c> #d | e`); got != `a #quot;b#quot; #lt;c#gt; #35;d #124; e` {
		t.Errorf("mermaidText = %q", got)
	}
	if got := dotText(`a "b" \c`); got != `a \"b\" \\c` {
		t.Errorf("dotText = %q", got)
	}
	if got := mdCell("a|b *c* `d` _e_ <f>"); got != "a\\|b \\*c\\* \\`d\\` \\_e\\_ &lt;f&gt;" {
		t.Errorf("mdCell = %q", got)
	}
	if got := sanitize("Dev/SharedIam Custom::X-1"); got != "Dev_SharedIam_Custom__X_1" {
		t.Errorf("sanitize = %q", got)
	}
	b := &builder{ids: map[string]bool{}}
	if a, c := b.unique("a/b"), b.unique("a_b"); a != "a_b" || c != "a_b_2" {
		t.Errorf("unique = %q, %q", a, c)
	}
}
