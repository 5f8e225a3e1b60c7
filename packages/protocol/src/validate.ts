/**
 * Parsing entry points. Each returns typed data or throws {@link ProtocolError}; nothing else escapes.
 */
import type * as z from 'zod'
import { ProtocolError, type ProtocolIssue } from './errors.js'
import { ClientMessageSchema, ServerMessageSchema, type ClientMessage, type ServerMessage } from './messages.js'

function toIssues(error: z.ZodError): ProtocolIssue[] {
  return error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }))
}

function decodeJson(input: unknown): unknown {
  if (typeof input !== 'string') return input
  try {
    return JSON.parse(input)
  } catch (err) {
    throw new ProtocolError([{ path: [], message: `invalid JSON: ${(err as Error).message}` }])
  }
}

/**
 * Validates `input` (a value or its JSON text) against any schema of this package.
 * @throws {@link ProtocolError} naming the path and rule broken.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  let value: unknown
  let result: ReturnType<S['safeParse']>
  try {
    value = decodeJson(input)
    result = schema.safeParse(value) as ReturnType<S['safeParse']>
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    throw new ProtocolError([{ path: [], message: `unreadable input: ${String((err as Error)?.message ?? err)}` }])
  }
  if (!result.success) throw new ProtocolError(toIssues(result.error))
  return result.data as z.output<S>
}

/**
 * Parses a server → client message (`{ type, data }`) from a value or JSON text.
 * @throws {@link ProtocolError} naming the path and rule broken; never anything else.
 */
export function parseMessage(input: unknown): ServerMessage {
  return parseWith(ServerMessageSchema, input)
}

/**
 * Parses a message received as one SSE event: the event name is the type, `data` the JSON payload.
 * @throws {@link ProtocolError}
 */
export function parseSseEvent(event: string, data: string): ServerMessage {
  let payload: unknown
  try {
    payload = JSON.parse(data)
  } catch (err) {
    throw new ProtocolError([{ path: ['data'], message: `invalid JSON: ${(err as Error).message}` }])
  }
  return parseWith(ServerMessageSchema, { type: event, data: payload })
}

/**
 * Parses a client → server message from a value or JSON text.
 * @throws {@link ProtocolError}
 */
export function parseClientMessage(input: unknown): ClientMessage {
  return parseWith(ClientMessageSchema, input)
}
