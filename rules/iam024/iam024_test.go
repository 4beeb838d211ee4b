package iam024_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam024"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam024.Rule, "testdata/*.yaml") }
