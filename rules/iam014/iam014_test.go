package iam014_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam014"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam014.Rule, "testdata/*.yaml") }
