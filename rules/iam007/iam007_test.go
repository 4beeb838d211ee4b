package iam007_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam007"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam007.Rule, "testdata/*.yaml") }
