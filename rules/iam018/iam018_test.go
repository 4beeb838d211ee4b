package iam018_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam018"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam018.Rule, "testdata/*.yaml") }
