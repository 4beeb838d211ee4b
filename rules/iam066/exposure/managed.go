package exposure

import (
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
)

// managedPolicies holds the statements of the AWS managed policies CDK apps
// attach most, as AWS publishes them (default versions as of 2026; the
// statements on "*" and their conditions are what grading needs). Scoped
// statements that cannot grant privileged rights are left out. A policy
// that is not listed here is graded by its name when the name says
// read-only, and is otherwise ungraded (Unknown): iamvet does not guess
// what a policy it does not know grants.
var managedPolicies = map[string]string{
	"AdministratorAccess": `[{"Effect":"Allow","Action":"*","Resource":"*"}]`,
	"PowerUserAccess": `[
		{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},
		{"Effect":"Allow","Action":["account:GetAccountInformation","account:GetPrimaryEmail","account:ListRegions",
			"iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles",
			"organizations:DescribeEffectivePolicy","organizations:DescribeOrganization"],"Resource":"*"}]`,
	"IAMFullAccess": `[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization",
		"organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren",
		"organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots",
		"organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]`,
	"AWSOrganizationsFullAccess": `[
		{"Effect":"Allow","Action":"organizations:*","Resource":"*"},
		{"Effect":"Allow","Action":["account:PutAlternateContact","account:DeleteAlternateContact","account:GetAlternateContact"],"Resource":"*"}]`,
	"AmazonS3FullAccess":                   `[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]`,
	"AmazonSQSFullAccess":                  `[{"Effect":"Allow","Action":["sqs:*"],"Resource":"*"}]`,
	"AmazonSNSFullAccess":                  `[{"Effect":"Allow","Action":["sns:*"],"Resource":"*"}]`,
	"AmazonEC2FullAccess":                  `[{"Effect":"Allow","Action":["ec2:*","elasticloadbalancing:*","cloudwatch:*","autoscaling:*"],"Resource":"*"}]`,
	"AWSCloudFormationFullAccess":          `[{"Effect":"Allow","Action":["cloudformation:*"],"Resource":"*"}]`,
	"CloudWatchLogsFullAccess":             `[{"Effect":"Allow","Action":["logs:*","cloudwatch:GenerateQuery","cloudwatch:GenerateQueryResultsSummary"],"Resource":"*"}]`,
	"AWSStepFunctionsFullAccess":           `[{"Effect":"Allow","Action":"states:*","Resource":"*"}]`,
	"AmazonAPIGatewayAdministrator":        `[{"Effect":"Allow","Action":["apigateway:*"],"Resource":"arn:aws:apigateway:*::/*"}]`,
	"AWSCloudShellFullAccess":              `[{"Effect":"Allow","Action":["cloudshell:*"],"Resource":"*"}]`,
	"AmazonEC2ContainerRegistryFullAccess": `[{"Effect":"Allow","Action":["ecr:*","cloudtrail:LookupEvents"],"Resource":"*"}]`,
	"AmazonDynamoDBFullAccess": `[
		{"Effect":"Allow","Action":["dynamodb:*","dax:*","application-autoscaling:DeleteScalingPolicy",
			"application-autoscaling:DeregisterScalableTarget","application-autoscaling:PutScalingPolicy",
			"application-autoscaling:RegisterScalableTarget","cloudwatch:DeleteAlarms","cloudwatch:PutMetricAlarm",
			"datapipeline:ActivatePipeline","datapipeline:CreatePipeline","datapipeline:DeletePipeline",
			"datapipeline:PutPipelineDefinition","iam:GetRole","iam:ListRoles","sns:CreateTopic","sns:DeleteTopic",
			"sns:Subscribe","sns:Unsubscribe","sns:SetTopicAttributes","lambda:CreateFunction","lambda:ListFunctions",
			"lambda:CreateEventSourceMapping","lambda:DeleteEventSourceMapping","lambda:DeleteFunction",
			"resource-groups:DeleteGroup","resource-groups:CreateGroup"],"Resource":"*"},
		{"Effect":"Allow","Action":["iam:PassRole"],"Resource":"*","Condition":{"StringLike":{"iam:PassedToService":
			["application-autoscaling.amazonaws.com","application-autoscaling.amazonaws.com.cn","dax.amazonaws.com"]}}}]`,
	"AWSLambda_FullAccess": `[
		{"Effect":"Allow","Action":["cloudformation:DescribeStacks","cloudformation:ListStackResources",
			"cloudwatch:ListMetrics","cloudwatch:GetMetricData","ec2:DescribeSecurityGroups","ec2:DescribeSubnets",
			"ec2:DescribeVpcs","kms:DescribeKey","kms:ListAliases","iam:GetPolicy","iam:GetPolicyVersion","iam:GetRole",
			"iam:GetRolePolicy","iam:ListAttachedRolePolicies","iam:ListRolePolicies","iam:ListRoles","lambda:*",
			"logs:DescribeLogGroups","states:DescribeStateMachine","states:ListStateMachines","tag:GetResources",
			"xray:GetTraceSummaries","xray:BatchGetTraces"],"Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}]`,
	"AmazonECS_FullAccess": `[
		{"Effect":"Allow","Action":["application-autoscaling:DeleteScalingPolicy","application-autoscaling:PutScalingPolicy",
			"application-autoscaling:RegisterScalableTarget","application-autoscaling:DeregisterScalableTarget",
			"autoscaling:CreateAutoScalingGroup","autoscaling:CreateLaunchConfiguration","autoscaling:DeleteAutoScalingGroup",
			"autoscaling:DeleteLaunchConfiguration","autoscaling:Describe*","autoscaling:UpdateAutoScalingGroup",
			"cloudformation:CreateStack","cloudformation:DeleteStack","cloudformation:DescribeStack*","cloudformation:UpdateStack",
			"ec2:AuthorizeSecurityGroupIngress","ec2:CreateLaunchTemplate","ec2:CreateSecurityGroup","ec2:CreateVpc",
			"ec2:Describe*","ec2:RunInstances","ecs:*","events:PutRule","events:PutTargets","events:RemoveTargets",
			"iam:ListAttachedRolePolicies","iam:ListInstanceProfiles","iam:ListRoles","lambda:ListFunctions",
			"logs:CreateLogGroup","route53:CreateHostedZone","route53:DeleteHostedZone",
			"servicediscovery:CreateService","servicediscovery:DeleteService","servicediscovery:UpdateService"],"Resource":["*"]},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":["*"],"Condition":{"StringLike":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]`,
	"SecretsManagerReadWrite": `[{"Effect":"Allow","Action":["secretsmanager:*","cloudformation:CreateChangeSet",
		"cloudformation:DescribeChangeSet","cloudformation:DescribeStackResource","cloudformation:DescribeStacks",
		"cloudformation:ExecuteChangeSet","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs",
		"kms:DescribeKey","kms:ListAliases","kms:ListKeys","lambda:ListFunctions","rds:DescribeDBClusters",
		"rds:DescribeDBInstances","redshift:DescribeClusters","tag:GetResources"],"Resource":"*"}]`,
	"AWSKeyManagementServicePowerUser": `[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias",
		"kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource",
		"iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]`,
	"AWSCodeBuildAdminAccess": `[{"Effect":"Allow","Action":["codebuild:*","codecommit:GetBranch","codecommit:GetCommit",
		"codecommit:GetRepository","codecommit:ListBranches","codecommit:ListRepositories","cloudwatch:GetMetricStatistics",
		"ec2:DescribeVpcs","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ecr:DescribeRepositories","ecr:ListImages",
		"events:DeleteRule","events:DescribeRule","events:DisableRule","events:EnableRule","events:PutRule",
		"events:PutTargets","events:RemoveTargets","logs:GetLogEvents","s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":"*"}]`,
	"service-role/AWSLambdaBasicExecutionRole": `[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]`,
	"service-role/AWSLambdaVPCAccessExecutionRole": `[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream",
		"logs:PutLogEvents","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets",
		"ec2:DeleteNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:UnassignPrivateIpAddresses"],"Resource":"*"}]`,
	"service-role/AmazonECSTaskExecutionRolePolicy": `[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken",
		"ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream",
		"logs:PutLogEvents"],"Resource":"*"}]`,
}

// readOnlyPolicies are AWS managed policies that only read, beyond those
// whose name ends in ReadOnlyAccess or ReadOnly.
var readOnlyPolicies = map[string]bool{
	"ReadOnlyAccess": true, "SecurityAudit": true, "job-function/ViewOnlyAccess": true,
	"ViewOnlyAccess": true, "AWSSupportAccess": true,
}

var (
	managedOnce sync.Once
	managedDocs map[string]*iampolicy.Document
)

// managedDoc returns the parsed statements of a listed AWS managed policy
// (name with its path, "service-role/AWSLambdaBasicExecutionRole"), or nil.
func managedDoc(name string) *iampolicy.Document {
	managedOnce.Do(func() {
		managedDocs = map[string]*iampolicy.Document{}
		for n, src := range managedPolicies {
			node, err := cfn.ParseJSON([]byte(`{"Version":"2012-10-17","Statement":` + src + `}`))
			if err != nil {
				panic("exposure: AWS managed policy " + n + ": " + err.Error())
			}
			d := iampolicy.Parse(node, iampolicy.Identity, "", "AWS::IAM::ManagedPolicy", "aws-managed/"+n)
			if len(d.Problems) > 0 {
				panic("exposure: AWS managed policy " + n + ": " + d.Problems[0].Msg)
			}
			managedDocs[n] = d
		}
	})
	return managedDocs[name]
}

// awsManagedName returns the name (with its path) of an AWS managed policy
// ARN in any form CDK writes (literal, Fn::Join or Fn::Sub with
// AWS::Partition), or "" for anything else or an unresolvable name.
func awsManagedName(v iampolicy.Value) string {
	const marker = ":iam::aws:policy/"
	t := v.Text
	i := strings.Index(t, marker)
	if i < 0 || !strings.HasPrefix(t, "arn:") {
		return ""
	}
	name := t[i+len(marker):]
	if name == "" || strings.Contains(name, "${") || strings.ContainsAny(name, "*?") {
		return ""
	}
	return name
}

// readOnlyName reports whether an AWS managed policy only reads, by name.
func readOnlyName(name string) bool {
	base := name[strings.LastIndex(name, "/")+1:]
	return readOnlyPolicies[name] || readOnlyPolicies[base] ||
		strings.HasSuffix(base, "ReadOnlyAccess") || strings.HasSuffix(base, "ReadOnly")
}
