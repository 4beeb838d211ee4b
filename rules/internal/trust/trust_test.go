package trust

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

func TestParse(t *testing.T) {
	const own = "111111111111"
	type want struct {
		account  string
		same     bool
		root     bool
		kind     Kind
		name     string
		wildcard bool
		public   bool
		known    bool
		foreign  bool
	}
	for _, tc := range []struct {
		text  string
		known bool // Value.Known
		own   string
		want  want
	}{
		{"arn:${AWS::Partition}:iam::${AWS::AccountId}:root", false, own, want{account: SameAccountRef, same: true, root: true, kind: Root, known: true}},
		{"arn:${AWS::Partition}:iam::111111111111:root", false, own, want{account: own, same: true, root: true, kind: Root, known: true}},
		{"arn:${AWS::Partition}:iam::222222222222:root", false, own, want{account: "222222222222", root: true, kind: Root, known: true, foreign: true}},
		{"arn:aws:iam::111111111111:root", true, "", want{account: own, root: true, kind: Root, known: true, foreign: true}},
		{"222222222222", true, own, want{account: "222222222222", root: true, kind: Root, known: true, foreign: true}},
		{"111111111111", true, own, want{account: own, same: true, root: true, kind: Root, known: true}},
		{"${AWS::AccountId}", false, "", want{account: SameAccountRef, same: true, root: true, kind: Root, known: true}},
		{"arn:aws:iam::444444444444:role/ops-automation", true, own, want{account: "444444444444", kind: Role, name: "ops-automation", known: true, foreign: true}},
		{"arn:aws:iam::444444444444:role/path/to/r", true, own, want{account: "444444444444", kind: Role, name: "path/to/r", known: true, foreign: true}},
		{"arn:aws-cn:iam::111111111111:user/alice", true, own, want{account: own, same: true, kind: User, name: "alice", known: true}},
		{"arn:aws:iam::666666666666:role/*", true, own, want{account: "666666666666", kind: Role, name: "*", wildcard: true, known: true, foreign: true}},
		{"arn:aws:iam::*:root", true, own, want{account: "*", root: true, kind: Root, wildcard: true, known: true}},
		{"arn:aws:sts::222222222222:assumed-role/Admin/alice", true, own, want{account: "222222222222", kind: AssumedRole, name: "Admin/alice", known: true, foreign: true}},
		{"arn:aws:sts::222222222222:federated-user/bob", true, own, want{account: "222222222222", kind: FederatedUser, name: "bob", known: true, foreign: true}},
		{"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}", false, own, want{account: SameAccountRef, same: true, kind: Role, name: "${RoleName}", known: true}},
		{"arn:aws:iam::${TrustedAccount}:root", false, own, want{}},
		{"arn:aws:iam::${?}:root", false, own, want{}},
		{"${?}", false, own, want{}},
		{"arn:aws:iam::222222222222:group/devs", true, own, want{account: "222222222222", kind: Other}},
		{"*", true, own, want{account: "*", kind: Other, public: true, known: true}},
	} {
		p := Parse(iampolicy.Value{Text: tc.text, Known: tc.known}, tc.own)
		got := want{p.Account, p.SameAccount, p.IsRoot, p.Kind, p.Name, p.WildcardInARN, p.Public, p.Known, p.Foreign()}
		if tc.want.kind == "" {
			tc.want.kind = Other
		}
		if got != tc.want {
			t.Errorf("Parse(%q, %q) = %+v, want %+v", tc.text, tc.own, got, tc.want)
		}
	}
}

func TestOwnAccount(t *testing.T) {
	for env, want := range map[string]string{
		"aws://111111111111/us-east-1":         "111111111111",
		"aws://unknown-account/unknown-region": "",
		"":                                     "",
		"aws://11111111111/us-east-1":          "",
	} {
		if got := OwnAccount(env); got != want {
			t.Errorf("OwnAccount(%q) = %q, want %q", env, got, want)
		}
	}
}

// statement parses a YAML statement.
func statement(t *testing.T, src string) *iampolicy.Statement {
	t.Helper()
	n, err := cfn.ParseYAML([]byte("Statement:\n" + src))
	if err != nil {
		t.Fatal(err)
	}
	d := iampolicy.Parse(n, iampolicy.Trust, "R", "AWS::IAM::Role", "AssumeRolePolicyDocument")
	if len(d.Problems) > 0 || len(d.Statements) != 1 {
		t.Fatalf("bad statement %q: %v", src, d.Problems)
	}
	return d.Statements[0]
}

func TestPinned(t *testing.T) {
	for _, tc := range []struct {
		cond string
		keys []string
		want bool
	}{
		{`{StringEquals: {sts:ExternalId: abc}}`, nil, true},
		{`{StringEquals: {STS:externalid: abc}}`, nil, true},
		{`{StringEquals: {aws:PrincipalOrgID: o-123}}`, nil, true},
		{`{"ForAnyValue:StringLike": {aws:PrincipalOrgPaths: "o-1/r-1/ou-1/*"}}`, nil, true},
		{`{ArnLike: {aws:PrincipalArn: "arn:aws:iam::222222222222:role/deploy-*"}}`, nil, true},
		{`{ArnEquals: {aws:SourceArn: "arn:aws:s3:::b"}}`, nil, true},
		{`{StringEquals: {aws:SourceAccount: "222222222222"}}`, nil, true},
		{`{StringEquals: {sts:ExternalId: !Ref ExternalIdParam}}`, nil, true}, // unknown: not called unsafe
		{`{StringLike: {aws:PrincipalOrgID: "*"}}`, nil, false},
		{`{StringLike: {aws:PrincipalArn: ["arn:aws:iam::1:role/x", "*"]}}`, nil, false},
		{`{"ForAllValues:StringEquals": {aws:PrincipalOrgID: o-123}}`, nil, false},
		{`{StringEqualsIfExists: {sts:ExternalId: abc}}`, nil, false},
		{`{StringNotEquals: {aws:PrincipalOrgID: o-123}}`, nil, false},
		{`{Null: {sts:ExternalId: "false"}}`, nil, false},
		{`{Bool: {aws:SecureTransport: "true"}}`, nil, false},
		{`{StringEquals: {aws:RequestedRegion: us-east-1}}`, nil, false},
		{`{StringEquals: {aws:PrincipalTag/team: ops}}`, IdentityKeys, true},
		{`{StringEquals: {aws:PrincipalTag/team: ops}}`, CrossAccountKeys, false},
		{`{StringEquals: {aws:PrincipalAccount: "222222222222"}}`, CrossAccountKeys, false},
		{`{StringEquals: {aws:PrincipalAccount: "222222222222"}}`, nil, true},
	} {
		st := statement(t, "  - Effect: Allow\n    Action: sts:AssumeRole\n    Principal: {AWS: \"222222222222\"}\n    Condition: "+tc.cond+"\n")
		if got := Pinned(st, tc.keys...); got != tc.want {
			t.Errorf("Pinned(%s, %v) = %v, want %v", tc.cond, tc.keys, got, tc.want)
		}
	}
}

func TestMFA(t *testing.T) {
	for _, tc := range []struct {
		cond     string
		sessions Sessions
		ok       bool
		requires bool
	}{
		{`{Bool: {aws:MultiFactorAuthPresent: "true"}}`, MFASession, true, true},
		{`{Bool: {aws:multifactorauthpresent: true}}`, MFASession, true, true},
		{`{Bool: {aws:MultiFactorAuthPresent: "True"}}`, MFASession, true, true},
		{`{Bool: {aws:MultiFactorAuthPresent: "false"}}`, NoMFASession, true, false},
		{`{BoolIfExists: {aws:MultiFactorAuthPresent: "true"}}`, MFASession | LongTermKeys, true, false},
		{`{BoolIfExists: {aws:MultiFactorAuthPresent: false}}`, NoMFASession | LongTermKeys, true, false},
		{`{Null: {aws:MultiFactorAuthPresent: "true"}}`, LongTermKeys, true, false},
		{`{Null: {aws:MultiFactorAuthPresent: "false"}}`, MFASession | NoMFASession, true, false},
		{`{StringEquals: {aws:MultiFactorAuthPresent: "true"}}`, MFASession, true, true},
		{`{NumericLessThan: {aws:MultiFactorAuthAge: "3600"}}`, MFASession, true, true},
		{`{NumericLessThanIfExists: {aws:MultiFactorAuthAge: "3600"}}`, AllSessions, true, false},
		{`{Null: {aws:MultiFactorAuthAge: "false"}}`, MFASession, true, true},
		{`{Null: {aws:MultiFactorAuthAge: "true"}}`, NoMFASession | LongTermKeys, true, false},
		{`{Bool: {aws:MultiFactorAuthPresent: "true"}, NumericLessThan: {aws:MultiFactorAuthAge: "3600"}}`, MFASession, true, true},
		{`{BoolIfExists: {aws:MultiFactorAuthPresent: "true"}, Null: {aws:MultiFactorAuthPresent: "false"}}`, MFASession, true, true},
		{`{Bool: {aws:MultiFactorAuthPresent: !Ref P}}`, 0, false, false},
		{`{Bool: {aws:MultiFactorAuthPresent: "yes"}}`, 0, false, false},
		{`{"ForAllValues:Bool": {aws:MultiFactorAuthPresent: "true"}}`, 0, false, false},
		{`{StringEquals: {aws:PrincipalOrgID: o-1}}`, AllSessions, true, false},
	} {
		st := statement(t, "  - Effect: Allow\n    Action: sts:AssumeRole\n    Principal: {AWS: \"222222222222\"}\n    Condition: "+tc.cond+"\n")
		s, _, ok := MFA(st)
		if ok != tc.ok || (ok && s != tc.sessions) {
			t.Errorf("MFA(%s) = %v, %v; want %v, %v", tc.cond, s, ok, tc.sessions, tc.ok)
		}
		if got := RequiresMFA(st); got != tc.requires {
			t.Errorf("RequiresMFA(%s) = %v, want %v", tc.cond, got, tc.requires)
		}
	}
}

func TestGrantsAssumeRole(t *testing.T) {
	for action, want := range map[string]bool{
		"sts:AssumeRole":                   true,
		"STS:assumerole":                   true,
		"sts:*":                            true,
		`"*"`:                              true,
		"[sts:AssumeRole, sts:TagSession]": true,
		"sts:TagSession":                   false,
		"sts:AssumeRoleWithSAML":           false,
	} {
		st := statement(t, "  - Effect: Allow\n    Principal: {AWS: \"222222222222\"}\n    Action: "+action+"\n")
		if got := GrantsAssumeRole(st); got != want {
			t.Errorf("GrantsAssumeRole(%s) = %v, want %v", action, got, want)
		}
	}
}

const powerTemplate = `
Resources:
  Admin:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns:
        - !Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/AdministratorAccess"]]
  Power:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"]
  NotAction:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, NotAction: "iam:*", Resource: "*"}
  IamStar:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
  IamStarPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: "iam:*", Resource: "*"}
      Roles: [!Ref IamStar]
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: ["config:Get*", "s3:GetObject", "logs:Describe*"], Resource: "*"}
              - {Effect: Deny, Action: "*", Resource: "*"}
  Writer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*"}
  Gated:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: kms:ScheduleKeyDeletion
                Resource: "*"
                Condition: {Bool: {aws:MultiFactorAuthPresent: "true"}}
              - Effect: Allow
                Action: iam:CreateUser
                Resource: "*"
                Condition: {BoolIfExists: {aws:MultiFactorAuthPresent: "true"}}
              - {Effect: Allow, Action: "s3:List*", Resource: "*"}
  Customer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns: ["arn:aws:iam::111111111111:policy/custom"]
  Empty:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
  UnknownAction:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: !Ref ActionParam, Resource: "*"}
`

func TestPowerOf(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "power.yaml")
	if err := os.WriteFile(file, []byte(powerTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	res := loader.Load([]string{file}, loader.Options{})
	if len(res.Errors) > 0 || len(res.Stacks) != 1 {
		t.Fatalf("load: %v", res.Errors)
	}
	m := stackmodel.Build(res.Stacks[0])
	for _, tc := range []struct {
		role     string
		kinds    Sessions
		power    Power
		evidence string
	}{
		{"Admin", AllSessions, Admin, "AdministratorAccess"},
		{"Power", AllSessions, PowerUser, "PowerUserAccess"},
		{"NotAction", AllSessions, PowerUser, "every action except iam:* on every resource"},
		{"IamStar", AllSessions, Admin, "iam:* on every resource"},
		{"Reader", AllSessions, ReadOnly, ""},
		{"Writer", AllSessions, Write, "s3:PutObject"},
		{"Gated", AllSessions, Write, "kms:ScheduleKeyDeletion"},
		{"Gated", NoMFASession, ReadOnly, ""},
		{"Gated", LongTermKeys, Write, "iam:CreateUser"},
		{"Customer", AllSessions, Unknown, ""},
		{"Empty", AllSessions, NoPower, ""},
		{"UnknownAction", AllSessions, Unknown, ""},
	} {
		p := m.Principal(tc.role)
		if p == nil {
			t.Fatalf("no principal %s", tc.role)
		}
		g := PowerOf(m, p, tc.kinds)
		if g.Power != tc.power || g.Evidence != tc.evidence {
			t.Errorf("PowerOf(%s, %v) = %v %q, want %v %q", tc.role, tc.kinds, g.Power, g.Evidence, tc.power, tc.evidence)
		}
	}
	if !Admin.AtLeast(PowerUser) || Unknown.AtLeast(NoPower) || !NoPower.IsReadOnly() || Unknown.IsReadOnly() {
		t.Error("Power ordering helpers are wrong")
	}
}

func TestContext(t *testing.T) {
	const corpus = "../../../testdata/corpus/j-multistage-nested/cdk.out"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not available")
	}
	res := loader.Load([]string{corpus}, loader.Options{})
	found := 0
	for _, s := range res.Stacks {
		if s.DisplayName != "Prod/SharedIam" {
			continue
		}
		found++
		c := ContextOf(stackmodel.Build(s))
		if c.Account != "888888888888" {
			t.Errorf("Account = %q", c.Account)
		}
		if !c.InAssembly("777777777777") || !c.InAssembly("111111111111") || c.InAssembly("888888888888") || c.InAssembly("222222222222") {
			t.Errorf("AssemblyAccounts = %v", c.AssemblyAccounts)
		}
		st := c.Model.Principal("StageDeployRole85ACB23A").Trust.Statements[0]
		ps := c.AWSPrincipals(st)
		if len(ps) != 1 || !ps[0].Foreign() || !ps[0].IsRoot || ps[0].Account != "777777777777" {
			t.Errorf("AWSPrincipals = %+v", ps)
		}
	}
	if found != 1 {
		t.Fatalf("Prod/SharedIam not loaded (%d)", found)
	}
}

func TestClassifyGetAtt(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "t.yaml")
	src := `
Resources:
  Caller:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
  Target:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal:
              AWS: [!GetAtt Caller.Arn, !GetAtt Bucket.Arn]
              Service: lambda.amazonaws.com
  Bucket:
    Type: AWS::S3::Bucket
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := loader.Load([]string{file}, loader.Options{})
	m := stackmodel.Build(res.Stacks[0])
	c := ContextOf(m)
	ps := c.AWSPrincipals(m.Principal("Target").Trust.Statements[0])
	if len(ps) != 2 {
		t.Fatalf("got %d AWS principals, want 2", len(ps))
	}
	if !ps[0].Known || ps[0].Kind != Role || !ps[0].SameAccount {
		t.Errorf("GetAtt role: %+v", ps[0])
	}
	if ps[1].Known {
		t.Errorf("GetAtt bucket classified: %+v", ps[1])
	}
}
