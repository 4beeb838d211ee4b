package iam061_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam061"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam061.Rule, "testdata/*.yaml") }
