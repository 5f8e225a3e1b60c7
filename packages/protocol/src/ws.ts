/**
 * WebSocket framing.
 *
 * **Text frames** carry one message as JSON: `{ "type": …, "id"?: …, "data": … }` — the SSE event name, id
 * and payload in one object. Client → server frames are client messages (`{ "type": "controls", "data": … }`).
 *
 * **Binary frames** carry one `audio` message with its payload as raw bytes (no base64); the layout is
 * documented on {@link encodeAudioFrame}.
 */
import { fail, toJson } from './internal.js'
import { EventIdSchema, eventIdProblem, normalizeEventId, type EventIdInput } from './event-id.js'
import { ProtocolError } from './errors.js'
import { unpackOpusPackets, type AudioChunk } from './audio.js'
import { AUDIO_LIMITS, ClientMessageSchema, SERVER_MESSAGE_TYPES, ServerMessageSchema, type AudioCodec, type ClientMessage, type ServerMessage } from './messages.js'
import { parseWith } from './validate.js'
import type { EncodeOptions } from './sse.js'
import * as z from 'zod'

/** First byte of every binary audio frame. */
export const AUDIO_FRAME_MAGIC = 0xa5
/** Version of the binary audio frame layout (second byte). */
export const AUDIO_FRAME_VERSION = 1
/** Size of the fixed part of the binary audio frame header, before the id bytes. */
export const AUDIO_FRAME_HEADER_BYTES = 29

const CODEC_BYTE: Readonly<Record<AudioCodec, number>> = { opus: 1, pcm16: 2 }
const BYTE_CODEC: Readonly<Record<number, AudioCodec | undefined>> = { 1: 'opus', 2: 'pcm16' }
const MESSAGE_TYPES: ReadonlySet<string> = new Set(SERVER_MESSAGE_TYPES)
const UTF8 = new TextEncoder()
// fatal: reject invalid UTF-8; ignoreBOM: keep a leading U+FEFF as part of the id.
const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** A decoded text frame: the message and its id, if it had one. */
export interface WsTextFrame {
  /** The server message. */
  message: ServerMessage
  /** The frame's event id (what SSE would send as `id:`). */
  id?: string
}

/** A decoded binary audio frame. */
export interface AudioFrame {
  /** The chunk; its `bytes` is a view into the frame (no copy). */
  audio: AudioChunk
  /** The frame's event id, if it had one. */
  id?: string
}

/** Any decoded server → client WebSocket frame (see {@link decodeWsFrame}). */
export type WsFrame = ({ kind: 'text' } & WsTextFrame) | ({ kind: 'audio' } & AudioFrame)

const withId = { id: EventIdSchema.optional() }
const [helloMsg, sectionMsg, controlsMsg, audioMsg, resetMsg, errorMsg] = ServerMessageSchema.options

/** The JSON text frame schema: a server message (`{ type, data }`) plus an optional `id`. */
export const WsTextFrameSchema = z.discriminatedUnion('type', [
  helloMsg.extend(withId),
  sectionMsg.extend(withId),
  controlsMsg.extend(withId),
  audioMsg.extend(withId),
  resetMsg.extend(withId),
  errorMsg.extend(withId),
])

/**
 * Encodes a server message as a JSON text frame `{ type, id?, data }`.
 * @throws {@link ProtocolError} for an unknown type, an invalid id, a payload with no JSON text, or (with
 *   `validate`) a message the schemas reject.
 */
export function encodeWsText(message: ServerMessage, id?: EventIdInput, options?: EncodeOptions): string {
  if (options?.validate) parseWith(ServerMessageSchema, message)
  const type = message?.type
  if (!MESSAGE_TYPES.has(type)) fail(['type'], `unknown message type ${JSON.stringify(String(type))}`)
  const json = toJson(message.data, ['data'])
  return id === undefined
    ? `{"type":"${type}","data":${json}}`
    : `{"type":"${type}","id":${JSON.stringify(normalizeEventId(id))},"data":${json}}`
}

/**
 * Decodes a JSON text frame from the server.
 * @throws {@link ProtocolError} naming the path and rule broken; never anything else.
 */
export function decodeWsText(text: string): WsTextFrame {
  if (typeof text !== 'string') fail([], 'a text frame must be a string')
  const { id, ...message } = parseWith(WsTextFrameSchema, text)
  return id === undefined ? { message: message as ServerMessage } : { message: message as ServerMessage, id }
}

/**
 * Encodes a client → server message as a JSON text frame (validated: the server would reject it anyway).
 * @throws {@link ProtocolError}
 */
export function encodeWsClientText(message: ClientMessage): string {
  return toJson(parseWith(ClientMessageSchema, message), [])
}

/**
 * Decodes a client → server text frame (the same as `parseClientMessage`).
 * @throws {@link ProtocolError}
 */
export function decodeWsClientText(text: string): ClientMessage {
  if (typeof text !== 'string') fail([], 'a text frame must be a string')
  return parseWith(ClientMessageSchema, text)
}

/** Checks the header fields of an audio chunk; shared by the encoder and the decoder. */
function checkAudioHeader(a: Omit<AudioChunk, 'bytes' | 'codec'> & { codec: unknown }): void {
  if (a.codec !== 'opus' && a.codec !== 'pcm16') fail(['data', 'codec'], 'codec must be opus or pcm16')
  if (a.channels !== 1 && a.channels !== 2) fail(['data', 'channels'], 'channels must be 1 or 2')
  const sr = AUDIO_LIMITS.sampleRate
  if (!Number.isInteger(a.sampleRate) || a.sampleRate < sr.min || a.sampleRate > sr.max) fail(['data', 'sampleRate'], `sampleRate must be an integer in ${sr.min}–${sr.max}`)
  const fr = AUDIO_LIMITS.frames
  if (!Number.isInteger(a.frames) || a.frames < fr.min || a.frames > fr.max) fail(['data', 'frames'], `frames must be an integer in ${fr.min}–${fr.max}`)
  if (!Number.isSafeInteger(a.seq) || a.seq < 0) fail(['data', 'seq'], 'seq must be a non-negative safe integer')
  if (typeof a.startTime !== 'number' || !Number.isFinite(a.startTime) || a.startTime < 0) fail(['data', 'startTime'], 'startTime must be a finite number ≥ 0')
}

/** Checks a payload against its codec; shared by the encoder and the decoder. */
function checkAudioPayload(a: AudioChunk): void {
  const n = a.bytes.length
  if (n > AUDIO_LIMITS.bytes) fail(['data', 'bytes'], `payload must be at most ${AUDIO_LIMITS.bytes} bytes, got ${n}`)
  if (a.codec === 'pcm16') {
    const expected = a.frames * a.channels * 2
    if (n !== expected) fail(['data', 'bytes'], `pcm16 payload must be frames × channels × 2 = ${expected} bytes, got ${n}`)
  } else {
    if (n === 0) fail(['data', 'bytes'], 'opus payload must hold at least one packet')
    try {
      unpackOpusPackets(a.bytes)
    } catch (err) {
      if (err instanceof ProtocolError) fail(['data', 'bytes', ...err.path], err.issues[0].message)
      throw err
    }
  }
}

/**
 * Encodes an audio chunk as one binary WebSocket frame: a small header, then the payload's raw bytes.
 * The header is checked against the same bounds as the `audio` schema.
 *
 * Layout (version 1), all integers big-endian:
 *
 * | offset | size | type   | field                                                       |
 * | -----: | ---: | ------ | ----------------------------------------------------------- |
 * |      0 |    1 | uint8  | magic `0xA5`                                                |
 * |      1 |    1 | uint8  | version `1`                                                 |
 * |      2 |    1 | uint8  | codec: `1` = opus, `2` = pcm16                              |
 * |      3 |    1 | uint8  | channels: `1` or `2`                                        |
 * |      4 |    4 | uint32 | sampleRate (8000–192000)                                    |
 * |      8 |    4 | uint32 | frames per channel (1–192000)                               |
 * |     12 |    8 | uint64 | seq (≤ 2^53 − 1)                                            |
 * |     20 |    8 | f64    | startTime, seconds since the epoch (finite, ≥ 0)            |
 * |     28 |    1 | uint8  | n = id length in UTF-8 bytes (0 = no id)                    |
 * |     29 |    n | UTF-8  | id (no LF, CR or NUL; at most 255 bytes)                    |
 * | 29 + n |    … | bytes  | payload: packed Opus packets, or int16 little-endian PCM    |
 *
 * The payload is the rest of the frame. For pcm16 it is exactly `frames × channels × 2` bytes; for opus
 * it is one or more packets as {@link packOpusPackets} writes them. An empty id is written as no id.
 * The header is 29 + n bytes; the same chunk as JSON over SSE is base64 (+33%) plus field names.
 * @throws {@link ProtocolError} for a field out of bounds, an invalid id, or a payload that does not match
 *   its codec.
 */
export function encodeAudioFrame(chunk: AudioChunk, id?: EventIdInput): Uint8Array {
  if (chunk === null || typeof chunk !== 'object') fail([], 'audio chunk must be an object')
  checkAudioHeader(chunk)
  if (!(chunk.bytes instanceof Uint8Array)) fail(['data', 'bytes'], 'bytes must be a Uint8Array')
  checkAudioPayload(chunk)
  const idBytes = id === undefined ? undefined : UTF8.encode(normalizeEventId(id))
  const idLength = idBytes?.length ?? 0
  const frame = new Uint8Array(AUDIO_FRAME_HEADER_BYTES + idLength + chunk.bytes.length)
  const view = new DataView(frame.buffer)
  view.setUint8(0, AUDIO_FRAME_MAGIC)
  view.setUint8(1, AUDIO_FRAME_VERSION)
  view.setUint8(2, CODEC_BYTE[chunk.codec])
  view.setUint8(3, chunk.channels)
  view.setUint32(4, chunk.sampleRate)
  view.setUint32(8, chunk.frames)
  view.setUint32(12, Math.floor(chunk.seq / 2 ** 32))
  view.setUint32(16, chunk.seq % 2 ** 32)
  view.setFloat64(20, chunk.startTime)
  view.setUint8(28, idLength)
  if (idBytes) frame.set(idBytes, AUDIO_FRAME_HEADER_BYTES)
  frame.set(chunk.bytes, AUDIO_FRAME_HEADER_BYTES + idLength)
  return frame
}

function asBytes(input: unknown): Uint8Array {
  // A plain Uint8Array view in every case (a Node Buffer's subarray would be a Buffer again).
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  return fail([], 'a binary frame must be an ArrayBuffer or a typed array')
}

/**
 * Decodes a binary audio frame. Accepts what WebSocket implementations deliver: an `ArrayBuffer`
 * (browsers with `binaryType = 'arraybuffer'`), a `Uint8Array`/`Buffer` (Node `ws`), or another view.
 * Every header field is checked against the `audio` schema's bounds, and the payload against its codec.
 * @throws {@link ProtocolError} on truncated or malformed input; never anything else.
 */
export function decodeAudioFrame(input: ArrayBuffer | ArrayBufferView): AudioFrame {
  const bytes = asBytes(input)
  if (bytes.length < AUDIO_FRAME_HEADER_BYTES) fail([], `frame too short: ${bytes.length} bytes, the header alone is ${AUDIO_FRAME_HEADER_BYTES}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint8(0) !== AUDIO_FRAME_MAGIC) fail(['magic'], `not an audio frame (first byte 0x${view.getUint8(0).toString(16)}, expected 0xa5)`)
  if (view.getUint8(1) !== AUDIO_FRAME_VERSION) fail(['version'], `unsupported audio frame version ${view.getUint8(1)} (expected ${AUDIO_FRAME_VERSION})`)
  const codec = BYTE_CODEC[view.getUint8(2)]
  if (codec === undefined) fail(['data', 'codec'], `unknown codec byte ${view.getUint8(2)}`)
  const seqHigh = view.getUint32(12)
  if (seqHigh >= 2 ** 21) fail(['data', 'seq'], 'seq must be a non-negative safe integer')
  const header = {
    seq: seqHigh * 2 ** 32 + view.getUint32(16),
    startTime: view.getFloat64(20),
    codec,
    sampleRate: view.getUint32(4),
    channels: view.getUint8(3) as 1 | 2,
    frames: view.getUint32(8),
  }
  checkAudioHeader(header)
  const idLength = view.getUint8(28)
  const payloadStart = AUDIO_FRAME_HEADER_BYTES + idLength
  if (payloadStart > bytes.length) fail(['id'], `id of ${idLength} bytes runs past the end of the ${bytes.length}-byte frame`)
  let id: string | undefined
  if (idLength > 0) {
    try {
      id = UTF8_STRICT.decode(bytes.subarray(AUDIO_FRAME_HEADER_BYTES, payloadStart))
    } catch {
      fail(['id'], 'id is not valid UTF-8')
    }
    const problem = eventIdProblem(id)
    if (problem) fail(['id'], problem)
  }
  const audio: AudioChunk = { ...header, bytes: bytes.subarray(payloadStart) }
  checkAudioPayload(audio)
  return id === undefined ? { audio } : { audio, id }
}

/**
 * Decodes any server → client WebSocket frame: a string is a JSON text frame, binary data an audio frame.
 * @throws {@link ProtocolError}
 */
export function decodeWsFrame(data: string | ArrayBuffer | ArrayBufferView): WsFrame {
  if (typeof data === 'string') return { kind: 'text', ...decodeWsText(data) }
  return { kind: 'audio', ...decodeAudioFrame(data) }
}
