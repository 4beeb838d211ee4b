package iam027_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam027"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam027.Rule, "testdata/*.yaml") }
