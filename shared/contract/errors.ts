/** Every failure that crosses a process boundary carries one of these codes, never a raw exception. */
export const ERROR_CODES = [
  'invalid_argument',
  'not_found',
  'conflict',
  'limit_exceeded',
  'unknown_method',
  'unauthorized',
  'unavailable',
  'internal',
  // The store under faults (issue 10): the data file is damaged (the core serves only recovery.*),
  // the disk is full, or the data folder cannot be written.
  'store_damaged',
  'storage_full',
  'storage_read_only',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ContractError = {
  code: ErrorCode;
  /** For logs and developers; the interface shows its own sentence for the code. */
  message: string;
  /** Machine-readable specifics, e.g. the zod issues of an invalid argument. */
  details?: unknown;
};

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** A failure the core expects and reports with a code (thrown inside the core, returned as a Result). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: unknown): Result<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}
