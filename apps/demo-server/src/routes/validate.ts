import { ProtocolError, parseWith } from '@auralis/protocol'
import type { Response } from 'express'

type Schema = Parameters<typeof parseWith>[0]

/**
 * Validates `input` with a protocol schema; on failure answers 400 with the schema's message and returns
 * undefined, so a handler can `const body = valid(res, Schema, req.body); if (!body) return`.
 */
export function valid<S extends Schema>(res: Response, schema: S, input: unknown): ReturnType<typeof parseWith<S>> | undefined {
  try {
    return parseWith(schema, input)
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err
    res.status(400).json({ code: 'invalid', message: err.message })
    return undefined
  }
}
