/**
 * Helpers shared by the encoders. Not part of the public API (not re-exported from the index).
 * @internal
 */
import { ProtocolError } from './errors.js'

/** Throws a {@link ProtocolError} with one issue. */
export function fail(path: readonly (string | number)[], message: string): never {
  throw new ProtocolError([{ path, message }])
}

/** `JSON.stringify(value)`, or a {@link ProtocolError} when the value has no JSON text (undefined, BigInt, cycles). */
export function toJson(value: unknown, path: readonly (string | number)[]): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (err) {
    fail(path, `cannot encode as JSON: ${String((err as Error)?.message ?? err)}`)
  }
  if (text === undefined) fail(path, 'cannot encode as JSON: no value')
  return text
}
