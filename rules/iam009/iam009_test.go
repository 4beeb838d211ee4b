package iam009_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam009"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam009.Rule, "testdata/*.yaml") }
