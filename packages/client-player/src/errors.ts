/**
 * The player's typed errors. Every error the player throws or emits is a {@link PlayerError} with a code.
 */

/** What went wrong, by area. */
export type PlayerErrorCode =
  | 'invalid-option'
  | 'midi-unavailable'
  | 'audio-unavailable'
  | 'transport'
  | 'protocol'
  | 'clock'
  | 'output'
  | 'server'

/** An error raised or emitted by the player. `code` says which area; `cause` keeps the original error. */
export class PlayerError extends Error {
  /** Area of the failure. */
  readonly code: PlayerErrorCode

  constructor(code: PlayerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PlayerError'
    this.code = code
  }
}
