/**
 * The exit codes of `orders`, one per way a command can end (README, "The orders CLI").
 * Scripts branch on them: `orders create … --wait || case $? in 3) …`.
 */
export const EXIT = {
  /** Done; with --wait, the order ended SUCCESS. */
  ok: 0,
  /** The stack refused or failed: an API error, a wrong password, an unreachable endpoint, … */
  error: 1,
  /** The command line is wrong: an unknown command or option, a missing or malformed value. */
  usage: 2,
  /** With --wait: the order ended FAILURE. */
  orderFailed: 3,
  /** With --wait: no final status before --timeout. */
  timeout: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the user can act on, said plainly; `exitCode` says which kind. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    /** A stable name for --json output. */
    readonly code = 'error',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A wrong command line that commander cannot see (a value it cannot check, two options that exclude each other). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage, 'usage');
    this.name = 'UsageError';
  }
}

/** An answer of the API that is not 2xx, with the body's message and field errors when it has them. */
export class HttpError extends CliError {
  readonly details: { message?: string; errors?: Array<{ field?: string; problem?: string }> } | undefined;

  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    let details: HttpError['details'];
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === 'object') details = parsed as HttpError['details'];
    } catch {
      details = undefined;
    }
    super(`the API answered ${status}${details?.message ? `: ${details.message}` : body ? `: ${body}` : ''}`, EXIT.error, 'http');
    this.details = details;
    this.name = 'HttpError';
  }
}
