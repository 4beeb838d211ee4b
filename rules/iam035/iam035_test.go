package iam035_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam035"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam035.Rule, "testdata/*.yaml") }
