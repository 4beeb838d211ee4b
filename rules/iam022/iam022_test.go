package iam022_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam022"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam022.Rule, "testdata/*.yaml") }
