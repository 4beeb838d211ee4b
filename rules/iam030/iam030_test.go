package iam030_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam030"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam030.Rule, "testdata/*.yaml") }
