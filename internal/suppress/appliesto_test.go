package suppress

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

func TestCompileJSRegex(t *testing.T) {
	tests := []struct {
		re    string
		in    string
		match bool
		bad   bool
	}{
		// The corpus entry (JSON-decoded), as cdk-nag's toRegEx splits it.
		{re: `/^Resource::arn:aws:s3:::acme-exports\/(.*)$/g`, in: "Resource::arn:aws:s3:::acme-exports/*", match: true},
		{re: `/^Resource::arn:aws:s3:::acme-exports\/(.*)$/g`, in: "Resource::arn:aws:s3:::acme-exports", match: false},
		{re: `/^Resource::arn:aws:s3:::acme-exports\/.*$/g`, in: "Resource::*", match: false},
		{re: `/^Resource::<LandingBucket[0-9A-F]+\.Arn>\/\*$/`, in: "Resource::<LandingBucket23FE90FB.Arn>/*", match: true},
		// Unanchored patterns match anywhere, as RegExp.test does.
		{re: `/kms:/`, in: "Action::kms:*", match: true},
		// Flags: i, s, m map to RE2; y anchors at the start; g and u are no-ops.
		{re: `/^action::S3:GET.*$/i`, in: "Action::s3:GetObject*", match: true},
		{re: `/^action::S3:GET.*$/`, in: "Action::s3:GetObject*", match: false},
		{re: `/s3/y`, in: "Action::s3:*", match: false},
		{re: `/Action/y`, in: "Action::s3:*", match: true},
		{re: `/Action::s3:\*/gu`, in: "Action::s3:*", match: true},
		// Text before the first slash is ignored, as in cdk-nag's /\/(.*)\/(.*)?/.
		{re: `x/^Action::s3:\*$/`, in: "Action::s3:*", match: true},
		// The pattern runs to the LAST slash (greedy).
		{re: `/^Resource::arn:aws:s3:::b/*$/`, in: "Resource::arn:aws:s3:::b///", match: true},
		{re: `no slashes`, bad: true},
		{re: `/abc`, bad: true},
		{re: `/a/gg`, bad: true},
		{re: `/a/q`, bad: true},
		{re: `/(?=lookahead)/`, bad: true},
	}
	for _, tt := range tests {
		re, err := compileJSRegex(tt.re)
		if (err != nil) != tt.bad {
			t.Errorf("compileJSRegex(%q) error = %v, want bad=%v", tt.re, err, tt.bad)
			continue
		}
		if tt.bad {
			continue
		}
		if got := re.MatchString(tt.in); got != tt.match {
			t.Errorf("%s on %q = %v, want %v", tt.re, tt.in, got, tt.match)
		}
	}
}

func TestMatcher(t *testing.T) {
	re, _ := compileJSRegex(`/^Action::kms:.*$/`)
	tests := []struct {
		m    matcher
		in   string
		want bool
	}{
		// Exact strings are compared as cdk-nag does (===): no glob.
		{matcher{text: "Action::kms:Encrypt*"}, "Action::kms:*", false},
		{matcher{text: "Action::kms:Encrypt*"}, "Action::kms:Encrypt*", true},
		{matcher{text: "Action::kms:*"}, "Action::kms:Encrypt*", false},
		{matcher{text: "Resource::<LandingBucket23FE90FB.Arn>/*"}, "Resource::<LandingBucket23FE90FB.Arn>/*", true},
		{matcher{text: "Resource::<LandingBucket23FE90FB.Arn>/*"}, "Resource::<LandingBucket23FE90FB.Arn>", false},
		{matcher{text: "Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"}, "Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess", true},
		{matcher{text: "Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"}, "Policy::arn:aws:iam::aws:policy/AdministratorAccess", false},
		{matcher{text: `/^Action::kms:.*$/`, re: re}, "Action::kms:*", true},
		{matcher{text: `/^Action::kms:.*$/`, re: re}, "Action::s3:*", false},
		{matcher{text: `/(?=x)/`, bad: true}, "/(?=x)/", false},
	}
	for _, tt := range tests {
		if got := tt.m.match(tt.in); got != tt.want {
			t.Errorf("%q.match(%q) = %v, want %v", tt.m.text, tt.in, got, tt.want)
		}
	}
}

func parse(t *testing.T, js string) *cfn.Node {
	t.Helper()
	n, err := cfn.ParseJSON([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFlatten(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"*"`, "*"},
		{`"arn:aws:s3:::acme-exports/*"`, "arn:aws:s3:::acme-exports/*"},
		{`{"Fn::GetAtt": ["LandingBucket23FE90FB", "Arn"]}`, "<LandingBucket23FE90FB.Arn>"},
		{`{"Fn::Join": ["", [{"Fn::GetAtt": ["LandingBucket23FE90FB", "Arn"]}, "/*"]]}`, "<LandingBucket23FE90FB.Arn>/*"},
		{`{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"]]}`, "arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"},
		{`{"Fn::Join": [":", ["a", {"Ref": "B"}, "c"]]}`, "a:<B>:c"},
		{`{"Ref": "Bucket"}`, "<Bucket>"},
		// Fn::Sub strings have ${…} written <…>; the list form is not flattened.
		{`{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}`, "arn:<AWS::Partition>:s3:::<Bucket>/*"},
		{`{"Fn::Sub": ["arn:${P}:s3:::x", {"P": "aws"}]}`, `["arn:${P}:s3:::x",{"P":"aws"}]`},
		{`{"Fn::ImportValue": "Shared:ExportsOutputFnGetAttBucketArn"}`, "Shared:ExportsOutputFnGetAttBucketArn"},
		{`{"Fn::Select": [0, ["a"]]}`, `{"Fn::Select":[0,["a"]]}`},
		{`{"Ref": ""}`, `{"Ref":""}`},
		{`"arn:${AWS::Partition}:logs:*"`, "arn:<AWS::Partition>:logs:*"},
		{`{"Fn::Join": ["", [{"Fn::ImportValue": "X"}, "/<&>"]]}`, "X/<&>"},
	}
	for _, tt := range tests {
		if got := flatten(parse(t, tt.in)); got != tt.want {
			t.Errorf("flatten(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

const stringsTemplate = `{
 "Resources": {
  "Pol": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:PutObject"], "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}]},
    {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111111111111:q"}
  ]}}},
  "Role": {"Type": "AWS::IAM::Role", "Properties": {
    "ManagedPolicyArns": [
      {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"]]},
      "arn:aws:iam::111111111111:policy/Mine"
    ],
    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]
  }}
 }
}`

func TestFindingStrings(t *testing.T) {
	root := parse(t, stringsTemplate)
	tests := []struct {
		ptr  string
		want []string
	}{
		// Every IAM5 string of the statement, whatever value the finding is on.
		{"/Resources/Pol/Properties/PolicyDocument/Statement/0/Action/0", []string{"Action::s3:GetObject*", "Resource::<B.Arn>/*"}},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/0/Resource/1", []string{"Action::s3:GetObject*", "Resource::<B.Arn>/*"}},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/0", []string{"Action::s3:GetObject*", "Resource::<B.Arn>/*"}},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/1/Action", []string{"Action::kms:*", "Resource::*"}},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/2/Action", nil},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/3/NotAction", []string{"Resource::*", "NotAction::iam:*"}},
		{"/Resources/Pol/Properties/PolicyDocument/Statement/4/Action", nil},
		{"/Resources/Role/Properties/ManagedPolicyArns/0", []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"}},
		{"/Resources/Role/Properties/ManagedPolicyArns/1", []string{"Policy::arn:aws:iam::111111111111:policy/Mine"}},
		{"/Resources/Role/Properties/ManagedPolicyArns", []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"}},
		// A statement given as a single object.
		{"/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/Action", []string{"Action::s3:*", "Resource::*"}},
		{"/Resources/Role/Properties", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := findingStrings(root, &rules.Finding{JSONPointer: tt.ptr})
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("findingStrings(%s) = %q, want %q", tt.ptr, got, tt.want)
		}
	}
}

type nagEntry struct {
	Template  string `json:"template"`
	LogicalID string `json:"logicalId"`
	Rule      string `json:"rule"`
}

// TestFindingStringsMatchCdkNag checks the strings iamvet computes against
// what cdk-nag itself reported on every corpus app (cdk-nag.json: 2.x and
// 3.x): for every resource cdk-nag gave granular AwsSolutions-IAM4/IAM5
// findings, the sets must be equal; for every other IAM resource iamvet
// must compute none (unless cdk-nag suppressed the rule as a whole).
func TestFindingStringsMatchCdkNag(t *testing.T) {
	apps, _ := filepath.Glob("../../testdata/corpus/*/cdk-nag.json")
	if len(apps) == 0 {
		t.Fatal("no corpus")
	}
	checked := 0
	for _, nagFile := range apps {
		dir := filepath.Dir(nagFile)
		b, err := os.ReadFile(nagFile)
		if err != nil {
			t.Fatal(err)
		}
		var entries []nagEntry
		if err := json.Unmarshal(b, &entries); err != nil {
			t.Fatal(err)
		}
		type key struct{ tmpl, lid, rule string }
		want := map[key][]string{}
		blanket := map[key]bool{}
		for _, e := range entries {
			rule, finding, granular := strings.Cut(e.Rule, "[")
			if rule != "AwsSolutions-IAM4" && rule != "AwsSolutions-IAM5" {
				continue
			}
			k := key{e.Template, e.LogicalID, rule}
			if !granular {
				blanket[k] = true
				continue
			}
			want[k] = append(want[k], strings.TrimSuffix(finding, "]"))
		}
		res := loader.Load([]string{filepath.Join(dir, "cdk.out")}, loader.Options{})
		if len(res.Errors) > 0 {
			t.Fatal(res.Errors)
		}
		for _, s := range res.Stacks {
			resources := s.Template.Root.Get("Resources")
			for i, lid := range resources.Keys {
				r := resources.Vals[i]
				typ, _ := r.Get("Type").Literal()
				if strings.Contains(lid, "CustomResourceProvider") {
					// CDK's CustomResourceProvider roles are plain
					// CfnResources, which cdk-nag's rules (instanceof
					// CfnRole) never visit.
					continue
				}
				iam4, iam5 := nagStrings(typ, r)
				for _, c := range []struct {
					rule string
					got  []string
				}{{"AwsSolutions-IAM4", iam4}, {"AwsSolutions-IAM5", iam5}} {
					k := key{s.RelPath, lid, c.rule}
					if blanket[k] {
						continue
					}
					w := append([]string(nil), want[k]...)
					g := append([]string(nil), c.got...)
					sort.Strings(w)
					sort.Strings(g)
					if len(w) == 0 && len(g) == 0 {
						continue
					}
					checked++
					if !reflect.DeepEqual(w, g) {
						t.Errorf("%s %s %s: iamvet computes %q, cdk-nag reported %q", filepath.Base(dir), lid, c.rule, g, w)
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d resources compared with cdk-nag", checked)
	}
}

// nagStrings is what AwsSolutions-IAM4 and IAM5 report for a resource,
// computed from iamvet's per-statement strings.
func nagStrings(typ string, r *cfn.Node) (iam4, iam5 []string) {
	props := r.Get("Properties")
	var docs []*cfn.Node
	switch typ {
	case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
		for _, el := range props.Get("ManagedPolicyArns").Elems() {
			if p := flatten(el); strings.Contains(p, ":iam::aws:") {
				iam4 = appendUnique(iam4, "Policy::"+p)
			}
		}
		for _, p := range props.Get("Policies").Elems() {
			docs = append(docs, p.Get("PolicyDocument"))
		}
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		docs = append(docs, props.Get("PolicyDocument"))
	}
	for _, d := range docs {
		for _, st := range d.Get("Statement").Elems() {
			for _, s := range statementStrings(st, nil) {
				if strings.HasPrefix(s, "Action::") || strings.HasPrefix(s, "Resource::") {
					iam5 = appendUnique(iam5, s)
				}
			}
		}
	}
	return iam4, iam5
}
