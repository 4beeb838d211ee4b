// Locating the iamvet binary (INTEGRATION.md S-6, "Binary resolution").

import * as fs from 'fs';
import * as path from 'path';

/** Environment variable naming the iamvet binary. */
export const BINARY_ENV = 'IAMVET_BINARY';
/** Environment variable that disables the plugin when set to `1` (or `true`). */
export const SKIP_ENV = 'IAMVET_SKIP';
/**
 * Misspelled names from an early draft of the spec, still accepted so that
 * nobody who copied them is surprised. The correct names win when both are set.
 */
export const LEGACY_BINARY_ENV = 'IAMET_BINARY';
export const LEGACY_SKIP_ENV = 'IAMET_SKIP';

/** Where a binary was found, for error messages and the report metadata. */
export type BinarySource = 'binaryPath' | 'env' | 'optionalDependency' | 'bundled' | 'path';

export interface ResolvedBinary {
  readonly path: string;
  readonly source: BinarySource;
}

/** Inputs of {@link resolveBinary}; everything defaults to the running process. */
export interface ResolveOptions {
  readonly binaryPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
  /** The package's root directory (holds package.json and bin/). */
  readonly packageRoot?: string;
  /** Resolves `<name>/package.json` of an optional dependency; throws when absent. */
  readonly requireResolve?: (id: string) => string;
}

/** The directory of this package (lib/.. once compiled). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** The per-platform optional dependency holding the binary, esbuild style. */
export function platformPackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `@iamvet/cli-${platform}-${arch}`;
}

function exeName(platform: string): string {
  return platform === 'win32' ? 'iamvet.exe' : 'iamvet';
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The value of env var `name`, falling back to its legacy spelling. */
export function envValue(env: NodeJS.ProcessEnv, name: string, legacy: string): string | undefined {
  const v = env[name];
  if (v !== undefined && v !== '') {
    return v;
  }
  const l = env[legacy];
  return l !== undefined && l !== '' ? l : undefined;
}

/** Whether `IAMVET_SKIP` (or `IAMET_SKIP`) asks to skip the plugin. */
export function skipRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = envValue(env, SKIP_ENV, LEGACY_SKIP_ENV);
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

/** Searches PATH (and PATHEXT on Windows) like a shell would. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: string): string | undefined {
  const pathVar = env.PATH ?? env.Path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32'
    ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)]
    : [''];
  for (const dir of pathVar.split(sep)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isFile(candidate)) {
        if (platform !== 'win32') {
          try {
            fs.accessSync(candidate, fs.constants.X_OK);
          } catch {
            continue;
          }
        }
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Finds iamvet; the first hit wins:
 * 1. `binaryPath` (the plugin prop),
 * 2. env `IAMVET_BINARY` (legacy `IAMET_BINARY`),
 * 3. the optional dependency `@iamvet/cli-<platform>-<arch>` (`bin/iamvet[.exe]` inside it),
 * 4. `bin/<platform>/<arch>/iamvet[.exe]` bundled in this package,
 * 5. `iamvet` on PATH.
 *
 * The explicit choices (1 and 2) are returned even when the file does not
 * exist, so that a typo fails loudly instead of silently running another
 * iamvet. Throws when nothing is found.
 */
export function resolveBinary(opts: ResolveOptions = {}): ResolvedBinary {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const root = opts.packageRoot ?? PACKAGE_ROOT;
  const exe = exeName(platform);

  if (opts.binaryPath) {
    return { path: path.resolve(opts.binaryPath), source: 'binaryPath' };
  }
  const fromEnv = envValue(env, BINARY_ENV, LEGACY_BINARY_ENV);
  if (fromEnv) {
    return { path: path.resolve(fromEnv), source: 'env' };
  }
  const pkg = platformPackageName(platform, arch);
  try {
    const resolve = opts.requireResolve ?? ((id: string) => require.resolve(id, { paths: [root] }));
    const candidate = path.join(path.dirname(resolve(`${pkg}/package.json`)), 'bin', exe);
    if (isFile(candidate)) {
      return { path: candidate, source: 'optionalDependency' };
    }
  } catch {
    // not installed (the usual case on platforms we do not publish for)
  }
  const bundled = path.join(root, 'bin', platform, arch, exe);
  if (isFile(bundled)) {
    return { path: bundled, source: 'bundled' };
  }
  const onPath = findOnPath('iamvet', env, platform);
  if (onPath) {
    return { path: onPath, source: 'path' };
  }
  throw new Error(
    `iamvet binary not found: set ${BINARY_ENV} (or the binaryPath prop) to its path, ` +
    `install ${pkg}, or put iamvet on PATH (https://github.com/iamvet/iamvet#install)`,
  );
}
