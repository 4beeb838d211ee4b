package scope

import (
	"fmt"
	"testing"

	"github.com/iamvet/iamvet/internal/iamdata"
)

func TestScratch(t *testing.T) {
	for _, n := range []string{"ecr:GetAuthorizationToken", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "iam:ListAccountAliases", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "cloudfront:CreateInvalidation", "dynamodb:Scan", "dynamodb:Query", "sts:AssumeRole", "kms:Decrypt", "kms:ReEncryptFrom", "cloudtrail:StopLogging", "cloudtrail:LookupEvents", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "config:DeleteConfigurationRecorder", "config:StopConfigurationRecorder", "guardduty:DeleteDetector", "iam:PassRole", "ec2:TerminateInstances", "rds:DeleteDBInstance", "iam:DeleteUser", "iam:CreateAccessKey", "s3:DeleteBucket", "kms:ScheduleKeyDeletion", "ssm:GetParameter", "secretsmanager:GetSecretValue", "rds-data:ExecuteStatement", "sqs:ReceiveMessage", "lambda:InvokeFunction", "lambda:GetFunction", "ssm:PutParameter", "codecommit:GitPull", "ec2:DescribeInstances", "athena:StartQueryExecution", "glue:GetTable", "s3:ListAllMyBuckets", "s3:ListBucket", "kms:GenerateDataKey", "kms:Encrypt", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity"} {
		a := iamdata.LookupAction(n)
		if a == nil {
			fmt.Println(n, "UNKNOWN")
			continue
		}
		fmt.Printf("%-40s %-24s rl=%v %v\n", n, a.Access, a.SupportsResourceLevel(), a.ResourceTypes)
	}
	for _, p := range []string{"s3:Get*", "s3:GetObject*", "ssm:GetParameter*", "logs:*", "cloudtrail:*", "sts:*", "kms:*", "ec2:Describe*", "config:Get*", "config:List*", "glue:Get*", "athena:*", "dynamodb:*"} {
		as := iamdata.Expand(p)
		n, rl := 0, 0
		for _, a := range as {
			n++
			if a.SupportsResourceLevel() {
				rl++
			}
		}
		fmt.Println(p, n, "rl:", rl)
	}
}
