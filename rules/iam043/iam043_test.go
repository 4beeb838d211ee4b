package iam043_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam043"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam043.Rule, "testdata/*.yaml") }
