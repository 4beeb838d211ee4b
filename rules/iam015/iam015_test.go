package iam015_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam015"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam015.Rule, "testdata/*.yaml") }
