package iam038_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam038"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam038.Rule, "testdata/*.yaml") }
