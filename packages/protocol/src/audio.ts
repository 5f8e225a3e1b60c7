/**
 * Audio payload helpers: base64 that needs no `Buffer` (Node and browsers alike), Opus packet packing,
 * and conversion between the JSON `audio` message (base64 `data`) and an {@link AudioChunk} (raw bytes).
 */
import { ProtocolError } from './errors.js'
import { fail } from './internal.js'
import type { AudioMessage } from './messages.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const ENCODE = new Uint8Array(64)
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i)
  DECODE[ALPHABET.charCodeAt(i)] = i
}
const PAD = 61 // '='
const ASCII = new TextDecoder() // base64 text is ASCII, so UTF-8 decoding is exact

/**
 * Encodes bytes as standard base64 (RFC 4648 §4, with `=` padding). Pure JavaScript: no `Buffer`, no `btoa`.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length
  const out = new Uint8Array(Math.ceil(n / 3) * 4)
  let o = 0
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = ENCODE[v >> 18]
    out[o++] = ENCODE[(v >> 12) & 63]
    out[o++] = ENCODE[(v >> 6) & 63]
    out[o++] = ENCODE[v & 63]
  }
  const rest = n - i
  if (rest === 1) {
    const v = bytes[i] << 16
    out[o++] = ENCODE[v >> 18]
    out[o++] = ENCODE[(v >> 12) & 63]
    out[o++] = PAD
    out[o++] = PAD
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8)
    out[o++] = ENCODE[v >> 18]
    out[o++] = ENCODE[(v >> 12) & 63]
    out[o++] = ENCODE[(v >> 6) & 63]
    out[o++] = PAD
  }
  return ASCII.decode(out)
}

/**
 * Decodes standard base64 (RFC 4648 §4). Strict: the length must be a multiple of 4, padding may only end
 * the text, and no other characters (not even whitespace) are allowed.
 * @throws {@link ProtocolError} naming the offending character position.
 */
export function base64ToBytes(base64: string): Uint8Array {
  if (typeof base64 !== 'string') fail([], 'base64 input must be a string')
  const len = base64.length
  if (len % 4 !== 0) fail([], `base64 length must be a multiple of 4, got ${len}`)
  if (len === 0) return new Uint8Array(0)
  const pad = base64.charCodeAt(len - 1) === PAD ? (base64.charCodeAt(len - 2) === PAD ? 2 : 1) : 0
  const out = new Uint8Array((len / 4) * 3 - pad)
  const full = pad ? len - 4 : len
  let o = 0
  for (let i = 0; i < full; i += 4) {
    const v = (sextet(base64, i) << 18) | (sextet(base64, i + 1) << 12) | (sextet(base64, i + 2) << 6) | sextet(base64, i + 3)
    out[o++] = v >> 16
    out[o++] = (v >> 8) & 255
    out[o++] = v & 255
  }
  if (pad === 1) {
    const v = (sextet(base64, full) << 18) | (sextet(base64, full + 1) << 12) | (sextet(base64, full + 2) << 6)
    out[o++] = v >> 16
    out[o++] = (v >> 8) & 255
  } else if (pad === 2) {
    const v = (sextet(base64, full) << 18) | (sextet(base64, full + 1) << 12)
    out[o++] = v >> 16
  }
  return out
}

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i)
  const v = c < 128 ? DECODE[c] : -1
  if (v < 0) fail([], `invalid base64 character ${JSON.stringify(s[i])} at ${i}`)
  return v
}

/** Largest Opus packet {@link packOpusPackets} accepts (its length must fit a uint16). */
export const MAX_OPUS_PACKET_BYTES = 0xffff

/**
 * Packs raw Opus packets into one payload for an `audio` message: each packet is prefixed by its length as a
 * big-endian uint16. (A packet is at least 1 byte — RFC 6716 §3.4 — and at most 61,440 bytes in practice.)
 * @throws {@link ProtocolError} at `['packets', i]` for an empty packet or one longer than 65,535 bytes.
 */
export function packOpusPackets(packets: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (let i = 0; i < packets.length; i++) {
    const p = packets[i]
    if (!(p instanceof Uint8Array)) fail(['packets', i], 'packet must be a Uint8Array')
    if (p.length === 0) fail(['packets', i], 'an Opus packet is at least 1 byte')
    if (p.length > MAX_OPUS_PACKET_BYTES) fail(['packets', i], `packet is ${p.length} bytes; at most ${MAX_OPUS_PACKET_BYTES} fit a uint16 length`)
    total += 2 + p.length
  }
  const out = new Uint8Array(total)
  let o = 0
  for (const p of packets) {
    out[o] = p.length >> 8
    out[o + 1] = p.length & 255
    out.set(p, o + 2)
    o += 2 + p.length
  }
  return out
}

/**
 * Splits a payload made by {@link packOpusPackets} back into packets. The packets are views into `bytes`
 * (no copy).
 * @throws {@link ProtocolError} at `['packets', i]` when a length prefix is truncated, zero, or runs past the end.
 */
export function unpackOpusPackets(bytes: Uint8Array): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) fail([], 'input must be a Uint8Array')
  const packets: Uint8Array[] = []
  let o = 0
  while (o < bytes.length) {
    const i = packets.length
    if (o + 2 > bytes.length) fail(['packets', i], `truncated length prefix at byte ${o}`)
    const n = (bytes[o] << 8) | bytes[o + 1]
    if (n === 0) fail(['packets', i], `zero-length packet at byte ${o}`)
    if (o + 2 + n > bytes.length) fail(['packets', i], `packet at byte ${o} declares ${n} bytes but only ${bytes.length - o - 2} remain`)
    packets.push(bytes.subarray(o + 2, o + 2 + n))
    o += 2 + n
  }
  return packets
}

/**
 * An `audio` message with its payload as raw bytes instead of base64: what binary WebSocket frames carry
 * and what decoders consume.
 */
export type AudioChunk = Omit<AudioMessage, 'data'> & {
  /** The payload: packed Opus packets ({@link packOpusPackets}) or interleaved little-endian int16 PCM. */
  bytes: Uint8Array
}

/** Converts an {@link AudioChunk} to the JSON `audio` message payload (base64 `data`). Does not validate. */
export function audioChunkToMessage(chunk: AudioChunk): AudioMessage {
  const { bytes, ...header } = chunk
  return { ...header, data: bytesToBase64(bytes) }
}

/**
 * Converts a JSON `audio` message payload to an {@link AudioChunk} (decoding `data`).
 * @throws {@link ProtocolError} at `['data']` when `data` is not valid base64.
 */
export function audioMessageToChunk(message: AudioMessage): AudioChunk {
  const { data, ...header } = message
  let bytes: Uint8Array
  try {
    bytes = base64ToBytes(data)
  } catch (err) {
    if (err instanceof ProtocolError) fail(['data'], err.issues[0].message)
    throw err
  }
  return { ...header, bytes }
}
