/**
 * grif's errors: one base class carrying what a shell (CLI, worker, HTTP) needs to act on it,
 * with a message a clerk can act on.
 */

export const ExitCode = {
  ok: 0,
  /** Some file could not be read; the rest were processed. */
  input: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface GrifErrorOptions {
  readonly code: string;
  readonly exitCode?: ExitCode;
  /** Whether trying again later may succeed (a queue worker retries only these). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class GrifError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly retryable: boolean;

  constructor(message: string, opts: GrifErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.exitCode = opts.exitCode ?? ExitCode.input;
    this.retryable = opts.retryable ?? false;
  }
}

/** The command line asks for something impossible. */
export class UsageError extends GrifError {
  constructor(message: string) {
    super(message, { code: 'usage', exitCode: ExitCode.usage });
  }
}

export type InputProblem =
  | 'not-found'
  | 'not-a-file'
  | 'permission'
  | 'unsupported-type'
  | 'wrong-content'
  | 'not-utf8'
  | 'damaged'
  | 'encrypted'
  | 'too-many-pages'
  | 'too-many-pixels'
  | 'too-large'
  | 'too-much-memory'
  | 'unreadable';

/** One carrier could not be read. The batch goes on without it. */
export class InputError extends GrifError {
  readonly problem: InputProblem;
  readonly file: string;

  constructor(file: string, problem: InputProblem, message: string, cause?: unknown) {
    super(message, { code: `input/${problem}`, exitCode: ExitCode.input, cause });
    this.problem = problem;
    this.file = file;
  }
}
