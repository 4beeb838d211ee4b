package iam056_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam056"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam056.Rule, "testdata/*.yaml") }
