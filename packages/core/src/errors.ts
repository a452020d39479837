/**
 * The project's error classes. A `UserError` is something the user can fix (bad config, bad data, a
 * missing package): the CLI prints its message without a stack trace and exits with code 2. Anything
 * else is an `InternalError` (or a plain Error): a bug in mtl2r or a plugin, printed with its stack.
 */
export class Mtl2rError extends Error {
  override name = 'Mtl2rError';
}

export class UserError extends Mtl2rError {
  override name = 'UserError';
  /** The process exit code: 2 for mistakes; 130 for an interrupt the user asked for. */
  readonly exitCode: number;
  /** Optional hint printed under the message ("install X", "did you mean Y"). */
  readonly hint: string | undefined;

  constructor(message: string, options?: { hint?: string; cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options?.hint;
    this.exitCode = options?.exitCode ?? 2;
  }
}

/** A configuration or option value is wrong; `path` names where (e.g. `strategy.options.preference[2]`). */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(what: string, issues: readonly ConfigIssue[], options?: { hint?: string }) {
    super(formatConfigIssues(what, issues), options);
    this.issues = issues;
  }
}

export interface ConfigIssue {
  /** Dotted path with [index] for arrays; empty for the whole value. */
  path: string;
  message: string;
}

function formatConfigIssues(what: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
  return `${what}:\n${lines.join('\n')}`;
}

/** Bad input data: carries the file, 1-based line and column, and what was expected there. */
export class DataError extends UserError {
  override name = 'DataError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(file: string, line: number | undefined, column: number | undefined, message: string) {
    const where =
      line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
    super(`${where}: ${message}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** A strategy plugin cannot be loaded or registered (wrong shape, version mismatch, id conflict). */
export class PluginError extends UserError {
  override name = 'PluginError';
}

/** A bug: an invariant that mtl2r or a plugin should have kept was broken. */
export class InternalError extends Mtl2rError {
  override name = 'InternalError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
