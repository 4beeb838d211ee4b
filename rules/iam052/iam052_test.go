package iam052_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam052"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam052.Rule, "testdata/*.yaml") }
