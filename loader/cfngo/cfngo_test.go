package cfngo

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/intrinsics"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
)

const corpus = "../../testdata/corpus"

// corpusStacks loads every corpus app and returns its stacks by name.
func corpusStacks(t *testing.T) map[string]*loader.Stack {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(corpus, "*", "cdk.out"))
	if err != nil || len(dirs) < 10 {
		t.Fatalf("corpus not found: %v (%d apps)", err, len(dirs))
	}
	stacks := map[string]*loader.Stack{}
	for _, d := range dirs {
		res := loader.Load([]string{d}, loader.Options{})
		for _, e := range res.Errors {
			t.Errorf("load %s: %v", d, e)
		}
		for _, s := range res.Stacks {
			stacks[s.Name()] = s
		}
	}
	return stacks
}

// stackFrom parses template source into a stack.
func stackFrom(t *testing.T, name, src string) *loader.Stack {
	t.Helper()
	tpl, perr := loader.ParseTemplate(name, []byte(src))
	if perr != nil {
		t.Fatalf("parse %s: %v", name, perr)
	}
	return &loader.Stack{ArtifactID: strings.TrimSuffix(name, filepath.Ext(name)), Template: tpl}
}

// plain is the template value as encoding/json reads it.
func plain(t *testing.T, n *cfn.Node) interface{} {
	t.Helper()
	var v interface{}
	if err := json.Unmarshal([]byte(mustJSON(t, Encode(n))), &v); err != nil {
		t.Fatal(err)
	}
	return DecodeAll(v)
}

func mustJSON(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCorpusConverts(t *testing.T) {
	stacks := corpusStacks(t)
	if len(stacks) != 18 {
		t.Errorf("corpus has %d stacks, want 18", len(stacks))
	}
	// The one resource goformation v7.14.9 cannot type: a Lambda permission
	// with InvokedViaFunctionUrl (newer than its schema).
	wantGeneric := map[string]string{"SharedResources/WebhookFninvokefunctionC89003B1": "AWS::Lambda::Permission"}
	gotGeneric := map[string]string{}
	for name, s := range stacks {
		tpl, errs := ToGoformation(s)
		for _, err := range errs {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("%s: error %v is not a *cfngo.Error", name, err)
				continue
			}
			if !ce.Generic || ce.Section != "Resources" {
				t.Errorf("%s: unexpected error %v", name, err)
				continue
			}
			gotGeneric[name+"/"+ce.LogicalID] = ce.Type
			if _, ok := tpl.Resources[ce.LogicalID].(*cloudformation.CustomResource); !ok {
				t.Errorf("%s: %s reported generic but is %T", name, ce.LogicalID, tpl.Resources[ce.LogicalID])
			}
			if !strings.Contains(err.Error(), ce.LogicalID) || !strings.Contains(err.Error(), ce.Type) {
				t.Errorf("error %q does not name the logical ID and type", err)
			}
		}
		res := s.Template.Resources()
		if len(tpl.Resources) != res.Len() {
			t.Errorf("%s: %d resources converted, template has %d", name, len(tpl.Resources), res.Len())
		}
		for i, id := range res.Keys {
			typ, _ := res.Vals[i].Get("Type").Literal()
			r := tpl.Resources[id]
			if r == nil {
				t.Errorf("%s: %s missing", name, id)
				continue
			}
			if r.AWSCloudFormationType() != typ {
				t.Errorf("%s: %s has type %s, want %s", name, id, r.AWSCloudFormationType(), typ)
			}
		}
		if p := s.Template.Root.Get("Parameters"); len(tpl.Parameters) != p.Len() {
			t.Errorf("%s: %d parameters, want %d", name, len(tpl.Parameters), p.Len())
		}
		if o := s.Template.Root.Get("Outputs"); len(tpl.Outputs) != o.Len() {
			t.Errorf("%s: %d outputs, want %d", name, len(tpl.Outputs), o.Len())
		}
		if c := s.Template.Root.Get("Conditions"); len(tpl.Conditions) != c.Len() {
			t.Errorf("%s: %d conditions, want %d", name, len(tpl.Conditions), c.Len())
		}
	}
	if !reflect.DeepEqual(gotGeneric, wantGeneric) {
		t.Errorf("generic resources = %v, want %v", gotGeneric, wantGeneric)
	}
}

func TestCorpusRolesKeepTrustPolicy(t *testing.T) {
	roles := 0
	for name, s := range corpusStacks(t) {
		tpl, _ := ToGoformation(s)
		res := s.Template.Resources()
		for i, id := range res.Keys {
			if typ, _ := res.Vals[i].Get("Type").Literal(); typ != "AWS::IAM::Role" {
				continue
			}
			roles++
			role, ok := tpl.Resources[id].(*iam.Role)
			if !ok {
				t.Errorf("%s: %s is %T, want *iam.Role", name, id, tpl.Resources[id])
				continue
			}
			if role.AssumeRolePolicyDocument == nil {
				t.Errorf("%s: %s lost its trust policy", name, id)
				continue
			}
			want := plain(t, res.Vals[i].Path("Properties", "AssumeRolePolicyDocument"))
			if got := DecodeAll(role.AssumeRolePolicyDocument); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s trust policy\n got %s\nwant %s", name, id, mustJSON(t, got), mustJSON(t, want))
			}
		}
	}
	if roles < 50 {
		t.Errorf("only %d roles in the corpus; corpus changed?", roles)
	}
}

func TestCorpusJoinArnStaysIntrinsic(t *testing.T) {
	s := corpusStacks(t)["AccessRoles"]
	tpl, _ := ToGoformation(s)
	role, ok := tpl.Resources["PlatformAdminRole0DC92257"].(*iam.Role)
	if !ok || len(role.ManagedPolicyArns) != 1 {
		t.Fatalf("PlatformAdminRole0DC92257 = %#v", tpl.Resources["PlatformAdminRole0DC92257"])
	}
	arn := role.ManagedPolicyArns[0]
	if strings.HasPrefix(arn, "arn:") {
		t.Fatalf("ManagedPolicyArns[0] = %q, evaluated instead of kept as Fn::Join", arn)
	}
	got, ok := Decode(arn)
	if !ok {
		t.Fatalf("ManagedPolicyArns[0] = %q is not an encoded intrinsic", arn)
	}
	// The same value goformation's own builders produce.
	built := cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Partition"), ":iam::aws:policy/AdministratorAccess"})
	want, _ := Decode(built)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %s, want %s", mustJSON(t, got), mustJSON(t, want))
	}
	// The trust principal, a Join with Ref AWS::AccountId, is not a fake account.
	if doc := mustJSON(t, role.AssumeRolePolicyDocument); strings.Contains(doc, "123456789012") || strings.Contains(doc, "arn::") {
		t.Errorf("trust policy was evaluated: %s", doc)
	}
}

func TestCorpusGetAttNotNil(t *testing.T) {
	s := corpusStacks(t)["OrdersService"]
	tpl, _ := ToGoformation(s)
	fn, ok := tpl.Resources["OrdersFnC7735A71"].(*lambda.Function)
	if !ok {
		t.Fatalf("OrdersFnC7735A71 is %T", tpl.Resources["OrdersFnC7735A71"])
	}
	if fn.Role == "" {
		t.Fatal("Role (Fn::GetAtt) is empty")
	}
	got, ok := Decode(fn.Role)
	want, _ := Decode(cloudformation.GetAtt("OrdersFnServiceRoleAA94C239", "Arn"))
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Role decodes to %v, want %v", got, want)
	}
}

// TestCorpusRoundTrip checks that Template.JSON (goformation's own writer,
// which decodes its intrinsics) gives back every section of every corpus
// template, apart from goformation's known additions: "Properties": {} on
// typed resources without properties and "Version": "" on CustomResource.
func TestCorpusRoundTrip(t *testing.T) {
	for name, s := range corpusStacks(t) {
		tpl, _ := ToGoformation(s)
		out, err := tpl.JSON()
		if err != nil {
			t.Errorf("%s: JSON: %v", name, err)
			continue
		}
		var got, want map[string]interface{}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(s.Template.Src, &want); err != nil {
			t.Fatal(err)
		}
		delete(want, "Rules") // goformation's Template has no Rules field
		for id, r := range got["Resources"].(map[string]interface{}) {
			m := r.(map[string]interface{})
			if p, ok := m["Properties"].(map[string]interface{}); ok && len(p) == 0 {
				if _, had := want["Resources"].(map[string]interface{})[id].(map[string]interface{})["Properties"]; !had {
					delete(m, "Properties")
				}
			}
			if _, ok := tpl.Resources[id].(*cloudformation.CustomResource); ok && m["Version"] == "" {
				delete(m, "Version")
			}
		}
		for sec, w := range want {
			if g := got[sec]; !reflect.DeepEqual(g, w) {
				t.Errorf("%s: section %s differs\n got %.600s\nwant %.600s", name, sec, mustJSON(t, g), mustJSON(t, w))
			}
		}
		for sec := range got {
			if _, ok := want[sec]; !ok {
				t.Errorf("%s: extra section %s", name, sec)
			}
		}
	}
}

// TestGoformationAloneLosesIntrinsics pins the measurements the package doc
// quotes: goformation's own parse evaluates intrinsics into wrong values, and
// NoProcess rejects the CDK templates.
func TestGoformationAloneLosesIntrinsics(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus, "f-managed-admin/cdk.out/AccessRoles.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := goformation.ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	role, err := tpl.GetIAMRoleWithName("PlatformAdminRole0DC92257")
	if err != nil {
		t.Fatal(err)
	}
	if got := role.ManagedPolicyArns[0]; got != "arn::iam::aws:policy/AdministratorAccess" {
		t.Errorf("goformation default parse: ManagedPolicyArns[0] = %q", got)
	}
	if doc := mustJSON(t, role.AssumeRolePolicyDocument); !strings.Contains(doc, "arn::iam::123456789012:root") {
		t.Errorf("goformation default parse: trust policy %s", doc)
	}

	src, err = os.ReadFile(filepath.Join(corpus, "a-least-privilege/cdk.out/OrdersService.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err = goformation.ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := tpl.GetLambdaFunctionWithName("OrdersFnC7735A71")
	if err != nil {
		t.Fatal(err)
	}
	if fn.Role != "" {
		t.Errorf("goformation default parse: Fn::GetAtt Role = %q, expected it to be lost", fn.Role)
	}

	// One newer property fails the whole template, naming no resource.
	src, err = os.ReadFile(filepath.Join(corpus, "h-resource-policies/cdk.out/SharedResources.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := goformation.ParseJSON(src); err == nil || strings.Contains(err.Error(), "WebhookFninvokefunctionC89003B1") {
		t.Errorf("goformation default parse of SharedResources: %v", err)
	}

	failed, total := 0, 0
	for _, s := range corpusStacks(t) {
		total++
		if _, err := goformation.ParseJSONWithOptions(s.Template.Src, &intrinsics.ProcessorOptions{NoProcess: true}); err != nil {
			failed++
		}
	}
	if failed != 17 || total != 18 {
		t.Errorf("NoProcess failed on %d of %d corpus templates; the package doc says 17 of 18", failed, total)
	}
	n := 0
	for name := range cloudformation.AllResources() {
		if strings.HasPrefix(name, "AWS::") {
			n++
		}
	}
	if n != 1255 {
		t.Errorf("goformation knows %d resource types; the package doc says 1,255", n)
	}
}

func TestEncodeConvention(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name string
		json string
		want interface{} // goformation builder output (compared decoded) or plain value
	}{
		{"ref", `{"Ref": "Bucket"}`, cloudformation.Ref("Bucket")},
		{"getatt list", `{"Fn::GetAtt": ["Role", "Arn"]}`, cloudformation.GetAtt("Role", "Arn")},
		{"join nested ref", `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}, "/*"]]}`,
			cloudformation.Join("", []string{"arn:", cloudformation.Ref("AWS::Partition"), ":s3:::", cloudformation.Ref("Bucket"), "/*"})},
		{"sub", `{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}"}`, cloudformation.Sub("arn:${AWS::Partition}:s3:::${Bucket}")},
		{"importvalue", `{"Fn::ImportValue": "Shared-Arn"}`, cloudformation.ImportValue("Shared-Arn")},
		{"getazs", `{"Fn::GetAZs": ""}`, cloudformation.GetAZs("")},
		{"split", `{"Fn::Split": [",", "a,b"]}`, cloudformation.Split(",", "a,b")},
		{"select", `{"Fn::Select": [0, ["a", "b"]]}`, cloudformation.Select(0, []string{"a", "b"})},
		{"findinmap", `{"Fn::FindInMap": ["M", "K", "V"]}`, cloudformation.FindInMap("M", "K", "V")},
		{"base64", `{"Fn::Base64": "x"}`, cloudformation.Base64("x")},
		{"getatt string", `{"Fn::GetAtt": "Role.Arn"}`, b64(`{"Fn::GetAtt":"Role.Arn"}`)},
		{"if nested", `{"Fn::If": ["C", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]}`,
			b64(`{"Fn::If":["C","` + cloudformation.Ref("A") + `","` + cloudformation.Ref("AWS::NoValue") + `"]}`)},
		{"condition stays an object", `{"Condition": "IsProd"}`, map[string]interface{}{"Condition": "IsProd"}},
		{"object", `{"a": {"Ref": "X"}, "b": [1, true, null]}`,
			map[string]interface{}{"a": cloudformation.Ref("X"), "b": []interface{}{json.Number("1"), true, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := cfn.ParseJSON([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			got := Encode(n)
			if s, ok := got.(string); ok {
				if _, ok := Decode(s); !ok {
					t.Fatalf("Encode = %q, not an encoded intrinsic", s)
				}
			}
			if !reflect.DeepEqual(DecodeAll(got), DecodeAll(tt.want)) {
				t.Errorf("Encode(%s) decodes to %s, want %s", tt.json, mustJSON(t, DecodeAll(got)), mustJSON(t, DecodeAll(tt.want)))
			}
			// Decoded, the value is the template's JSON again.
			var orig interface{}
			json.Unmarshal([]byte(tt.json), &orig)
			var back interface{}
			json.Unmarshal([]byte(mustJSON(t, DecodeAll(got))), &back)
			if !reflect.DeepEqual(back, orig) {
				t.Errorf("round trip %s, want %s", mustJSON(t, back), tt.json)
			}
		})
	}
}

func TestEncodeNumbers(t *testing.T) {
	tests := map[string]interface{}{
		"7": json.Number("7"), "-1.5e3": json.Number("-1.5e3"), "0x1F": json.Number("31"),
		"1_000": json.Number("1000"), "+3": json.Number("3"), ".5": json.Number("0.5"),
		".inf": ".inf", ".nan": ".nan",
	}
	for in, want := range tests {
		if got := Encode(&cfn.Node{Kind: cfn.Number, Str: in}); got != want {
			t.Errorf("Encode(number %q) = %#v, want %#v", in, got, want)
		}
	}
}

const isolated = `{
 "Resources": {
  "Table": {"Type": "AWS::S3Tables::TableBucket", "Properties": {"TableBucketName": {"Ref": "Name"}}, "DependsOn": "Fn", "UpdatePolicy": {"x": 1}},
  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Code": {"ZipFile": "x"}, "RecursiveLoop": "Terminate"}},
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}]}}},
  "Typeless": {"Properties": {}},
  "Scalar": 42,
  "Sized": {"Type": "AWS::Lambda::Function", "Properties": {"Role": "r", "Code": {"ZipFile": "x"}, "MemorySize": {"Ref": "Mem"}}},
  "Hook": {"Type": "Custom::Thing", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]}}, "DependsOn": "Role"}
 }
}`

func TestPerResourceIsolation(t *testing.T) {
	tpl, errs := ToGoformation(stackFrom(t, "iso.json", isolated))
	got := map[string]*Error{}
	for _, err := range errs {
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("%v is not a *cfngo.Error", err)
		}
		got[ce.LogicalID] = ce
	}
	want := map[string]struct {
		typ     string
		generic bool
		msg     string
	}{
		"Table":    {"AWS::S3Tables::TableBucket", true, "iso: resource Table (AWS::S3Tables::TableBucket): goformation v7 has no type AWS::S3Tables::TableBucket (attributes not kept: UpdatePolicy); kept as a generic *cloudformation.CustomResource"},
		"Fn":       {"AWS::Lambda::Function", true, `iso: resource Fn (AWS::Lambda::Function): json: unknown field "RecursiveLoop"; kept as a generic *cloudformation.CustomResource`},
		"Typeless": {"", false, "iso: resource Typeless: resource has no Type string"},
		"Scalar":   {"", false, "iso: resource Scalar: resource is a number, not an object"},
		"Sized":    {"AWS::Lambda::Function", true, "MemorySize"},
	}
	if len(got) != len(want) {
		t.Errorf("errors = %v", errs)
	}
	for id, w := range want {
		e := got[id]
		if e == nil {
			t.Errorf("no error for %s", id)
			continue
		}
		if e.Type != w.typ || e.Generic != w.generic || !strings.Contains(e.Error(), w.msg) {
			t.Errorf("%s: error %q (type %q, generic %v), want type %q generic %v containing %q", id, e, e.Type, e.Generic, w.typ, w.generic, w.msg)
		}
	}
	if _, ok := tpl.Resources["Role"].(*iam.Role); !ok {
		t.Errorf("Role = %T, want *iam.Role", tpl.Resources["Role"])
	}
	hook, ok := tpl.Resources["Hook"].(*cloudformation.CustomResource)
	if !ok || hook.Type != "Custom::Thing" || !reflect.DeepEqual(hook.AWSCloudFormationDependsOn, []string{"Role"}) {
		t.Errorf("Hook = %#v", tpl.Resources["Hook"])
	}
	table, ok := tpl.Resources["Table"].(*cloudformation.CustomResource)
	if !ok || table.Type != "AWS::S3Tables::TableBucket" || !reflect.DeepEqual(table.AWSCloudFormationDependsOn, []string{"Fn"}) {
		t.Fatalf("Table = %#v", tpl.Resources["Table"])
	}
	if v, _ := Decode(table.Properties["TableBucketName"].(string)); !reflect.DeepEqual(v, map[string]interface{}{"Ref": "Name"}) {
		t.Errorf("Table TableBucketName = %v", table.Properties["TableBucketName"])
	}
	fn, ok := tpl.Resources["Fn"].(*cloudformation.CustomResource)
	if !ok || fn.Properties["RecursiveLoop"] != "Terminate" {
		t.Errorf("Fn = %#v", tpl.Resources["Fn"])
	}
	if _, ok := tpl.Resources["Typeless"]; ok {
		t.Error("Typeless kept")
	}
	// The kept resources still write out with their intrinsics.
	out, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Fn::GetAtt": [`, `"Ref": "Name"`, `"RecursiveLoop": "Terminate"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON() lacks %s:\n%s", want, out)
		}
	}
}

const sections = `
AWSTemplateFormatVersion: "2010-09-09"
Description: sections
Transform: AWS::Serverless-2016-10-31
Metadata:
  Note: {Owner: !Ref Team}
Parameters:
  Team: {Type: String, Default: platform, AllowedValues: [platform, data]}
  Size: {Type: Number, MinValue: 1, MaxValue: 0x10}
  Bad: {Type: String, NoEcho: {Ref: X}}
Mappings:
  Region: {us-east-1: {Ami: ami-1}}
Conditions:
  IsProd: !Equals [!Ref Team, prod]
  Both: !And [!Condition IsProd, !Not [!Equals [!Ref Team, data]]]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub "${Team}-${AWS::Region}"
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !If [IsProd, !GetAtt Role.Arn, !Ref "AWS::NoValue"]}
            Action: s3:GetObject
            Resource: !Join ["", [!GetAtt Bucket.Arn, "/*"]]
            Condition: {StringEquals: {"aws:PrincipalTag/team": !FindInMap [Region, !Ref "AWS::Region", Ami]}}
Outputs:
  Arn:
    Value: !GetAtt Bucket.Arn
    Export: {Name: !Sub "${AWS::StackName}-Arn"}
    Condition: IsProd
Rules:
  R: {Assertions: []}
`

func TestSectionsAndYAML(t *testing.T) {
	s := stackFrom(t, "sections.yaml", sections)
	tpl, errs := ToGoformation(s)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "sections: parameter Bad: json: cannot unmarshal string into Go struct field Parameter.NoEcho of type bool") {
		t.Errorf("errors = %v, want one for parameter Bad", errs)
	}
	if tpl.AWSTemplateFormatVersion != "2010-09-09" || tpl.Description != "sections" || tpl.Transform == nil || *tpl.Transform.String != "AWS::Serverless-2016-10-31" {
		t.Errorf("header = %q %q %#v", tpl.AWSTemplateFormatVersion, tpl.Description, tpl.Transform)
	}
	if p := tpl.Parameters["Team"]; p.Type != "String" || p.Default != "platform" || len(p.AllowedValues) != 2 {
		t.Errorf("Team = %#v", p)
	}
	if p := tpl.Parameters["Size"]; p.MaxValue == nil || *p.MaxValue != 16 {
		t.Errorf("Size = %#v", p)
	}
	if o := tpl.Outputs["Arn"]; o.Condition == nil || *o.Condition != "IsProd" || o.Export == nil {
		t.Errorf("Arn = %#v", o)
	} else if v, ok := Decode(o.Export.Name); !ok || !reflect.DeepEqual(v, map[string]interface{}{"Fn::Sub": "${AWS::StackName}-Arn"}) {
		t.Errorf("Export.Name decodes to %v", v)
	}
	b, ok := tpl.Resources["Bucket"].(interface{ AWSCloudFormationType() string })
	if !ok || b.AWSCloudFormationType() != "AWS::S3::Bucket" {
		t.Fatalf("Bucket = %#v", tpl.Resources["Bucket"])
	}
	out, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]interface{}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := plain(t, s.Template.Root).(map[string]interface{})
	// SAM's Transform turns Parameters' numbers into float64 in both.
	for _, sec := range []string{"Metadata", "Mappings", "Conditions", "Outputs"} {
		if !reflect.DeepEqual(got[sec], want[sec]) {
			t.Errorf("%s\n got %s\nwant %s", sec, mustJSON(t, got[sec]), mustJSON(t, want[sec]))
		}
	}
	for _, id := range []string{"Bucket", "Policy"} {
		g := got["Resources"].(map[string]interface{})[id].(map[string]interface{})
		w := want["Resources"].(map[string]interface{})[id].(map[string]interface{})
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s\n got %s\nwant %s", id, mustJSON(t, g), mustJSON(t, w))
		}
	}
}

func TestNoTemplate(t *testing.T) {
	for _, s := range []*loader.Stack{{ArtifactID: "Nil"}, stackFrom(t, "arr.json", `[1]`)} {
		tpl, errs := ToGoformation(s)
		if tpl == nil || len(errs) != 1 || !strings.Contains(errs[0].Error(), "no template object") {
			t.Errorf("%s: %v %v", s.ArtifactID, tpl, errs)
		}
	}
	tpl, errs := ToGoformation(stackFrom(t, "r.json", `{"Resources": [], "Outputs": {"O": 1}}`))
	names := []string{}
	for _, e := range errs {
		names = append(names, e.Error())
	}
	sort.Strings(names)
	want := []string{"r: Resources: is a array, not an object", "r: output O: json: cannot unmarshal number into Go value of type cloudformation.Output"}
	if !reflect.DeepEqual(names, want) || len(tpl.Resources) != 0 {
		t.Errorf("errors = %q, want %q", names, want)
	}
}
