/** The error every invalid option or control throws: it names the field and the allowed range. */
export class CompositionError extends Error {
  /** The option or control at fault, e.g. `bpm` or `chart`. */
  readonly field: string
  /** The allowed values, in words, e.g. `20–300`. */
  readonly allowed: string

  /** Creates an error for `field`, saying what was wrong and what is allowed. */
  constructor(field: string, problem: string, allowed: string) {
    super(`${field}: ${problem} (allowed: ${allowed})`)
    this.name = 'CompositionError'
    this.field = field
    this.allowed = allowed
  }
}
