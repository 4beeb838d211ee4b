package iam039_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam039"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam039.Rule, "testdata/*.yaml") }
