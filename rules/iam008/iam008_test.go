package iam008_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam008"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam008.Rule, "testdata/*.yaml") }
