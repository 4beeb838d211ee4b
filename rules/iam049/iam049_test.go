package iam049_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam049"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam049.Rule, "testdata/*.yaml") }
