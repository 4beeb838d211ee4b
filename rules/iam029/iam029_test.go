package iam029_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam029"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam029.Rule, "testdata/*.yaml") }
