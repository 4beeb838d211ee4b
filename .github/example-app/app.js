// A small CDK app for the iamvet example workflow: one function with
// least-privilege grants, and one role with the kind of wildcard policy
// iamvet reports.
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const s3 = require('aws-cdk-lib/aws-s3');

class ExampleStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const bucket = new s3.Bucket(this, 'Uploads', { enforceSSL: true });

    // Fine: grants scope actions and resources.
    const reader = new lambda.Function(this, 'Reader', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    bucket.grantRead(reader);

    // Reported: every S3 action on every resource.
    const ops = new iam.Role(this, 'OpsRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    ops.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  }
}

const app = new cdk.App();
new ExampleStack(app, 'ExampleStack');
