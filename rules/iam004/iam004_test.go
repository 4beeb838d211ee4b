package iam004_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam004"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam004.Rule, "testdata/*.yaml") }
