package iam062_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam062"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam062.Rule, "testdata/*.yaml") }
