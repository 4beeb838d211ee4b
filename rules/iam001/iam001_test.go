package iam001_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam001"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam001.Rule, "testdata/*.yaml") }
