package iam063_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam063"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam063.Rule, "testdata/*.yaml") }
