// The CDK app of the end-to-end test: a stack with a role that may do
// anything ('Action: "*"'), and a clean one, validated by IamvetValidator
// registered each way CDK supports. Run directly (node test/build/app.js)
// it behaves like an app under `cdk synth`: CDK_OUTDIR, exit code.

import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import * as cdk from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { IamvetValidator, Severity, IamvetValidatorProps } from '../lib';

export type Registration = 'beta1' | 'validations' | 'stage';

export interface AppOptions {
  readonly outdir?: string;
  readonly registration: Registration;
  /** Add the admin role (IAM011). */
  readonly risky: boolean;
  readonly plugin?: IamvetValidatorProps;
  /** Add a role with medium findings (s3 actions on every resource). */
  readonly medium?: boolean;
  /** Acknowledge iamvet::IAM011 with Validations.of(stack).acknowledge. */
  readonly acknowledge?: boolean;
  /** Wrap the plugin to checksum the assembly around validate(). */
  readonly checksum?: ChecksumLog;
}

/** What the checksumming wrapper saw. */
export interface ChecksumLog {
  before?: Map<string, string>;
  after?: Map<string, string>;
  templatePaths?: string[];
}

class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, risky: boolean, medium: boolean) {
    super(scope, id, { env: { account: '111111111111', region: 'eu-west-1' } });
    const bucket = new s3.Bucket(this, 'Data', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
    });
    const reader = new iam.Role(this, 'ReaderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantRead(reader);
    if (risky) {
      const admin = new iam.Role(this, 'AdminRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      admin.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
      new iam.ManagedPolicy(this, 'BreakGlass', {
        statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
        roles: [admin],
      });
    }
    if (medium) {
      const uploader = new iam.Role(this, 'UploaderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      uploader.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: ['*'] }));
    }
  }
}

/** Hashes every file under dir (path → sha256). */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.isFile()) {
        out.set(path.relative(dir, p), crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
      }
    }
  };
  walk(dir);
  return out;
}

function checksummed(inner: IamvetValidator, outdir: () => string, log: ChecksumLog): cdk.IPolicyValidationPluginBeta1 {
  return {
    name: inner.name,
    version: inner.version,
    ruleIds: inner.ruleIds,
    validate(context) {
      log.templatePaths = [...context.templatePaths];
      log.before = hashTree(outdir());
      try {
        return inner.validate(context);
      } finally {
        log.after = hashTree(outdir());
      }
    },
  };
}

// Validations exists only in newer aws-cdk-lib releases (2026); the app
// must also compile and run against older ones.
type ValidationsLike = { of(scope: Construct): { addPlugins(...plugins: IamvetValidator[]): void; acknowledge(...rules: Array<{ id: string; reason: string }>): void } };
export const Validations: ValidationsLike | undefined = (cdk as unknown as { Validations?: ValidationsLike }).Validations;

export function buildApp(opts: AppOptions): cdk.App {
  const validator = new IamvetValidator({ failOn: Severity.HIGH, ...opts.plugin });
  let app: cdk.App;
  const plugin = opts.checksum ? checksummed(validator, () => app.outdir, opts.checksum) : validator;
  const context = { '@aws-cdk/core:validationReportJson': true };
  let scope: Construct;
  switch (opts.registration) {
    case 'beta1':
      app = new cdk.App({ outdir: opts.outdir, context, policyValidationBeta1: [plugin] });
      scope = app;
      break;
    case 'validations':
      if (!Validations) {
        throw new Error('this aws-cdk-lib has no Validations class');
      }
      app = new cdk.App({ outdir: opts.outdir, context });
      Validations.of(app).addPlugins(plugin as IamvetValidator);
      scope = app;
      break;
    case 'stage':
      app = new cdk.App({ outdir: opts.outdir, context });
      scope = new cdk.Stage(app, 'Prod', { policyValidationBeta1: [plugin] });
      break;
  }
  const stack = new AppStack(scope, 'AppStack', opts.risky, opts.medium ?? false);
  if (opts.acknowledge) {
    if (!Validations) {
      throw new Error('this aws-cdk-lib has no Validations class');
    }
    Validations.of(stack).acknowledge({ id: 'iamvet::IAM011', reason: 'e2e test: admin role on purpose' });
  }
  return app;
}

// Compile-time check: the same object is accepted where CDK wants the
// graduated IPolicyValidationPlugin (present in this pinned aws-cdk-lib).
export const asStablePlugin = (v: IamvetValidator): cdk.IPolicyValidationPlugin => v;

if (require.main === module) {
  const registration = (process.env.E2E_REGISTRATION ?? 'beta1') as Registration;
  const app = buildApp({ registration, risky: process.env.E2E_RISKY !== '0' });
  app.synth();
}
