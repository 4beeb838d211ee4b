// iamvet JSON → CDK policy-validation report (INTEGRATION.md S-6, "Mapping").

import * as fs from 'fs';
import type { PolicyViolationBeta1 } from 'aws-cdk-lib';
import type { IamvetFinding } from './iamvet-json';

const RANK: { readonly [severity: string]: number } = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * The CDK report severity of an iamvet severity: critical/high → `error`,
 * medium → `warning`, low → `info`. Never `fatal`: CDK does not let users
 * acknowledge fatal violations, and every iamvet finding must stay
 * acknowledgeable (`Validations.of(scope).acknowledge({ id: 'iamvet::IAM011', … })`).
 *
 * Given `failOn`, `error` is kept for exactly the findings that fail the run
 * (at or above `failOn`): findings that block are `error` whatever their
 * severity, and critical/high findings below `failOn` are `warning`. CDK
 * recomputes a report's success as "no error or fatal violation left" once
 * a violation is acknowledged, so this keeps synthesis failing exactly when
 * iamvet would, acknowledgements or not. With `failOn: high` (the
 * recommended setting) both rules give the same answer.
 */
export function cdkSeverity(iamvetSeverity: string, failOn?: string): 'error' | 'warning' | 'info' {
  const sev = RANK[iamvetSeverity.toLowerCase()] ?? RANK.low;
  if (failOn !== undefined) {
    const threshold = RANK[failOn.toLowerCase()] ?? RANK.low;
    if (threshold > 0 && sev >= threshold) {
      return 'error';
    }
    return sev >= RANK.medium ? 'warning' : 'info';
  }
  return sev >= RANK.high ? 'error' : sev === RANK.medium ? 'warning' : 'info';
}

/** Undoes JSON pointer escaping (RFC 6901) of one segment. */
function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Splits `/Resources/<id>/Properties/…` into the logical id and the location
 * relative to the resource (`Properties/…`), the form CDK's report shows
 * (`Properties/VpcConfig`). The rest of the pointer keeps its escaping
 * (`~1` for `/` inside a key) so that it stays unambiguous. A pointer
 * outside `/Resources` is returned without its leading slash.
 */
export function splitPointer(pointer: string): { logicalId?: string; location?: string } {
  const m = /^\/Resources\/([^/]*)(?:\/(.*))?$/.exec(pointer);
  if (m) {
    return { logicalId: unescapeSegment(m[1]), location: m[2] || undefined };
  }
  const rest = pointer.replace(/^\//, '');
  return { location: rest || undefined };
}

const MAX_MESSAGES = 20;

/** Options of {@link mapFindings}. */
export interface MapOptions {
  /** The template paths CDK passed in, to hand back the same spelling. */
  readonly templatePaths?: readonly string[];
  /** The run's `--fail-on` (iamvet's `summary.failOn`); see {@link cdkSeverity}. */
  readonly failOn?: string;
}

function realpathOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Maps iamvet findings to CDK violations: one violation per rule, severity
 * and resource, in iamvet's order (most severe first). The findings of a
 * rule on one resource (several statements or values of the same policy)
 * become one violation whose locations list every offending value, and
 * whose description is the rule title followed by iamvet's messages.
 *
 * Why per resource rather than one violation per rule (as
 * cdk-validator-cfnguard does): iamvet's messages name the resource and the
 * offending value, and current CDK releases print the description once per
 * violating construct, so a per-rule description would repeat every other
 * resource's messages under each construct.
 *
 * Suppressed findings (only present with `--include-suppressed`) are skipped.
 */
export function mapFindings(findings: readonly IamvetFinding[], opts: MapOptions = {}): PolicyViolationBeta1[] {
  const given = new Map<string, string>();
  for (const p of opts.templatePaths ?? []) {
    given.set(p, p);
    given.set(realpathOrSelf(p), p);
  }
  const templateOf = (p: string): string => given.get(p) ?? given.get(realpathOrSelf(p)) ?? p;

  interface Group {
    readonly findings: IamvetFinding[];
    readonly logicalId: string;
    readonly templatePath: string;
    readonly locations: string[];
  }
  const groups = new Map<string, Group>();
  for (const f of findings) {
    if (f.suppression) {
      continue;
    }
    const split = splitPointer(f.jsonPointer ?? '');
    const logicalId = f.resource?.logicalId || split.logicalId || 'N/A';
    const templatePath = templateOf(f.stack?.templatePath ?? '');
    const key = JSON.stringify([f.ruleId, f.title, f.severity, templatePath, logicalId]);
    let g = groups.get(key);
    if (!g) {
      g = { findings: [], logicalId, templatePath, locations: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
    if (split.location && !g.locations.includes(split.location)) {
      g.locations.push(split.location);
    }
  }

  const out: PolicyViolationBeta1[] = [];
  for (const g of groups.values()) {
    const f = g.findings[0];
    out.push({
      ruleName: f.ruleId,
      description: describe(f.title, g.findings),
      fix: fixOf(f),
      severity: cdkSeverity(f.severity, opts.failOn),
      ruleMetadata: metadataOf(g.findings),
      violatingResources: [{ resourceLogicalId: g.logicalId, templatePath: g.templatePath, locations: g.locations }],
    });
  }
  return out;
}

function messageOf(f: IamvetFinding): string {
  let m = f.message;
  if (f.cdkInternal) {
    m += f.internalNote ? ` (CDK-internal construct: ${f.internalNote})` : ' (CDK-internal construct)';
  }
  return m;
}

function describe(title: string, found: readonly IamvetFinding[]): string {
  const head = /[.!?]$/.test(title) ? title : `${title}.`;
  const messages = [...new Set(found.map(messageOf))];
  if (messages.length === 1) {
    return `${head} ${messages[0]}`;
  }
  const shown = messages.slice(0, MAX_MESSAGES).map(m => `- ${m}`);
  if (messages.length > MAX_MESSAGES) {
    shown.push(`- … and ${messages.length - MAX_MESSAGES} more`);
  }
  return `${head} ${messages.length} findings:\n${shown.join('\n')}`;
}

function fixOf(f: IamvetFinding): string | undefined {
  const fix = (f.fix ?? '').trim();
  const see = f.helpUri ? `See ${f.helpUri}` : '';
  if (!fix) {
    return see || undefined;
  }
  if (!see) {
    return fix;
  }
  return `${/[.!?]$/.test(fix) ? fix : `${fix}.`} ${see}`;
}

function metadataOf(found: readonly IamvetFinding[]): { [key: string]: string } {
  const f = found[0];
  const md: { [key: string]: string } = {
    iamvetSeverity: f.severity,
    securitySeverity: f.securitySeverity,
    helpUri: f.helpUri,
    fingerprints: [...new Set(found.map(x => x.fingerprint).filter(Boolean))].join(','),
  };
  if (f.ruleName) {
    md.iamvetRuleName = f.ruleName;
  }
  const sources = [...new Set(found
    .filter(x => x.location && x.location.source === 'source' && x.location.uri)
    .map(x => `${x.location!.uri}:${x.location!.startLine}:${x.location!.startColumn}`))];
  if (sources.length > 0) {
    md.sourceLocations = sources.join(',');
  }
  if (found.some(x => x.cdkInternal)) {
    md.cdkInternal = 'true';
  }
  for (const k of Object.keys(md)) {
    if (md[k] === undefined || md[k] === null || md[k] === '') {
      delete md[k];
    } else {
      md[k] = String(md[k]);
    }
  }
  return md;
}
