// Unit tests of @iamvet/cdk-validator with a fake iamvet (test/fake-iamvet.js).
// Run: npm run build && node --test test/unit.test.js
'use strict';

const { test, describe, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');

const lib = require('../lib');
const { IamvetValidator, Severity, mapFindings, splitPointer, cdkSeverity, resolveBinary, assemblyDirs } = lib;

const FAKE = path.join(__dirname, 'fake-iamvet.js');
const FIXTURES = path.join(__dirname, 'fixtures');
const PKG = require('../package.json');

const ENV_KEYS = ['IAMVET_BINARY', 'IAMET_BINARY', 'IAMVET_SKIP', 'IAMET_SKIP', 'CDK_OUTDIR', 'CDK_DEBUG',
  'FAKE_IAMVET_FIXTURE', 'FAKE_IAMVET_EXIT', 'FAKE_IAMVET_STDERR', 'FAKE_IAMVET_STDOUT', 'FAKE_IAMVET_ARGV',
  'FAKE_IAMVET_SLEEP_MS'];
let savedEnv;
let tmp;

beforeEach(() => {
  savedEnv = {};
  for (const k of ENV_KEYS) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iamvet-cdk-unit-'));
});

afterEach(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) {
      delete process.env[k];
    } else {
      process.env[k] = savedEnv[k];
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A minimal cloud assembly: dir/manifest.json + dir/AppStack.template.json. */
function assembly(dir = path.join(tmp, 'cdk.out')) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{"version":"48.0.0","artifacts":{}}\n');
  const template = path.join(dir, 'AppStack.template.json');
  fs.writeFileSync(template, '{"Resources":{}}\n');
  return { dir, template };
}

function fixture(name) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

/** The fixture's findings with the template placeholders filled in. */
function fixtureFindings(template) {
  const text = fs.readFileSync(path.join(FIXTURES, 'findings.json'), 'utf8')
    .split('@TEMPLATE_REAL@').join(template).split('@TEMPLATE@').join(template);
  return JSON.parse(text).findings;
}

function validator(props = {}) {
  return new IamvetValidator({ binaryPath: FAKE, ...props });
}

describe('severity mapping', () => {
  test('critical/high → error, medium → warning, low → info, never fatal', () => {
    assert.equal(cdkSeverity('critical'), 'error');
    assert.equal(cdkSeverity('high'), 'error');
    assert.equal(cdkSeverity('medium'), 'warning');
    assert.equal(cdkSeverity('low'), 'info');
    assert.equal(cdkSeverity('HIGH'), 'error');
  });

  test('given failOn, error marks exactly the blocking findings', () => {
    assert.equal(cdkSeverity('high', 'high'), 'error');
    assert.equal(cdkSeverity('medium', 'high'), 'warning');
    assert.equal(cdkSeverity('low', 'high'), 'info');
    assert.equal(cdkSeverity('high', 'critical'), 'warning');
    assert.equal(cdkSeverity('critical', 'critical'), 'error');
    assert.equal(cdkSeverity('medium', 'low'), 'error');
    assert.equal(cdkSeverity('low', 'low'), 'error');
    assert.equal(cdkSeverity('low', 'medium'), 'info');
    assert.equal(cdkSeverity('critical', 'none'), 'warning');
  });
});

describe('splitPointer', () => {
  test('strips /Resources/<id>/', () => {
    assert.deepEqual(splitPointer('/Resources/Role1/Properties/Policies/0/PolicyDocument/Statement/0/Action'),
      { logicalId: 'Role1', location: 'Properties/Policies/0/PolicyDocument/Statement/0/Action' });
  });
  test('the resource itself has no location', () => {
    assert.deepEqual(splitPointer('/Resources/Role1'), { logicalId: 'Role1', location: undefined });
  });
  test('keeps ~1 escapes in the location', () => {
    assert.deepEqual(splitPointer('/Resources/P/Properties/Condition/StringLike/aws:RequestTag~1team'),
      { logicalId: 'P', location: 'Properties/Condition/StringLike/aws:RequestTag~1team' });
  });
  test('pointers outside /Resources lose only the leading slash', () => {
    assert.deepEqual(splitPointer('/Outputs/Arn'), { location: 'Outputs/Arn' });
    assert.deepEqual(splitPointer(''), { location: undefined });
  });
});

describe('mapFindings', () => {
  const T = '/abs/cdk.out/AppStack.template.json';
  const violations = () => mapFindings(fixtureFindings(T), { templatePaths: [T] });

  test('one violation per rule, severity and resource, in iamvet order; suppressed skipped', () => {
    const v = violations();
    assert.deepEqual(v.map(x => [x.ruleName, x.severity, x.violatingResources[0].resourceLogicalId]), [
      ['IAM011', 'error', 'AdminRoleDefaultPolicy1C2AB961'],
      ['IAM011', 'error', 'BreakGlass65847508'],
      ['IAM013', 'error', 'PipelineDefaultPolicy11112222'],
      ['IAM013', 'warning', 'PipelineDefaultPolicy11112222'],
      ['IAM037', 'warning', 'SupportRole68F72D2C'],
      ['IAM015', 'warning', 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicyADDA7DEB'],
      ['IAM014', 'info', 'PipelineDefaultPolicy11112222'],
    ]);
    assert.ok(!v.some(x => x.violatingResources.some(r => r.resourceLogicalId === 'LegacyDefaultPolicy99990000')),
      'a suppressed finding must not become a violation');
  });

  test('findings of one rule on one resource merge their locations and messages', () => {
    const iam013 = violations().find(x => x.ruleName === 'IAM013' && x.severity === 'error');
    assert.deepEqual(iam013.violatingResources, [{
      resourceLogicalId: 'PipelineDefaultPolicy11112222',
      templatePath: T,
      locations: ['Properties/PolicyDocument/Statement/0/Action', 'Properties/PolicyDocument/Statement/1/Action/2'],
    }]);
    assert.match(iam013.description, /^Statement allows every action of a service\. 2 findings:\n- .*"s3:\*".*\n- .*"glue:\*"/);
    assert.equal(iam013.ruleMetadata.fingerprints, 'v1:cccc,v1:dddd');
  });

  test('description = title. message; fix = fix + helpUri', () => {
    const v = violations()[0];
    assert.equal(v.description,
      'Statement grants administrator access (every action on *). policy AppStack/AdminRole/DefaultPolicy statement #1 allows every action ("*") on every resource: administrator access');
    assert.equal(v.fix, 'List the actions the principal calls. See https://github.com/iamvet/iamvet/blob/main/docs/rules/IAM011.md');
    const noFix = violations().find(x => x.ruleName === 'IAM037');
    assert.equal(noFix.fix, 'See https://github.com/iamvet/iamvet/blob/main/docs/rules/IAM037.md');
  });

  test('ruleMetadata holds strings only, with severity, help, fingerprints, source locations', () => {
    for (const v of violations()) {
      for (const [k, val] of Object.entries(v.ruleMetadata)) {
        assert.equal(typeof val, 'string', `${v.ruleName} ruleMetadata.${k}`);
      }
    }
    const [first, second] = violations();
    assert.deepEqual(first.ruleMetadata, {
      iamvetSeverity: 'critical', securitySeverity: '9.5',
      helpUri: 'https://github.com/iamvet/iamvet/blob/main/docs/rules/IAM011.md',
      fingerprints: 'v1:aaaa', iamvetRuleName: 'AdminStarStar',
    });
    assert.equal(second.ruleMetadata.sourceLocations, 'lib/app-stack.ts:42:5');
  });

  test('CDK-internal findings are kept (they count as blocking) and marked', () => {
    const v = violations().find(x => x.ruleName === 'IAM015');
    assert.equal(v.ruleMetadata.cdkInternal, 'true');
    assert.match(v.description, /\(CDK-internal construct: created by CDK's LogRetention construct\)$/);
  });

  test('escaped pointer segments stay escaped in locations', () => {
    const v = violations().find(x => x.ruleName === 'IAM014');
    assert.deepEqual(v.violatingResources[0].locations,
      ['Properties/PolicyDocument/Statement/1/Condition/StringLike/aws:RequestTag~1team']);
  });
});

describe('validate with a fake iamvet', () => {
  test('passes the S-6 arguments and the template paths after --', () => {
    const { template } = assembly();
    const argvFile = path.join(tmp, 'argv.json');
    process.env.FAKE_IAMVET_ARGV = argvFile;
    const sarif = path.join(tmp, 'out', 'iamvet.sarif');
    fs.mkdirSync(path.dirname(sarif));
    const v = validator({
      failOn: Severity.HIGH, minSeverity: Severity.MEDIUM, configFile: '/repo/.iamvet.yaml',
      rules: ['IAM011', 'IAM013'], skipRules: ['IAM013'], sarifOutput: sarif, extraArgs: ['--stacks', 'App*'],
    });
    v.validate({ templatePaths: [template, template.replace('AppStack', 'Other')] });
    assert.deepEqual(JSON.parse(fs.readFileSync(argvFile, 'utf8')), [
      '--format', 'json', '--no-color', '--annotations', 'never', '--summary', 'never',
      '--fail-on', 'high', '--min-severity', 'medium', '--rules', 'IAM011,IAM013', '--skip-rules', 'IAM013',
      '--config', '/repo/.iamvet.yaml', '--sarif', sarif, '--stacks', 'App*',
      '--', template, template.replace('AppStack', 'Other'),
    ]);
    assert.ok(fs.existsSync(sarif), 'the SARIF file outside the assembly is written');
  });

  test('defaults: --fail-on low, no optional flags', () => {
    const { template } = assembly();
    const argvFile = path.join(tmp, 'argv.json');
    process.env.FAKE_IAMVET_ARGV = argvFile;
    validator().validate({ templatePaths: [template] });
    assert.deepEqual(JSON.parse(fs.readFileSync(argvFile, 'utf8')),
      ['--format', 'json', '--no-color', '--annotations', 'never', '--summary', 'never', '--fail-on', 'low', '--', template]);
  });

  test('exit 1 with blocking findings → success false, every finding listed', () => {
    const { template } = assembly();
    const r = validator({ failOn: Severity.HIGH }).validate({ templatePaths: [template] });
    assert.equal(r.success, false);
    assert.equal(r.violations.length, 7);
    assert.equal(r.pluginVersion, PKG.version);
    assert.equal(r.metadata.iamvetVersion, '9.9.9');
    assert.equal(r.metadata.failOn, 'high');
    assert.equal(r.metadata.blocking, '4');
    assert.equal(r.metadata.findings, '8');
    assert.deepEqual(r.violations.map(v => `${v.ruleName}:${v.severity}`),
      ['IAM011:error', 'IAM011:error', 'IAM013:error', 'IAM013:warning', 'IAM037:warning', 'IAM015:warning', 'IAM014:info']);
    for (const v of r.violations) {
      for (const res of v.violatingResources) {
        assert.equal(res.templatePath, template, 'template paths are handed back as CDK gave them');
      }
    }
  });

  test('failOn CRITICAL with only lower findings blocking nothing → success true, findings still listed', () => {
    const { template } = assembly();
    const fx = fixture('findings.json');
    fx.findings = fx.findings.filter(f => f.severity !== 'critical');
    const file = path.join(tmp, 'nocritical.json');
    fs.writeFileSync(file, JSON.stringify(fx));
    process.env.FAKE_IAMVET_FIXTURE = file;
    const r = validator({ failOn: Severity.CRITICAL }).validate({ templatePaths: [template] });
    assert.equal(r.success, true);
    assert.ok(r.violations.length > 0);
    assert.equal(r.metadata.blocking, '0');
    // High findings below failOn are warnings, so that CDK never counts them as failures.
    assert.deepEqual([...new Set(r.violations.map(v => `${v.ruleMetadata.iamvetSeverity}:${v.severity}`))].sort(),
      ['high:warning', 'low:info', 'medium:warning']);
  });

  test('failOn LOW: every finding blocks, so every violation is an error', () => {
    const { template } = assembly();
    const r = validator({ failOn: Severity.LOW }).validate({ templatePaths: [template] });
    assert.equal(r.success, false);
    assert.deepEqual([...new Set(r.violations.map(v => v.severity))], ['error']);
  });

  test('failOn NONE never fails', () => {
    const { template } = assembly();
    const r = validator({ failOn: Severity.NONE }).validate({ templatePaths: [template] });
    assert.equal(r.success, true);
    assert.equal(r.violations.length, 7);
  });

  test('exit 0, no findings → success, no violations', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_FIXTURE = path.join(FIXTURES, 'clean.json');
    const r = validator({ failOn: Severity.LOW }).validate({ templatePaths: [template] });
    assert.deepEqual([r.success, r.violations], [true, []]);
  });

  test('exit 2 → throws with iamvet\'s stderr', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_FIXTURE = path.join(FIXTURES, 'load-error.json');
    process.env.FAKE_IAMVET_EXIT = '2';
    process.env.FAKE_IAMVET_STDERR = 'iamvet: error: AppStack.template.json:3:1: invalid character\n';
    assert.throws(() => validator().validate({ templatePaths: [template] }),
      /^Error: iamvet exited 2: iamvet: error: AppStack\.template\.json:3:1: invalid character$/);
  });

  test('exit 2 without stderr → throws with the JSON load errors', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_FIXTURE = path.join(FIXTURES, 'load-error.json');
    process.env.FAKE_IAMVET_EXIT = '2';
    assert.throws(() => validator().validate({ templatePaths: [template] }),
      (e) => e.message.startsWith('iamvet exited 2: ') && e.message.includes(`${template}:3: invalid character`));
  });

  test('exit 3 → throws', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_EXIT = '3';
    process.env.FAKE_IAMVET_STDERR = 'iamvet: internal error: boom';
    assert.throws(() => validator().validate({ templatePaths: [template] }), /iamvet exited 3: iamvet: internal error: boom/);
  });

  test('invalid JSON or an unknown schemaVersion → throws', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_STDOUT = 'not json';
    assert.throws(() => validator().validate({ templatePaths: [template] }), /iamvet printed invalid JSON/);
    process.env.FAKE_IAMVET_STDOUT = '{"schemaVersion":2,"findings":[],"summary":{"blocking":0}}';
    assert.throws(() => validator().validate({ templatePaths: [template] }), /schemaVersion 2: this plugin .* reads schemaVersion 1/);
  });

  test('missing binary (ENOENT) → throws naming the path', () => {
    const { template } = assembly();
    const missing = path.join(tmp, 'no', 'iamvet');
    assert.throws(() => new IamvetValidator({ binaryPath: missing }).validate({ templatePaths: [template] }),
      (e) => e.message.includes(`iamvet binary not found at ${missing} (from binaryPath)`));
  });

  test('timeout → throws', () => {
    const { template } = assembly();
    process.env.FAKE_IAMVET_SLEEP_MS = '5000';
    assert.throws(() => validator({ timeoutMs: 300 }).validate({ templatePaths: [template] }), /iamvet timed out after 300 ms/);
  });

  test('no templates → success without running iamvet', () => {
    const r = new IamvetValidator({ binaryPath: path.join(tmp, 'missing') }).validate({ templatePaths: [] });
    assert.equal(r.success, true);
  });

  test('tracesAvailable and the --debug hint', () => {
    const { template } = assembly();
    let r = validator().validate({ templatePaths: [template] });
    // The fixture has a finding with frames.
    assert.equal(r.metadata.tracesAvailable, 'true');
    const fx = fixture('findings.json');
    fx.findings = fx.findings.map(f => ({ ...f, frames: [], location: { ...f.location, source: 'generated' } }));
    const file = path.join(tmp, 'notrace.json');
    fs.writeFileSync(file, JSON.stringify(fx));
    process.env.FAKE_IAMVET_FIXTURE = file;
    r = validator().validate({ templatePaths: [template] });
    assert.equal(r.metadata.tracesAvailable, 'false');
    assert.match(r.metadata.hint, /cdk synth --debug/);
    process.env.CDK_DEBUG = 'true';
    r = validator().validate({ templatePaths: [template] });
    assert.equal(r.metadata.tracesAvailable, 'true');
    assert.equal(r.metadata.hint, undefined);
    delete process.env.CDK_DEBUG;
    fs.writeFileSync(path.join(path.dirname(template), 'AppStack.metadata.json'),
      '{"/AppStack/Role/Resource":[{"type":"aws:cdk:creationStack","data":["new AppStack (lib/a.js:1:1)"]}]}');
    r = validator().validate({ templatePaths: [template] });
    assert.equal(r.metadata.tracesAvailable, 'true');
  });

  test('template paths reported through a symlink are mapped back to the spelling CDK used', () => {
    const { dir } = assembly();
    const link = path.join(tmp, 'link.out');
    fs.symlinkSync(dir, link);
    const viaLink = path.join(link, 'AppStack.template.json');
    const r = validator({ failOn: Severity.NONE }).validate({ templatePaths: [viaLink] });
    const iam014 = r.violations.find(v => v.ruleName === 'IAM014'); // fixture reports the realpath
    assert.equal(iam014.violatingResources[0].templatePath, viaLink);
  });
});

describe('never writes into the assembly', () => {
  test('sarifOutput inside the assembly → validate throws before running iamvet', () => {
    const { dir, template } = assembly();
    const argvFile = path.join(tmp, 'argv.json');
    process.env.FAKE_IAMVET_ARGV = argvFile;
    const v = validator({ sarifOutput: path.join(dir, 'iamvet.sarif') });
    assert.throws(() => v.validate({ templatePaths: [template] }), /inside the cloud assembly .*must not write into the assembly/);
    assert.ok(!fs.existsSync(argvFile), 'iamvet must not have run');
    assert.ok(!fs.existsSync(path.join(dir, 'iamvet.sarif')));
  });

  test('sarifOutput in the root outdir of a nested assembly → throws', () => {
    const root = path.join(tmp, 'cdk.out');
    assembly(root);
    const { template } = assembly(path.join(root, 'assembly-Prod'));
    assert.deepEqual(assemblyDirs([template]), [root]);
    const v = validator({ sarifOutput: path.join(root, 'reports', 'iamvet.sarif') });
    assert.throws(() => v.validate({ templatePaths: [template] }), /inside the cloud assembly/);
  });

  test('file-writing extraArgs (--json, --sarif=) inside the assembly → throws', () => {
    const { dir, template } = assembly();
    assert.throws(() => validator({ extraArgs: ['--json', path.join(dir, 'x.json')] }).validate({ templatePaths: [template] }),
      /inside the cloud assembly/);
    assert.throws(() => validator({ extraArgs: [`--sarif=${path.join(dir, 'x.sarif')}`] }).validate({ templatePaths: [template] }),
      /inside the cloud assembly/);
  });

  test('sarifOutput inside CDK_OUTDIR → the constructor throws', () => {
    process.env.CDK_OUTDIR = path.join(tmp, 'cdk.out');
    assert.throws(() => new IamvetValidator({ sarifOutput: path.join(tmp, 'cdk.out', 'iamvet.sarif') }), /inside the cloud assembly/);
    assert.doesNotThrow(() => new IamvetValidator({ sarifOutput: path.join(tmp, 'iamvet.sarif') }));
  });

  test('the assembly is unchanged by validate', () => {
    const { dir, template } = assembly();
    const before = fs.readdirSync(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
    validator({ sarifOutput: path.join(tmp, 'iamvet.sarif') }).validate({ templatePaths: [template] });
    assert.deepEqual(fs.readdirSync(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]), before);
  });
});

describe('props', () => {
  test('reserved extraArgs are refused', () => {
    for (const a of ['--format', '-f', '--output=x', '-o', '--']) {
      assert.throws(() => new IamvetValidator({ extraArgs: [a, 'x'] }), /extraArgs must not/, a);
    }
  });

  test('bad severities and timeouts are refused', () => {
    assert.throws(() => new IamvetValidator({ failOn: 'severe' }), /failOn "severe"/);
    assert.throws(() => new IamvetValidator({ minSeverity: Severity.NONE }), /minSeverity/);
    assert.throws(() => new IamvetValidator({ timeoutMs: 0 }), /timeoutMs/);
  });

  test('IAMVET_SKIP=1 (and the legacy IAMET_SKIP) disable the plugin; enabled: true wins', () => {
    const { template } = assembly();
    const missing = path.join(tmp, 'missing-iamvet');
    process.env.IAMVET_SKIP = '1';
    let r = new IamvetValidator({ binaryPath: missing }).validate({ templatePaths: [template] });
    assert.deepEqual([r.success, r.violations, r.metadata.skipped], [true, [], 'true']);
    delete process.env.IAMVET_SKIP;
    process.env.IAMET_SKIP = '1';
    r = new IamvetValidator({ binaryPath: missing }).validate({ templatePaths: [template] });
    assert.equal(r.metadata.skipped, 'true');
    r = validator({ enabled: true }).validate({ templatePaths: [template] });
    assert.equal(r.metadata.skipped, undefined);
    assert.equal(r.success, false);
    delete process.env.IAMET_SKIP;
    r = new IamvetValidator({ binaryPath: missing, enabled: false }).validate({ templatePaths: [template] });
    assert.equal(r.metadata.skipped, 'true');
  });

  test('name, version from package.json, ruleIds from the generated rules list', () => {
    const v = new IamvetValidator();
    assert.equal(v.name, 'iamvet');
    assert.equal(v.version, PKG.version);
    assert.ok(v.ruleIds.length >= 40, `${v.ruleIds.length} rule ids`);
    assert.ok(v.ruleIds.includes('IAM011'));
    const optIn = lib.RULES.filter(r => !r.enabled).map(r => r.id);
    assert.ok(optIn.length > 0 && optIn.every(id => !v.ruleIds.includes(id)), 'opt-in rules are not listed by default');
    assert.deepEqual(new IamvetValidator({ rules: ['IAM011', 'iam013'], skipRules: ['IAM013'] }).ruleIds, ['IAM011']);
    assert.deepEqual(new IamvetValidator({ skipRules: ['IAM011'] }).ruleIds.includes('IAM011'), false);
  });
});

describe('binary resolution order', () => {
  const exe = process.platform === 'win32' ? 'iamvet.exe' : 'iamvet';
  function touch(p) {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '#!/bin/sh\n');
    fs.chmodSync(p, 0o755);
    return p;
  }
  function layers() {
    const pkgRoot = path.join(tmp, 'pkg');
    const optDep = path.join(tmp, 'node_modules', '@iamvet', `cli-${process.platform}-${process.arch}`);
    touch(path.join(optDep, 'package.json'));
    const optBin = touch(path.join(optDep, 'bin', exe));
    const bundled = touch(path.join(pkgRoot, 'bin', process.platform, process.arch, exe));
    const onPath = touch(path.join(tmp, 'pathdir', exe));
    const requireResolve = (id) => {
      if (id === `@iamvet/cli-${process.platform}-${process.arch}/package.json` && fs.existsSync(optBin)) {
        return path.join(optDep, 'package.json');
      }
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const env = { PATH: path.join(tmp, 'pathdir'), IAMVET_BINARY: '/env/iamvet', IAMET_BINARY: '/legacy/iamvet' };
    return { pkgRoot, optBin, bundled, onPath, requireResolve, env };
  }

  test('binaryPath → IAMVET_BINARY → IAMET_BINARY → optional dependency → bundled → PATH → error', () => {
    const l = layers();
    const opts = { packageRoot: l.pkgRoot, requireResolve: l.requireResolve, env: l.env };
    assert.deepEqual(resolveBinary({ ...opts, binaryPath: '/prop/iamvet' }), { path: path.resolve('/prop/iamvet'), source: 'binaryPath' });
    assert.deepEqual(resolveBinary(opts), { path: path.resolve('/env/iamvet'), source: 'env' });
    delete l.env.IAMVET_BINARY;
    assert.deepEqual(resolveBinary(opts), { path: path.resolve('/legacy/iamvet'), source: 'env' });
    delete l.env.IAMET_BINARY;
    assert.deepEqual(resolveBinary(opts), { path: l.optBin, source: 'optionalDependency' });
    fs.rmSync(l.optBin);
    assert.deepEqual(resolveBinary(opts), { path: l.bundled, source: 'bundled' });
    fs.rmSync(l.bundled);
    assert.deepEqual(resolveBinary(opts), { path: l.onPath, source: 'path' });
    fs.rmSync(l.onPath);
    assert.throws(() => resolveBinary(opts), /iamvet binary not found: set IAMVET_BINARY .* install @iamvet\/cli-/);
  });

  test('a non-executable file on PATH is skipped', { skip: process.platform === 'win32' }, () => {
    const l = layers();
    fs.rmSync(l.optBin);
    fs.rmSync(l.bundled);
    fs.chmodSync(l.onPath, 0o644);
    assert.throws(() => resolveBinary({ packageRoot: l.pkgRoot, requireResolve: l.requireResolve, env: { PATH: path.dirname(l.onPath) } }),
      /iamvet binary not found/);
  });

  test('the plugin honours IAMVET_BINARY', () => {
    const { template } = assembly();
    process.env.IAMVET_BINARY = FAKE;
    const r = new IamvetValidator({ failOn: Severity.HIGH }).validate({ templatePaths: [template] });
    assert.equal(r.success, false);
    assert.equal(r.metadata.iamvetVersion, '9.9.9');
  });
});
