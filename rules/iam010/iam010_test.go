package iam010_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam010"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam010.Rule, "testdata/*.yaml") }
