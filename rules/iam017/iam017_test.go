package iam017_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam017"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam017.Rule, "testdata/*.yaml") }
