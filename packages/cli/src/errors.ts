/** Errors the command line turns into exit codes: {@link UsageError} → 2, anything else → 1. */

/** Exit code for bad arguments (unknown flag, value out of range, unusable output path). */
export const EXIT_USAGE = 2
/** Exit code for a failure while rendering or writing. */
export const EXIT_FAILURE = 1
/** Exit code after an interrupt (SIGINT), as shells report it (128 + 2). */
export const EXIT_INTERRUPTED = 130

/**
 * A bad command-line argument. The message is one line naming the argument, what was wrong and what is
 * allowed, e.g. `--bpm: got 400 (allowed: 20–300)`.
 */
export class UsageError extends Error {
  /** The argument at fault as typed, e.g. `--bpm`, or a description such as `command`. */
  readonly argument: string
  /** What is allowed, in words. */
  readonly allowed: string

  /** Creates an error for `argument`, saying what was wrong and what is allowed. */
  constructor(argument: string, problem: string, allowed: string) {
    super(`${argument}: ${problem} (allowed: ${allowed})`)
    this.name = 'UsageError'
    this.argument = argument
    this.allowed = allowed
  }
}
