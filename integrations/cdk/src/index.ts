// @iamvet/cdk-validator: runs iamvet inside `cdk synth` as a CDK policy
// validation plugin (INTEGRATION.md S-6).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
} from 'aws-cdk-lib';
import { resolveBinary, skipRequested, ResolvedBinary } from './binary';
import { IamvetReport, SCHEMA_VERSION } from './iamvet-json';
import { mapFindings } from './mapping';
import { RULES } from './rules.generated';

export { cdkSeverity, mapFindings, splitPointer } from './mapping';
export { resolveBinary, platformPackageName, skipRequested, BINARY_ENV, SKIP_ENV } from './binary';
export type { ResolvedBinary, ResolveOptions, BinarySource } from './binary';
export type { IamvetReport, IamvetFinding } from './iamvet-json';
export { RULES } from './rules.generated';

/** iamvet severities, lowest to highest. */
export enum Severity {
  /** Only for `failOn`: never fail synthesis. */
  NONE = 'none',
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  CRITICAL = 'critical',
}

const SEVERITIES: readonly string[] = Object.values(Severity);

/** Properties of {@link IamvetValidator}. */
export interface IamvetValidatorProps {
  /**
   * Path of the iamvet binary.
   *
   * @default - env `IAMVET_BINARY`, then the `@iamvet/cli-<platform>-<arch>`
   * optional dependency, then `bin/<platform>/<arch>/iamvet` in this package,
   * then `iamvet` on PATH
   */
  readonly binaryPath?: string;
  /**
   * Synthesis fails when a finding is at or above this severity
   * (`iamvet --fail-on`). Findings below it are still listed in the report,
   * as warnings or info.
   *
   * @default Severity.LOW
   */
  readonly failOn?: Severity;
  /**
   * Findings below this severity are dropped (`iamvet --min-severity`).
   *
   * @default Severity.LOW
   */
  readonly minSeverity?: Severity;
  /**
   * iamvet configuration file (`--config`).
   *
   * @default - `.iamvet.yaml` at the repository root, if present
   */
  readonly configFile?: string;
  /**
   * Run only these rule ids (`--rules`).
   *
   * @default - all rules enabled by default
   */
  readonly rules?: string[];
  /**
   * Skip these rule ids (`--skip-rules`).
   *
   * @default - none
   */
  readonly skipRules?: string[];
  /**
   * Also write SARIF to this file (`--sarif`). It must be outside the cloud
   * assembly directory: plugins may not modify the assembly.
   *
   * @default - no SARIF
   */
  readonly sarifOutput?: string;
  /**
   * Time limit for one iamvet run, in milliseconds.
   *
   * @default 120000
   */
  readonly timeoutMs?: number;
  /**
   * More iamvet flags, placed before the template paths
   * (for example `['--stacks', 'Prod/*']`). `--format` and `--output` are
   * reserved for the plugin.
   *
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Run iamvet. Synthesis also runs on `cdk diff` and `cdk deploy`; set
   * `IAMVET_SKIP=1` to skip the check without changing code.
   *
   * @default - true, unless env `IAMVET_SKIP` is `1`
   */
  readonly enabled?: boolean;
}

/** The version of this package. */
export const VERSION: string = readPackageVersion();

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_BUFFER = 64 * 1024 * 1024;
const MAX_ERROR_TEXT = 4000;

// Flags whose value is a file iamvet writes: never inside the assembly.
const WRITING_FLAGS = ['sarif', 'json', 'write-baseline', 'output', 'o'];
// Flags the plugin owns: they would break the JSON on stdout.
const RESERVED_FLAGS = ['format', 'f', 'output', 'o'];

function flagName(arg: string): string | undefined {
  const m = /^--?([A-Za-z][\w-]*)(=.*)?$/.exec(arg);
  return m ? m[1] : undefined;
}

/** The files `args` tells iamvet to write (`--sarif F`, `--json=F`, …). */
function writtenFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      break;
    }
    const name = flagName(a);
    if (!name || !WRITING_FLAGS.includes(name)) {
      continue;
    }
    const eq = a.indexOf('=');
    if (eq >= 0) {
      out.push(a.slice(eq + 1));
    } else if (i + 1 < args.length) {
      out.push(args[++i]);
    }
  }
  return out;
}

function realpathOrResolve(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    // The file may not exist yet: resolve its closest existing ancestor.
    const parent = path.dirname(abs);
    if (parent === abs) {
      return abs;
    }
    return path.join(realpathOrResolve(parent), path.basename(abs));
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(realpathOrResolve(dir), realpathOrResolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The cloud assembly directories of the given templates: for each template,
 * the outermost directory of the chain of directories holding a
 * `manifest.json` (nested assemblies live in `cdk.out/assembly-<Stage>/`).
 */
export function assemblyDirs(templatePaths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const t of templatePaths) {
    let dir = path.dirname(path.resolve(t));
    let top = dir;
    for (;;) {
      const parent = path.dirname(dir);
      if (parent === dir || !fs.existsSync(path.join(parent, 'manifest.json'))) {
        break;
      }
      dir = parent;
      top = dir;
    }
    dirs.add(top);
  }
  return [...dirs];
}

function checkOutsideAssembly(files: readonly string[], dirs: readonly string[]): void {
  for (const f of files) {
    for (const d of dirs) {
      if (isInside(f, d)) {
        throw new Error(
          `iamvet: ${f} is inside the cloud assembly ${d}; validation plugins must not write into the assembly ` +
          '(CDK fails synthesis with "Illegal operation"): write SARIF/JSON outside the output directory',
        );
      }
    }
  }
}

function truncate(s: string, n: number = MAX_ERROR_TEXT): string {
  const t = s.trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  return ['1', 'on', 'true'].includes((env.CDK_DEBUG ?? '').trim().toLowerCase());
}

/**
 * Whether the assembly records construct creation traces (what maps a
 * finding to a source line): `aws:cdk:creationStack` metadata (recent
 * aws-cdk-lib, always) or `trace` arrays (older releases, with --debug).
 * Reads manifest.json and the *.metadata.json side files next to the
 * templates; never writes.
 */
export function assemblyHasTraces(templatePaths: readonly string[]): boolean {
  const dirs = new Set(templatePaths.map(t => path.dirname(path.resolve(t))));
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name !== 'manifest.json' && !name.endsWith('.metadata.json')) {
        continue;
      }
      try {
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        if (text.includes('"aws:cdk:creationStack"') || /"trace"\s*:\s*\[/.test(text)) {
          return true;
        }
      } catch {
        // unreadable: iamvet reports load errors itself
      }
    }
  }
  return false;
}

/**
 * A CDK policy-validation plugin that checks the synthesized templates with
 * iamvet. Register it with `new App({ policyValidationBeta1: [new IamvetValidator()] })`
 * or, on releases that have it, `Validations.of(app).addPlugins(new IamvetValidator())`.
 */
export class IamvetValidator implements IPolicyValidationPluginBeta1 {
  public readonly name = 'iamvet';
  public readonly version: string = VERSION;
  public readonly ruleIds: string[];

  private readonly binaryPath?: string;
  private readonly failOn: Severity;
  private readonly minSeverity?: Severity;
  private readonly configFile?: string;
  private readonly rules?: string[];
  private readonly skipRules?: string[];
  private readonly sarifOutput?: string;
  private readonly timeoutMs: number;
  private readonly extraArgs: string[];
  private readonly enabled: boolean;

  constructor(props: IamvetValidatorProps = {}) {
    this.failOn = props.failOn ?? Severity.LOW;
    if (!SEVERITIES.includes(this.failOn)) {
      throw new Error(`iamvet: failOn ${JSON.stringify(props.failOn)}: want one of ${SEVERITIES.join(', ')}`);
    }
    if (props.minSeverity !== undefined && (props.minSeverity === Severity.NONE || !SEVERITIES.includes(props.minSeverity))) {
      throw new Error(`iamvet: minSeverity ${JSON.stringify(props.minSeverity)}: want low, medium, high or critical`);
    }
    if (props.timeoutMs !== undefined && !(props.timeoutMs > 0)) {
      throw new Error(`iamvet: timeoutMs must be a positive number of milliseconds, got ${props.timeoutMs}`);
    }
    const extra = [...(props.extraArgs ?? [])];
    for (const a of extra) {
      if (a === '--') {
        throw new Error('iamvet: extraArgs must not contain "--": the plugin passes the template paths');
      }
      const name = flagName(a);
      if (name && RESERVED_FLAGS.includes(name)) {
        throw new Error(`iamvet: extraArgs must not set ${a}: the plugin reads iamvet's JSON on stdout`);
      }
    }
    this.binaryPath = props.binaryPath;
    this.minSeverity = props.minSeverity;
    this.configFile = props.configFile;
    this.rules = props.rules;
    this.skipRules = props.skipRules;
    this.sarifOutput = props.sarifOutput;
    this.timeoutMs = props.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.extraArgs = extra;
    this.enabled = props.enabled ?? !skipRequested();

    // The CDK CLI tells the app where the assembly goes: refuse early.
    const outdir = process.env.CDK_OUTDIR;
    if (outdir) {
      checkOutsideAssembly(this.writtenFiles(), [outdir]);
    }

    const known = RULES.map(r => r.id);
    let ids = props.rules && props.rules.length > 0
      ? props.rules.map(r => r.trim().toUpperCase()).filter(Boolean)
      : RULES.filter(r => r.enabled).map(r => r.id);
    const skip = new Set((props.skipRules ?? []).map(r => r.trim().toUpperCase()));
    ids = ids.filter(id => !skip.has(id) && (known.length === 0 || known.includes(id)));
    this.ruleIds = ids;
  }

  private writtenFiles(): string[] {
    return [...(this.sarifOutput ? [this.sarifOutput] : []), ...writtenFiles(this.extraArgs)];
  }

  /** The iamvet command line for these templates (without the binary). */
  public args(templatePaths: readonly string[]): string[] {
    return [
      '--format', 'json', '--no-color', '--annotations', 'never', '--summary', 'never',
      '--fail-on', this.failOn,
      ...(this.minSeverity ? ['--min-severity', this.minSeverity] : []),
      ...(this.rules && this.rules.length > 0 ? ['--rules', this.rules.join(',')] : []),
      ...(this.skipRules && this.skipRules.length > 0 ? ['--skip-rules', this.skipRules.join(',')] : []),
      ...(this.configFile ? ['--config', this.configFile] : []),
      ...(this.sarifOutput ? ['--sarif', this.sarifOutput] : []),
      ...this.extraArgs,
      '--', ...templatePaths,
    ];
  }

  /** The binary `validate` runs (see {@link resolveBinary} for the order). */
  public resolveBinary(): ResolvedBinary {
    return resolveBinary({ binaryPath: this.binaryPath });
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const templatePaths = [...context.templatePaths];
    if (!this.enabled) {
      return {
        success: true, violations: [], pluginVersion: this.version,
        metadata: { skipped: 'true', reason: 'disabled (enabled: false or IAMVET_SKIP=1)' },
      };
    }
    if (templatePaths.length === 0) {
      return { success: true, violations: [], pluginVersion: this.version, metadata: { failOn: this.failOn } };
    }
    checkOutsideAssembly(this.writtenFiles(), assemblyDirs(templatePaths));

    const bin = this.resolveBinary();
    const p = spawnSync(bin.path, this.args(templatePaths), {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: MAX_BUFFER,
      timeout: this.timeoutMs,
      env: process.env,
      windowsHide: true,
    });
    if (p.error) {
      const code = (p.error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new Error(`iamvet binary not found at ${bin.path} (from ${bin.source}); set IAMVET_BINARY or the binaryPath prop`);
      }
      if (code === 'EACCES') {
        throw new Error(`iamvet binary at ${bin.path} (from ${bin.source}) is not executable`);
      }
      if (code === 'ETIMEDOUT') {
        throw new Error(`iamvet timed out after ${this.timeoutMs} ms (raise the timeoutMs prop)`);
      }
      throw new Error(`iamvet could not run (${bin.path}): ${p.error.message}`);
    }
    if (p.status !== 0 && p.status !== 1) {
      const why = p.status === null ? `was killed by ${p.signal}` : `exited ${p.status}`;
      throw new Error(`iamvet ${why}: ${truncate(p.stderr || loadErrors(p.stdout) || '(no output)')}`);
    }
    let out: IamvetReport;
    try {
      out = JSON.parse(p.stdout) as IamvetReport;
    } catch (e) {
      throw new Error(`iamvet printed invalid JSON (${(e as Error).message}): ${truncate(p.stdout, 500)}`);
    }
    if (!out || out.schemaVersion !== SCHEMA_VERSION || !Array.isArray(out.findings) || !out.summary) {
      throw new Error(
        `iamvet JSON schemaVersion ${out?.schemaVersion}: this plugin (${this.version}) reads schemaVersion ${SCHEMA_VERSION}; ` +
        'install matching versions of iamvet and @iamvet/cdk-validator',
      );
    }

    const violations = mapFindings(out.findings, { templatePaths, failOn: String(out.summary.failOn ?? this.failOn) });
    const traces = debugEnabled(process.env) ||
      out.findings.some(f => (f.frames?.length ?? 0) > 0 || f.location?.source === 'source') ||
      assemblyHasTraces(templatePaths);
    const metadata: { [key: string]: string } = {
      iamvetVersion: String(out.tool?.version ?? ''),
      failOn: String(out.summary.failOn ?? this.failOn),
      findings: String(out.summary.findings),
      blocking: String(out.summary.blocking),
      tracesAvailable: traces ? 'true' : 'false',
    };
    if (!traces && violations.length > 0) {
      metadata.hint = 'run `cdk synth --debug` to map findings to source lines';
    }
    return {
      success: out.summary.blocking === 0,
      violations,
      pluginVersion: this.version,
      metadata,
    };
  }
}

/** The load errors of an exit-2 JSON report, one per line. */
function loadErrors(stdout: string): string {
  try {
    const j = JSON.parse(stdout) as IamvetReport;
    return (j.errors ?? []).map(e => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('\n');
  } catch {
    return '';
  }
}
