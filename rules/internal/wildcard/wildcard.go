// Package wildcard holds the wildcard-action classification shared by
// IAM011, IAM012 and IAM013.
package wildcard

import (
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
)

// IsFull reports whether an action value grants every action of every
// service: "*" or "*:*" (and equivalent all-star patterns).
func IsFull(v iampolicy.Value) bool {
	if !v.Known {
		return false
	}
	t := strings.ReplaceAll(v.Text, "*", "")
	return t == "" || t == ":"
}

// ServiceWide returns the service of a "svc:*" action value ("" otherwise).
// The service is lower-cased: IAM compares action names case-insensitively.
func ServiceWide(v iampolicy.Value) string {
	if !v.Known {
		return ""
	}
	svc, act, ok := strings.Cut(v.Text, ":")
	if !ok || svc == "" || strings.ContainsAny(svc, "*?") || strings.Trim(act, "*") != "" {
		return ""
	}
	return strings.ToLower(svc)
}

// Sensitivity grades a service for a service-wide wildcard on every
// resource: services whose full access takes over the account are
// critical; services holding credentials, keys, data or compute are high;
// the rest medium.
func Sensitivity(svc string) rules.Severity {
	switch svc {
	case "iam", "organizations", "account", "sso", "sso-directory", "identitystore", "identity-sync":
		return rules.Critical
	case "sts", "kms", "s3", "secretsmanager", "ssm", "ec2", "lambda", "rds", "dynamodb",
		"cloudformation", "cloudtrail", "config", "guardduty", "securityhub", "backup",
		"ram", "eks", "ecs", "glacier", "codebuild", "codepipeline", "ebs", "elasticfilesystem":
		return rules.High
	}
	return rules.Medium
}

// Unconditioned reports whether a statement has no condition at all: any
// condition may narrow who or what uses it, so graded rules lower their
// severity when one is present.
func Unconditioned(st *iampolicy.Statement) bool { return len(st.Conditions) == 0 }
