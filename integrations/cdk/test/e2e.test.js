// End-to-end: a real CDK app (test/app.ts, compiled to build-test/app.js)
// synthesized with aws-cdk-lib, validated by IamvetValidator running the real
// iamvet binary ($IAMVET_BINARY, built by test/e2e.sh). Asserts what CDK
// reports. Without IAMVET_BINARY the suite is skipped, unless
// IAMVET_E2E_REQUIRED=1 (test/e2e.sh sets it), where it fails.
'use strict';

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const BINARY = process.env.IAMVET_BINARY;
const REQUIRED = process.env.IAMVET_E2E_REQUIRED === '1';
if (REQUIRED && !BINARY) {
  throw new Error('IAMVET_E2E_REQUIRED=1 but IAMVET_BINARY is not set');
}
const APP_JS = path.join(__dirname, '..', 'build-test', 'app.js');
const skip = BINARY ? false : 'IAMVET_BINARY not set (run test/e2e.sh)';

// In-process synths throw with the whole report in the message instead of
// printing it (aws-cdk-lib reads this at synth time).
process.env.CDK_APP_MODE = 'inmemory';
delete process.env.IAMVET_SKIP;
delete process.env.IAMET_SKIP;

let appMod;
let tmpRoot;
before(() => {
  if (skip) {
    return;
  }
  assert.ok(fs.existsSync(BINARY), `IAMVET_BINARY=${BINARY} does not exist`);
  assert.ok(fs.existsSync(APP_JS), `${APP_JS} missing: run npm run build:test`);
  appMod = require(APP_JS);
  tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'iamvet-cdk-e2e-'));
});

after(() => {
  if (tmpRoot && !process.env.IAMVET_E2E_KEEP) {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
});

function outdir(name) {
  return path.join(tmpRoot, name);
}

/** Synthesizes; returns the error thrown (if any) and the reports CDK wrote. */
function synth(opts) {
  const dir = opts.outdir;
  let error;
  try {
    appMod.buildApp({ plugin: { binaryPath: BINARY }, ...opts }).synth();
  } catch (e) {
    error = e;
  }
  const read = (f) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) : undefined);
  return { error, legacy: read('policy-validation-report.json'), modern: read('validation-report.json') };
}

function iamvetLegacy(legacy) {
  return legacy && legacy.pluginReports.find(r => r.summary.pluginName === 'iamvet');
}

/** The logical ids of the IAM policies whose statements allow Action "*" on "*". */
function adminPolicies(templateFile) {
  const t = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  return Object.entries(t.Resources)
    .filter(([, r]) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) &&
      r.Properties.PolicyDocument.Statement.some(s => s.Action === '*' && s.Resource === '*'))
    .map(([id]) => id)
    .sort();
}

function assertAdminViolations(report, templateFile, templateRel) {
  const ids = adminPolicies(templateFile);
  assert.equal(ids.length, 2, 'the app has two admin policies');
  const iamvet = iamvetLegacy(report);
  assert.ok(iamvet, 'iamvet is in policy-validation-report.json');
  assert.equal(iamvet.summary.status, 'failure');
  assert.equal(iamvet.version, require('../package.json').version);
  const iam011 = iamvet.violations.filter(v => v.ruleName === 'IAM011');
  assert.deepEqual(iam011.map(v => v.violatingResources[0].resourceLogicalId).sort(), ids);
  for (const v of iam011) {
    assert.equal(v.severity, 'error');
    assert.equal(v.ruleMetadata.iamvetSeverity, 'critical');
    assert.match(v.description, /^Statement grants administrator access \(every action on \*\)\. .*allows every action \("\*"\) on every resource/);
    assert.match(v.fix, /See https:\/\/github\.com\/iamvet\/iamvet\/blob\/main\/docs\/rules\/IAM011\.md$/);
    const res = v.violatingResources[0];
    assert.equal(res.templatePath, templateRel);
    assert.deepEqual(res.locations, ['Properties/PolicyDocument/Statement/0/Action']);
  }
  return iam011;
}

describe('CDK app with the plugin (real iamvet, real aws-cdk-lib)', { skip }, () => {
  test('new App({ policyValidationBeta1 }) — synthesis fails and CDK reports IAM011 on the admin policies', () => {
    const dir = outdir('beta1');
    const { error, legacy, modern } = synth({ outdir: dir, registration: 'beta1', risky: true });
    assert.ok(error, 'synth must fail');
    assert.doesNotMatch(error.message, /modified the cloud assembly|Illegal/);
    assert.match(error.message, /IAM011|Validation failed/);
    const iam011 = assertAdminViolations(legacy, path.join(dir, 'AppStack.template.json'), 'AppStack.template.json');
    const paths = iam011.map(v => v.violatingResources[0].constructPath).sort();
    assert.deepEqual(paths, ['AppStack/AdminRole/DefaultPolicy/Resource', 'AppStack/BreakGlass/Resource']);
    if (modern) { // the newer report (aws-cdk-lib ≥ 2.2xx)
      const rep = modern.pluginReports.find(r => r.pluginName === 'iamvet');
      assert.equal(rep.conclusion, 'failure');
      const constructs = rep.violations.filter(v => v.ruleName === 'IAM011').flatMap(v => v.violatingConstructs.map(c => c.constructPath)).sort();
      assert.deepEqual(constructs, paths);
    }
  });

  test('the plugin leaves the assembly byte-for-byte unchanged; SARIF goes outside it', () => {
    const dir = outdir('checksum');
    const log = {};
    const sarif = path.join(tmpRoot, 'reports', 'iamvet.sarif');
    fs.mkdirSync(path.dirname(sarif), { recursive: true });
    const { error } = synth({
      outdir: dir, registration: 'beta1', risky: true, checksum: log,
      plugin: { binaryPath: BINARY, sarifOutput: sarif },
    });
    assert.ok(error);
    assert.doesNotMatch(error.message, /modified the cloud assembly/);
    assert.ok(log.before && log.before.size >= 3, 'the wrapper hashed the assembly');
    assert.ok([...log.before.keys()].includes('AppStack.template.json'));
    assert.deepEqual([...log.after.entries()].sort(), [...log.before.entries()].sort());
    assert.equal(log.templatePaths.length, 1);
    assert.equal(fs.realpathSync(log.templatePaths[0]), fs.realpathSync(path.join(dir, 'AppStack.template.json')));
    const s = JSON.parse(fs.readFileSync(sarif, 'utf8'));
    assert.equal(s.version, '2.1.0');
    assert.ok(s.runs[0].results.some(r => r.ruleId === 'IAM011'));
  });

  test('sarifOutput inside the assembly: the plugin fails (CDK shows the error), nothing is written', () => {
    const dir = outdir('sarif-inside');
    const { error, legacy } = synth({
      outdir: dir, registration: 'beta1', risky: true,
      plugin: { binaryPath: BINARY, sarifOutput: path.join(dir, 'iamvet.sarif') },
    });
    assert.ok(error);
    assert.ok(!fs.existsSync(path.join(dir, 'iamvet.sarif')));
    const rep = iamvetLegacy(legacy);
    assert.equal(rep.summary.status, 'failure');
    assert.match(rep.summary.metadata.error, /inside the cloud assembly/);
  });

  test('Validations.of(app).addPlugins(...) reports the same violations', (t) => {
    if (!appMod.Validations) {
      t.skip('this aws-cdk-lib has no Validations class');
      return;
    }
    const dir = outdir('validations');
    const { error, legacy } = synth({ outdir: dir, registration: 'validations', risky: true });
    assert.ok(error);
    assertAdminViolations(legacy, path.join(dir, 'AppStack.template.json'), 'AppStack.template.json');
  });

  test('a Stage (nested assembly) with the plugin: construct paths include the stage', () => {
    const dir = outdir('stage');
    const { error, legacy } = synth({ outdir: dir, registration: 'stage', risky: true });
    assert.ok(error);
    const nested = path.join(dir, 'assembly-Prod');
    const template = fs.readdirSync(nested).find(f => f.endsWith('.template.json'));
    const iam011 = assertAdminViolations(legacy, path.join(nested, template), path.join('assembly-Prod', template));
    assert.deepEqual(iam011.map(v => v.violatingResources[0].constructPath).sort(),
      ['Prod/AppStack/AdminRole/DefaultPolicy/Resource', 'Prod/AppStack/BreakGlass/Resource']);
  });

  test('a clean app synthesizes with failOn HIGH', () => {
    const dir = outdir('clean');
    const log = {};
    const { error, legacy } = synth({ outdir: dir, registration: 'beta1', risky: false, checksum: log });
    assert.equal(error, undefined, error && error.message);
    assert.equal(log.templatePaths.length, 1, 'iamvet ran');
    const rep = iamvetLegacy(legacy);
    if (rep) { // listed only when it has (non-blocking) violations
      assert.equal(rep.summary.status, 'success');
      assert.ok(rep.violations.every(v => v.severity !== 'error'));
    }
  });

  test('Validations.of(stack).acknowledge({ id: "iamvet::IAM011" }) lets synthesis pass', (t) => {
    if (!appMod.Validations) {
      t.skip('this aws-cdk-lib has no Validations class');
      return;
    }
    const dir = outdir('ack');
    const { error, modern } = synth({ outdir: dir, registration: 'beta1', risky: true, acknowledge: true });
    assert.equal(error, undefined, error && error.message);
    const rep = modern.pluginReports.find(r => r.pluginName === 'iamvet');
    assert.ok(rep.suppressedViolations.some(v => v.ruleName === 'IAM011'));
    assert.ok(!rep.violations.some(v => v.ruleName === 'IAM011'));
  });

  test('acknowledging IAM011 does not unblock findings at or above failOn (LOW), and does with failOn HIGH', (t) => {
    if (!appMod.Validations) {
      t.skip('this aws-cdk-lib has no Validations class');
      return;
    }
    let r = synth({ outdir: outdir('ack-low'), registration: 'beta1', risky: true, medium: true, acknowledge: true,
      plugin: { binaryPath: BINARY, failOn: 'low' } });
    assert.ok(r.error, 'medium findings still block with failOn LOW');
    let rep = iamvetLegacy(r.legacy);
    assert.equal(rep.summary.status, 'failure');
    const medium = rep.violations.filter(v => v.ruleMetadata.iamvetSeverity === 'medium');
    assert.ok(medium.length > 0, 'the uploader role has medium findings');
    assert.ok(medium.every(v => v.severity === 'error'), 'blocking findings are errors');
    assert.ok(medium.some(v => v.violatingResources[0].resourceLogicalId.startsWith('UploaderRole')));

    r = synth({ outdir: outdir('ack-high'), registration: 'beta1', risky: true, medium: true, acknowledge: true });
    assert.equal(r.error, undefined, r.error && r.error.message);
    rep = iamvetLegacy(r.legacy);
    assert.equal(rep.summary.status, 'success');
    assert.ok(rep.violations.length > 0 && rep.violations.every(v => v.severity === 'warning' || v.severity === 'info'));
  });

  test('run as `cdk synth` runs apps (CDK_OUTDIR, process mode): exit 1 and the report on stderr; IAMVET_SKIP=1 skips', () => {
    const dir = outdir('process');
    const env = { ...process.env, CDK_OUTDIR: dir, CDK_APP_MODE: 'process', IAMVET_BINARY: BINARY };
    let p = spawnSync(process.execPath, [APP_JS], { env, encoding: 'utf8', timeout: 60000 });
    assert.notEqual(p.status, 0, p.stderr);
    assert.match(p.stderr, /IAM011/);
    assert.match(p.stderr, /\(iamvet\)|Plugin: iamvet/);
    assert.match(p.stderr, /AppStack\/AdminRole\/DefaultPolicy\/Resource/);
    p = spawnSync(process.execPath, [APP_JS], { env: { ...env, CDK_OUTDIR: outdir('process-skip'), IAMVET_SKIP: '1' }, encoding: 'utf8', timeout: 60000 });
    assert.equal(p.status, 0, p.stderr);
    assert.doesNotMatch(p.stderr, /IAM011/);
  });

  test('ruleIds match the binary\'s enabled rules (src/rules.generated.ts is current)', () => {
    const p = spawnSync(BINARY, ['rules', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const enabled = JSON.parse(p.stdout).filter(r => r.enabled).map(r => r.id);
    const { IamvetValidator } = require('..');
    assert.deepEqual(new IamvetValidator().ruleIds, enabled);
  });
});
