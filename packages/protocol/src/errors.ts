/** One rule a value broke, with the path to the offending field. */
export interface ProtocolIssue {
  /** Path from the message root to the field, e.g. `['data', 'events', 3, 'vel']`. */
  readonly path: readonly (string | number)[]
  /** The rule broken, in words (e.g. `Too big: expected number to be <=127`). */
  readonly message: string
}

/**
 * The only error the protocol's parsers throw: it names the path and the rule broken.
 * Its message is safe to return to a client (e.g. as an HTTP 400 body).
 */
export class ProtocolError extends Error {
  /** Every rule broken (at least one). */
  readonly issues: readonly ProtocolIssue[]
  /** Path of the first issue. */
  readonly path: readonly (string | number)[]

  constructor(issues: readonly ProtocolIssue[]) {
    const list = issues.length > 0 ? issues : [{ path: [], message: 'invalid message' }]
    super(list.map(formatIssue).join('; '))
    this.name = 'ProtocolError'
    this.issues = list
    this.path = list[0].path
  }
}

/** Formats an issue as `path: message` (or just the message at the root). */
export function formatIssue(issue: ProtocolIssue): string {
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
}
