package iam021

import (
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
)

func TestSize(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		// White space does not count: the compact JSON is measured.
		{`{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} ]}`,
			len(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)},
		// Policy variables in literals are literal text.
		{`{"Resource": "arn:aws:iam::*:mfa/${aws:username}"}`, len(`{"Resource":"arn:aws:iam::*:mfa/${aws:username}"}`)},
		// Fn::Join with pseudo parameters: arn:aws:s3:::b (3 for the partition).
		{`{"Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b"]]}}`, len(`{"Resource":"arn:aws:s3:::b"}`)},
		// Fn::GetAtt counts 80, a Ref 50.
		{`{"R": {"Fn::GetAtt": ["Table", "Arn"]}}`, len(`{"R":""}`) + 80},
		{`{"R": {"Ref": "Bucket"}}`, len(`{"R":""}`) + 50},
		// Fn::Sub keeps ${!aws:username} literal.
		{`{"R": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${!aws:username}"}}`, len(`{"R":"arn:aws:iam::111111111111:user/${aws:username}"}`)},
		// Fn::If counts the larger branch; AWS::NoValue nothing.
		{`{"A": {"Fn::If": ["C", "x", "xyz"]}, "B": {"Ref": "AWS::NoValue"}}`, len(`{"A":"xyz"}`)},
		// Escapes count.
		{`{"A": "say \"hi\""}`, len(`{"A":"say \"hi\""}`)},
	} {
		n, err := cfn.ParseJSON([]byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := Size(n); got != c.want {
			t.Errorf("Size(%s) = %d, want %d", c.src, got, c.want)
		}
	}
}
