package iam045_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam045"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam045.Rule, "testdata/*.yaml") }
