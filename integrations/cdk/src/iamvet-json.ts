// The JSON iamvet prints with `--format json` (INTEGRATION.md S-4,
// report/json.go), schemaVersion 1. Only the fields the plugin reads.

export interface IamvetLocation {
  readonly source?: string; // source | template | app | generated
  readonly uri: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly message?: string;
}

export interface IamvetStack {
  readonly assembly: string;
  readonly artifactId: string;
  readonly displayName: string;
  readonly templatePath: string;
  readonly relPath?: string;
  readonly parent?: string;
}

export interface IamvetFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: string; // critical | high | medium | low
  readonly securitySeverity: string;
  readonly level: string;
  readonly title: string;
  readonly message: string;
  readonly fix: string;
  readonly helpUri: string;
  readonly fingerprint: string;
  readonly stack: IamvetStack;
  readonly resource: { readonly logicalId: string; readonly type: string; readonly constructPath: string };
  readonly jsonPointer: string;
  readonly cdkInternal?: boolean;
  readonly internalNote?: string;
  readonly location?: IamvetLocation;
  readonly templateLocation?: IamvetLocation;
  readonly frames?: IamvetLocation[];
  readonly suppression?: { readonly kind: string; readonly id: string; readonly reason: string };
}

export interface IamvetReport {
  readonly schemaVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly summary: {
    readonly findings: number;
    readonly blocking: number;
    readonly bySeverity?: { readonly [severity: string]: number };
    readonly failOn: string;
    readonly suppressed?: number;
    readonly cdkInternal?: number;
  };
  readonly findings: IamvetFinding[];
  readonly stacks?: IamvetStack[];
  readonly errors?: Array<{ readonly file: string; readonly line: number; readonly column: number; readonly message: string }>;
}

/** The JSON schema version this plugin understands. */
export const SCHEMA_VERSION = 1;
