package iam055_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam055"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam055.Rule, "testdata/*.yaml") }
