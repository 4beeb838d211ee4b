package privesc

import (
	"fmt"
	"testing"

	"github.com/iamvet/iamvet/internal/iamdata"
)

func TestX(t *testing.T) {
	for _, a := range []string{"iam:CreateUser", "iam:DeleteUser", "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:PassRole", "kms:PutKeyPolicy", "s3:PutBucketPolicy", "lambda:AddPermission", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "s3:PutBucketNotification", "sts:AssumeRole", "sts:TagSession", "sts:GetFederationToken", "sts:GetSessionToken", "redshift:GetClusterCredentials", "redshift:GetClusterCredentialsWithIAM", "redshift-serverless:GetCredentials", "codepipeline:PollForJobs", "cognito-idp:AssociateSoftwareToken", "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "cognito-identity:GetCredentialsForIdentity", "connect:GetFederationToken", "connect:GetFederationTokens", "gamelift:RequestUploadCredentials", "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iot:AssumeRoleWithCertificate", "lightsail:GetInstanceAccessDetails", "lightsail:GetRelationalDatabaseMasterUserPassword", "lightsail:DownloadDefaultKeyPair", "rds-db:connect", "sso:GetRoleCredentials", "mediapackage:RotateIngestEndpointCredentials", "ecr:GetAuthorizationToken", "ec2:GetPasswordData", "sts:AssumeRoleWithSAML", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary", "glue:UpdateDevEndpoint", "lambda:UpdateFunctionCode", "datapipeline:CreatePipeline", "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "kms:GenerateDataKey", "kms:ReEncryptFrom", "iam:SetDefaultPolicyVersion", "ssm:GetParameter"} {
		x := iamdata.LookupAction(a)
		if x == nil {
			fmt.Println(a, "UNKNOWN")
			continue
		}
		fmt.Println(a, x.Access, x.SupportsResourceLevel(), x.ResourceTypes)
	}
	for _, p := range []string{"s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "iam:*Policy*", "ssm:GetParameter*", "s3:Get*", "dynamodb:Describe*", "s3:PutObject*", "config:Get*", "logs:*"} {
		m := map[iamdata.AccessLevel]int{}
		for _, a := range iamdata.Expand(p) {
			m[a.Access]++
		}
		fmt.Println(p, m)
	}
}
