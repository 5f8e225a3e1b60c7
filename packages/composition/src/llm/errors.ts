/**
 * The error an LLM section source throws after its last try.
 */

/** Why an LLM section could not be had. */
export type LlmErrorCode =
  /** No reply within `timeoutMs`. */
  | 'timeout'
  /** The server answered with an HTTP error other than 401/403/429. */
  | 'http'
  /** The server refused the key (401 or 403). Never retried. */
  | 'auth'
  /** The server is rate-limiting (429). */
  | 'rate-limit'
  /** The reply was not usable: not JSON, no content, not tracker text, wrong step counts, notes out of range. */
  | 'parse'
  /** The server could not be reached (connection refused, DNS, reset). */
  | 'network'
  /** The caller's `AbortSignal` aborted. Never retried. */
  | 'aborted'

/**
 * Thrown by an LLM section source when no usable section came back. Its message says what went wrong on the
 * last try; it never contains the API key.
 */
export class LlmError extends Error {
  /** What went wrong (on the last try). */
  readonly code: LlmErrorCode
  /** HTTP status of the last reply, when there was one. */
  readonly status: number | undefined
  /** Requests made before giving up. */
  readonly attempts: number

  constructor(code: LlmErrorCode, message: string, details: { status?: number; attempts?: number } = {}) {
    super(message)
    this.name = 'LlmError'
    this.code = code
    this.status = details.status
    this.attempts = details.attempts ?? 1
  }
}
