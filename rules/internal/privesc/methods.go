package privesc

import (
	"sort"
	"strings"

	"github.com/iamvet/iamvet/internal/iamdata"
)

// Method is a known privilege-escalation method: a set of actions that,
// allowed together on every resource, let a principal gain permissions it
// was not granted. Names are those of Rhino Security Labs' research
// ("AWS IAM Privilege Escalation – Methods and Mitigation", Spencer
// Gietzen; the aws_escalate.py scanner in RhinoSecurityLabs/Security-Research)
// as carried by Cloudsplaining's PRIVILEGE_ESCALATION_METHODS
// (salesforce/cloudsplaining, cloudsplaining/shared/constants.py), which
// checkov's CKV_AWS_110 and Parliament's privilege_escalation auditor reuse.
type Method struct {
	Name string
	// Actions are the actions the method needs, as "service:Action"; for a
	// pass-role method the first is iam:PassRole.
	Actions []string
	// Service is the service principal a pass-role method hands the role
	// to (iam:PassedToService), "" for the others.
	Service string
	// Does says what the holder can do, for messages.
	Does string
}

// Single are the methods that need one action.
var Single = []*Method{
	// IAM permissions on other users.
	{Name: "CreateAccessKey", Actions: []string{"iam:CreateAccessKey"}, Does: "create an access key for any other user, administrators included"},
	{Name: "CreateLoginProfile", Actions: []string{"iam:CreateLoginProfile"}, Does: "set a console password for any user that has none"},
	{Name: "UpdateLoginProfile", Actions: []string{"iam:UpdateLoginProfile"}, Does: "change the console password of any user"},
	{Name: "AddUserToGroup", Actions: []string{"iam:AddUserToGroup"}, Does: "add a user to any group, an administrators group included"},
	// Permissions on policies.
	{Name: "CreateNewPolicyVersion", Actions: []string{"iam:CreatePolicyVersion"}, Does: "rewrite any customer managed policy and make the new version the default"},
	{Name: "SetExistingDefaultPolicyVersion", Actions: []string{"iam:SetDefaultPolicyVersion"}, Does: "switch any managed policy to an older, broader version"},
	{Name: "AttachUserPolicy", Actions: []string{"iam:AttachUserPolicy"}, Does: "attach any managed policy (AdministratorAccess) to a user"},
	{Name: "AttachGroupPolicy", Actions: []string{"iam:AttachGroupPolicy"}, Does: "attach any managed policy (AdministratorAccess) to a group"},
	{Name: "AttachRolePolicy", Actions: []string{"iam:AttachRolePolicy"}, Does: "attach any managed policy (AdministratorAccess) to a role, its own included"},
	{Name: "PutUserPolicy", Actions: []string{"iam:PutUserPolicy"}, Does: "write any inline policy into a user"},
	{Name: "PutGroupPolicy", Actions: []string{"iam:PutGroupPolicy"}, Does: "write any inline policy into a group"},
	{Name: "PutRolePolicy", Actions: []string{"iam:PutRolePolicy"}, Does: "write any inline policy into a role, its own included"},
	// Updating an AssumeRole policy. Rhino pairs it with sts:AssumeRole; the
	// trust policy change alone already lets an identity the attacker
	// controls (in any account) assume the role.
	{Name: "UpdateRolePolicyToAssumeIt", Actions: []string{"iam:UpdateAssumeRolePolicy"}, Does: "rewrite the trust policy of any role so that an identity it controls can assume it"},
	// Removing a permissions boundary lifts the ceiling a delegated
	// administrator was given.
	{Name: "DeleteRolePermissionsBoundary", Actions: []string{"iam:DeleteRolePermissionsBoundary"}, Does: "remove the permissions boundary of any role"},
	{Name: "DeleteUserPermissionsBoundary", Actions: []string{"iam:DeleteUserPermissionsBoundary"}, Does: "remove the permissions boundary of any user"},
	// Privilege escalation using AWS services.
	{Name: "EditExistingLambdaFunctionWithRole", Actions: []string{"lambda:UpdateFunctionCode"}, Does: "replace the code of any function and act with its role"},
	{Name: "UpdateExistingGlueDevEndpoint", Actions: []string{"glue:UpdateDevEndpoint"}, Does: "add an SSH key to any Glue development endpoint and act with its role"},
}

// Combos are the methods that need several actions: passing an existing
// role (iam:PassRole on every role) to a compute resource the principal
// creates and controls.
var Combos = []*Method{
	{Name: "CreateEC2WithExistingIP", Actions: []string{"iam:PassRole", "ec2:RunInstances"}, Service: "ec2.amazonaws.com",
		Does: "launch an instance with any instance profile and read the role's credentials from it"},
	{Name: "PassExistingRoleToNewLambdaThenInvoke", Actions: []string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, Service: "lambda.amazonaws.com",
		Does: "create a function with any role and invoke it"},
	{Name: "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo", Actions: []string{"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, Service: "lambda.amazonaws.com",
		Does: "create a function with any role and trigger it from an event source"},
	{Name: "PassExistingRoleToNewGlueDevEndpoint", Actions: []string{"iam:PassRole", "glue:CreateDevEndpoint"}, Service: "glue.amazonaws.com",
		Does: "create a Glue development endpoint with any role and log in to it"},
	{Name: "PassExistingRoleToCloudFormation", Actions: []string{"iam:PassRole", "cloudformation:CreateStack"}, Service: "cloudformation.amazonaws.com",
		Does: "create a stack that runs with any role"},
	{Name: "PassExistingRoleToNewDataPipeline", Actions: []string{"iam:PassRole", "datapipeline:CreatePipeline"}, Service: "datapipeline.amazonaws.com",
		Does: "create a data pipeline that runs commands with any role"},
	{Name: "PassExistingRoleToNewCodeBuildProjectThenBuild", Actions: []string{"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"}, Service: "codebuild.amazonaws.com",
		Does: "create a build project with any role and run it"},
	{Name: "PassExistingRoleToNewECSTaskViaRunTask", Actions: []string{"iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"}, Service: "ecs-tasks.amazonaws.com",
		Does: "register a task definition with any task role and run it"},
}

// credentialActions are actions whose response carries credentials or
// secrets that let the caller act as another identity, from Cloudsplaining's
// and Parliament's credentials-exposure list (kmcquade's gist
// 33860a617e651104d243c324ddf7992a, carried by Parliament's
// credentials_exposure auditor and Cloudsplaining's CredentialsExposure
// finding), minus:
//   - ecr:GetAuthorizationToken: the token only lets the caller use the
//     registries its own ECR permissions allow; the action has no resource
//     type, so "*" is the only way to grant it, and CDK grants it to every
//     role that pulls an image. checkov's CKV_AWS_107 excludes it after
//     bridgecrewio/checkov#1815 for that reason.
//   - sts:AssumeRole: IAM030 reports it on every role.
//   - sts:GetSessionToken: returns credentials for the caller itself, and
//     has no resource to scope.
//   - sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity,
//     cognito-identity:GetOpenIdToken, cognito-identity:GetCredentialsForIdentity:
//     called without AWS credentials, so an identity policy neither grants
//     nor limits them.
//   - iam:UpdateAccessKey: activates or deactivates a key; the response
//     carries no credentials.
//   - actions the catalogue does not know (connect:GetFederationTokens,
//     iot:AssumeRoleWithCertificate, sso:GetRoleCredentials, which are not
//     IAM-authorized).
//
// It adds the newer forms of listed actions: redshift:GetClusterCredentialsWithIAM,
// redshift-serverless:GetCredentials and lightsail:DownloadDefaultKeyPair
// (returns a private key).
var credentialActions = []string{
	"codepipeline:PollForJobs",
	"cognito-idp:AssociateSoftwareToken",
	"cognito-identity:GetOpenIdTokenForDeveloperIdentity",
	"connect:GetFederationToken",
	"gamelift:RequestUploadCredentials",
	"iam:CreateAccessKey",
	"iam:CreateLoginProfile",
	"iam:CreateServiceSpecificCredential",
	"iam:ResetServiceSpecificCredential",
	"lightsail:DownloadDefaultKeyPair",
	"lightsail:GetInstanceAccessDetails",
	"lightsail:GetRelationalDatabaseMasterUserPassword",
	"mediapackage:RotateIngestEndpointCredentials",
	"rds-db:connect",
	"redshift:GetClusterCredentials",
	"redshift:GetClusterCredentialsWithIAM",
	"redshift-serverless:GetCredentials",
	"sts:GetFederationToken",
}

// CredentialActions returns the credentials-exposure actions (a copy).
func CredentialActions() []string { return append([]string(nil), credentialActions...) }

// exfiltration are the read actions Cloudsplaining flags as data
// exfiltration; used only to order examples in messages.
var exfiltration = []string{
	"s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
	"secretsmanager:GetSecretValue",
}

var (
	singleByAction = map[string]*Method{}
	credential     = map[string]bool{}
	exfil          = map[string]bool{}
)

func init() {
	for _, m := range Single {
		singleByAction[strings.ToLower(m.Actions[0])] = m
	}
	for _, a := range credentialActions {
		credential[strings.ToLower(a)] = true
	}
	for _, a := range exfiltration {
		exfil[strings.ToLower(a)] = true
	}
}

// SingleMethod returns the single-action method of an action, or nil.
func SingleMethod(action string) *Method { return singleByAction[strings.ToLower(action)] }

// IsCredentialAction reports whether an action returns credentials.
func IsCredentialAction(action string) bool { return credential[strings.ToLower(action)] }

// Rank orders actions for "e.g." lists in messages: escalation primitives
// first, then credential-exposure actions, then data-exfiltration reads,
// then the rest.
func Rank(action string) int {
	a := strings.ToLower(action)
	switch {
	case singleByAction[a] != nil || a == "iam:passrole":
		return 0
	case credential[a]:
		return 1
	case exfil[a]:
		return 2
	}
	return 3
}

// SortForExamples sorts actions by Rank, then by name.
func SortForExamples(as []*iamdata.Action) {
	sort.SliceStable(as, func(i, j int) bool {
		ri, rj := Rank(as[i].FullName()), Rank(as[j].FullName())
		if ri != rj {
			return ri < rj
		}
		return as[i].LowerName() < as[j].LowerName()
	})
}

// readVerbs are the name prefixes of actions that only read.
var readVerbs = []string{"Get", "List", "Describe"}

// Level returns the access level the rules grade an action by: the
// catalogue's, except that the few actions named Get…, List… or Describe…
// that the reference classes as Permissions management (31 in the 0.21
// catalogue, most of them Glue's Spark UI and interactive-session reads
// such as glue:GetStage, and GetResourcePolicy of a few services) are
// graded as Read: they return data and change no permission, and grading
// them up made "glue:Get*" look like policy administration.
func Level(a *iamdata.Action) iamdata.AccessLevel {
	if a.Access == iamdata.PermissionsManagement {
		for _, p := range readVerbs {
			if strings.HasPrefix(a.Name, p) {
				return iamdata.Read
			}
		}
	}
	return a.Access
}
