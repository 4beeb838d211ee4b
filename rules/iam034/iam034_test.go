package iam034_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam034"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam034.Rule, "testdata/*.yaml") }
