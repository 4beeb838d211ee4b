package iam053_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam053"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam053.Rule, "testdata/*.yaml") }
