package iam012_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam012"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam012.Rule, "testdata/*.yaml") }
