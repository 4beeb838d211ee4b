package iam031_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam031"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam031.Rule, "testdata/*.yaml") }
