package iam059_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam059"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam059.Rule, "testdata/*.yaml") }
