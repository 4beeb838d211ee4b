package iampolicy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
)

// FuzzParse feeds arbitrary JSON documents (and JSON strings holding
// documents) to the normalizer: it must never panic, every statement must
// belong to its document, and every value must point at a node.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		`{"Statement":{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::x","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::1:root"]]}]},"Action":"sts:AssumeRole"}]}`,
		`{"Statement":{"Fn::If":["C",{"Effect":"Allow","Action":"a:b"},{"Ref":"AWS::NoValue"}]}}`,
		`"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}]}"`,
		`{"Statement":42}`, `{"Statement":[null,1,"x",[]]}`, `{"Statement":[{"Principal":null,"Condition":{"A":{"b":{}}}}]}`,
	} {
		f.Add(s)
	}
	files, _ := filepath.Glob("../../testdata/corpus/*/cdk.out/*.template.json")
	for _, p := range files[:min(len(files), 4)] {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := cfn.ParseJSON([]byte(src))
		if err != nil {
			return
		}
		for _, kind := range []Kind{Identity, Trust, ResourcePolicy} {
			d := Parse(n, kind, "R", "AWS::IAM::Policy", "PolicyDocument")
			for i, st := range d.Statements {
				if st.Doc != d || st.Index != i || st.At == nil {
					t.Fatalf("statement %d is not wired to its document", i)
				}
				_ = st.Key()
				_ = st.Where()
				for _, v := range append(append([]Value(nil), st.Actions...), st.Resources...) {
					if v.At == nil || v.Node == nil {
						t.Fatal("value without a node")
					}
				}
				for _, c := range st.Conditions {
					if c.At == nil {
						t.Fatal("condition without a node")
					}
				}
			}
			for _, p := range d.Problems {
				if p.At == nil || p.Msg == "" {
					t.Fatal("problem without a node or message")
				}
			}
		}
	})
}
