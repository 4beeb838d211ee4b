// edited copy: extra lines, an unrelated statement first in a policy, an unrelated role


// (c) Wildcard actions and resources: "*", service:*, prefix wildcards, NotAction/NotResource with Allow.
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');

class PlatformAutomationStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Ops automation Lambda that "needs to do everything".
    const opsFn = new lambda.Function(this, 'OpsAutomationFn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    opsFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:us-east-1:111111111111:jobs'] }));

    opsFn.addToRolePolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    new iam.Role(this, 'UnrelatedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // Glue data pipeline role with service-wide S3 access and Get* on everything.
    const pipelineRole = new iam.Role(this, 'DataPipelineRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'Glue ETL jobs',
    });
    pipelineRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    pipelineRole.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:Get*', 'dynamodb:Describe*', 'glue:*'],
      resources: ['*'],
    }));

    // Customer managed policy with iam:* attached to a support role.
    const iamAdmin = new iam.ManagedPolicy(this, 'IamAdminPolicy', {
      managedPolicyName: 'platform-iam-admin',
      statements: [new iam.PolicyStatement({ actions: ['iam:*'], resources: ['*'] })],
    });
    const supportRole = new iam.Role(this, 'SupportRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      managedPolicies: [iamAdmin],
    });

    // Mid-string wildcard that quietly covers privilege-escalation actions.
    supportRole.addToPolicy(new iam.PolicyStatement({
      actions: ['iam:*Policy*', 'iam:Get*', 'iam:List*'],
      resources: ['*'],
    }));

    // "Everything except IAM" via NotAction + Allow (grants every other service).
    const builderRole = new iam.Role(this, 'BuilderRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      inlinePolicies: {
        everythingButIam: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({
            effect: iam.Effect.ALLOW,
            notActions: ['iam:*', 'organizations:*', 'account:*'],
            resources: ['*'],
          })],
        }),
      },
    });

    // NotResource with Allow: may delete any object except the audit bucket (i.e. every other bucket in the world).
    builderRole.addToPolicy(new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      actions: ['s3:DeleteObject', 's3:PutObject'],
      notResources: ['arn:aws:s3:::acme-audit-logs/*'],
    }));

    // Legitimate guardrails that use NotAction / NotResource with Deny (should NOT be flagged).
    builderRole.addToPolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      notActions: ['iam:Get*', 'iam:List*', 'sts:GetCallerIdentity'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    }));
    builderRole.addToPolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['s3:*'],
      notResources: ['arn:aws:s3:::acme-build-*', 'arn:aws:s3:::acme-build-*/*'],
    }));

    // Written as raw JSON via fromJson: single-string Action/Resource, mixed-case service prefix.
    const rawDoc = iam.PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'LegacyEc2', Effect: 'Allow', Action: 'EC2:*', Resource: '*' },
        { Sid: 'ScopedLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${this.region}:${this.account}:log-group:/acme/*` },
      ],
    });
    new iam.Role(this, 'LegacyBatchRole', {
      assumedBy: new iam.ServicePrincipal('batch.amazonaws.com'),
      inlinePolicies: { legacy: rawDoc },
    });
  }
}

const app = new cdk.App();
new PlatformAutomationStack(app, 'PlatformAutomation');
if (process.env.CDK_NAG) {
  const { AwsSolutionsChecks } = require('cdk-nag');
  cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
app.synth();
