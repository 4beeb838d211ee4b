package public_test

import (
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/internal/public"
)

func doc(t *testing.T, src string) *iampolicy.Document {
	t.Helper()
	n, err := cfn.ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := iampolicy.Parse(n, iampolicy.ResourcePolicy, "R", "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy")
	if len(d.Problems) > 0 {
		t.Fatalf("%s: %v", src, d.Problems[0].Msg)
	}
	return d
}

func TestExposed(t *testing.T) {
	efs := public.Checker{TrueKeys: []string{"elasticfilesystem:AccessedViaMountTarget"}}
	for _, tc := range []struct {
		name    string
		checker public.Checker
		src     string
		want    int // public principals of the first statement left exposed
	}{
		{"star", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A"}]}`, 1},
		{"aws star and a named account", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*","111111111111"]},"Action":"s:A"}]}`, 1},
		{"not principal", public.Checker{}, `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"s:A"}]}`, 1},
		{"deny", public.Checker{}, `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s:A"}]}`, 0},
		{"named", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s:A"}]}`, 0},
		{"org", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`, 0},
		{"org key case", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEquals":{"AWS:principalorgid":"o-1"}}}]}`, 0},
		{"org wildcard", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringLike":{"aws:PrincipalOrgID":"*"}}}]}`, 1},
		{"org if exists", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}}}]}`, 1},
		{"vpce", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 0},
		{"tls only", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}`, 1},
		{"ip range", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`, 0},
		{"whole internet", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","0.0.0.0/0"]}}}]}`, 1},
		{"principal arn in any account", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci"}}}]}`, 1},
		{"principal arn in one account", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/*"}}}]}`, 0},
		{"service key not given", public.Checker{}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEquals":{"kms:CallerAccount":"111111111111"}}}]}`, 1},
		{"service key given", public.Checker{Keys: []string{"kms:CallerAccount"}}, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s:A","Condition":{"StringEquals":{"kms:CallerAccount":"111111111111"}}}]}`, 0},
		{"true key", efs, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s:A","Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"true"}}}]}`, 0},
		{"true key false", efs, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s:A","Condition":{"Bool":{"elasticfilesystem:AccessedViaMountTarget":"false"}}}]}`, 1},
		{"fenced", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:A","Resource":"r"},
			{"Effect":"Deny","Principal":"*","Action":"s:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 0},
		{"fenced by ip", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":["s:A","s:B"],"Resource":"r"},
			{"Effect":"Deny","Principal":{"AWS":"*"},"Action":["s:A","s:B"],"Resource":"r","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}`, 0},
		{"fence misses an action", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":["s:A","s:B"],"Resource":"r"},
			{"Effect":"Deny","Principal":"*","Action":"s:A","Resource":"r","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 1},
		{"fence misses a wildcard action", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:*","Resource":"r"},
			{"Effect":"Deny","Principal":"*","Action":"s:Get*","Resource":"r","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 1},
		{"fence misses a resource", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:A","Resource":["r","q"]},
			{"Effect":"Deny","Principal":"*","Action":"s:A","Resource":"r","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 1},
		{"fence with another condition", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:A","Resource":"r"},
			{"Effect":"Deny","Principal":"*","Action":"s:A","Resource":"r","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"},"Bool":{"aws:SecureTransport":"false"}}}]}`, 1},
		{"fence for a named principal only", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:A","Resource":"r"},
			{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"s:A","Resource":"r","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 1},
		{"fence with a wildcard value", public.Checker{}, `{"Statement":[
			{"Effect":"Allow","Principal":"*","Action":"s:A","Resource":"r"},
			{"Effect":"Deny","Principal":"*","Action":"s:A","Resource":"r","Condition":{"StringNotLike":{"aws:SourceVpce":"*"}}}]}`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := doc(t, tc.src)
			if got := len(tc.checker.Exposed(d.Statements[0])); got != tc.want {
				t.Errorf("Exposed = %d principals, want %d", got, tc.want)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	d := doc(t, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"NotAction":["s:A","s:B"],"Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`)
	st := d.Statements[0]
	if got, want := public.Actions(st), "every action except s:A and s:B"; got != want {
		t.Errorf("Actions = %q, want %q", got, want)
	}
	if got, want := public.ConditionNote(st), " with conditions (aws:SecureTransport, aws:RequestedRegion) that do not pin the caller"; got != want {
		t.Errorf("ConditionNote = %q, want %q", got, want)
	}
	if refs := public.Principals(st); len(refs) != 1 || refs[0].Text != `"AWS": "*"` {
		t.Errorf("Principals = %+v", refs)
	}
	if got := public.Kind("AWS::SecretsManager::ResourcePolicy"); got != "secret policy" {
		t.Errorf("Kind = %q", got)
	}
	if got := public.Kind("AWS::Foo::BarPolicy"); got != "barpolicy" {
		t.Errorf("Kind = %q", got)
	}
}
