/**
 * Server → client messages (one SSE event or WebSocket frame each) and client → server requests.
 */
import * as z from 'zod'
import { ControlsRequestSchema, ControlsSchema, PROTOCOL_VERSION, SectionSchema, SeedSchema, StyleSchema } from './music.js'

/** Bounds of audio messages (shared by the JSON schema and the binary WebSocket frame). */
export const AUDIO_LIMITS = Object.freeze({
  sampleRate: { min: 8000, max: 192_000 },
  /** Frames (samples per channel) in one chunk. */
  frames: { min: 1, max: 192_000 },
  /** Largest payload of one chunk, in bytes (2,000,000 base64 characters). */
  bytes: 1_500_000,
})

/** Audio codecs an `audio` message may carry. */
export const AudioCodecSchema = z.enum(['opus', 'pcm16'])
/** An audio codec name. */
export type AudioCodec = z.infer<typeof AudioCodecSchema>

/** Audio format of an audio-mode stream. */
export const AudioFormatSchema = z.strictObject({
  codec: AudioCodecSchema,
  sampleRate: z.number().int().min(AUDIO_LIMITS.sampleRate.min).max(AUDIO_LIMITS.sampleRate.max),
  channels: z.union([z.literal(1), z.literal(2)]),
})
/** Audio format of an audio-mode stream. */
export type AudioFormat = z.infer<typeof AudioFormatSchema>

/** First message of every stream connection. */
export const HelloSchema = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  /** Stream id: a station name or a session id. */
  stream: z.string().min(1).max(128),
  kind: z.enum(['station', 'session']),
  /** Server wall-clock milliseconds at the stream's start; section times count from here. */
  epoch: z.number().min(0),
  /** Server wall-clock milliseconds when this message was written. */
  serverTime: z.number().min(0),
  controls: ControlsSchema,
  mode: z.enum(['events', 'audio']),
  /** Format of the audio messages to come; required when `mode` is `audio`. */
  audio: AudioFormatSchema.optional(),
}).superRefine((h, ctx) => {
  if (h.mode === 'audio' && h.audio === undefined) {
    ctx.addIssue({ code: 'custom', path: ['audio'], message: 'audio format is required when mode is "audio"' })
  }
})
/** Payload of `hello`. */
export type Hello = z.infer<typeof HelloSchema>

/** Controls now in force, and when they apply from. */
export const ControlsMessageSchema = z.strictObject({
  controls: ControlsSchema,
  /** First bar (stream bar number, from 0) composed with these controls. */
  bar: z.number().int().min(0),
  /** Start of that bar in seconds since the epoch. */
  time: z.number().min(0),
})
/** Payload of `controls`. */
export type ControlsMessage = z.infer<typeof ControlsMessageSchema>

/**
 * Bytes encoded by a base64 string of valid form (length a multiple of 4, padding only at the end),
 * computed from its length alone.
 */
function base64ByteLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return (b64.length / 4) * 3 - pad
}

/**
 * One encoded audio chunk (~100 ms). For `opus`, `data` holds raw Opus packets, each prefixed by its
 * length as a big-endian uint16 (see `packOpusPackets`); for `pcm16`, interleaved little-endian int16,
 * exactly `frames × channels × 2` bytes.
 */
export const AudioMessageSchema = z
  .strictObject({
    /** Sequence number of the chunk within its stream, from 0. */
    seq: z.number().int().min(0),
    /** Start of the chunk in seconds since the epoch. */
    startTime: z.number().min(0),
    codec: AudioCodecSchema,
    sampleRate: z.number().int().min(AUDIO_LIMITS.sampleRate.min).max(AUDIO_LIMITS.sampleRate.max),
    channels: z.union([z.literal(1), z.literal(2)]),
    frames: z.number().int().min(AUDIO_LIMITS.frames.min).max(AUDIO_LIMITS.frames.max),
    /** Base64 payload (over SSE and JSON). Binary WebSocket frames carry the bytes instead. */
    data: z.base64('data must be base64').max(Math.ceil(AUDIO_LIMITS.bytes / 3) * 4),
  })
  .superRefine((a, ctx) => {
    if (a.codec === 'pcm16') {
      const expected = a.frames * a.channels * 2
      const actual = base64ByteLength(a.data)
      if (actual !== expected) {
        ctx.addIssue({ code: 'custom', path: ['data'], message: `pcm16 data must be frames × channels × 2 = ${expected} bytes, got ${actual}` })
      }
    } else if (a.data.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'opus data must hold at least one packet' })
    }
  })
/** Payload of `audio`. */
export type AudioMessage = z.infer<typeof AudioMessageSchema>

/** The client's Last-Event-ID is older than the replay log: start over from "now". */
export const ResetSchema = z.strictObject({
  reason: z.string().max(512),
})
/** Payload of `reset`. */
export type Reset = z.infer<typeof ResetSchema>

/** An error the server reports on a stream or in an HTTP body. */
export const ErrorSchema = z.strictObject({
  code: z.string().min(1).max(64),
  message: z.string().max(2048),
})
/** Payload of `error`. */
export type ErrorPayload = z.infer<typeof ErrorSchema>

/** Every server → client message: `type` is the SSE event name, `data` the JSON payload. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), data: HelloSchema }),
  z.strictObject({ type: z.literal('section'), data: SectionSchema }),
  z.strictObject({ type: z.literal('controls'), data: ControlsMessageSchema }),
  z.strictObject({ type: z.literal('audio'), data: AudioMessageSchema }),
  z.strictObject({ type: z.literal('reset'), data: ResetSchema }),
  z.strictObject({ type: z.literal('error'), data: ErrorSchema }),
])
/** A server → client message. */
export type ServerMessage = z.infer<typeof ServerMessageSchema>
/** The `type` of a server message (the SSE event name). */
export type ServerMessageType = ServerMessage['type']
/** The payload type for a given message type. */
export type MessageData<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>['data']
/** Every server message type, in declaration order. */
export const SERVER_MESSAGE_TYPES = ['hello', 'section', 'controls', 'audio', 'reset', 'error'] as const satisfies readonly ServerMessageType[]

/** Every client → server message (WebSocket text frames; HTTP POST bodies carry `data` alone). */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('controls'), data: ControlsRequestSchema }),
])
/** A client → server message. */
export type ClientMessage = z.infer<typeof ClientMessageSchema>

/** A bring-your-own LLM endpoint for a private session. The key stays in server memory only. */
export const LlmConfigSchema = z.strictObject({
  provider: z.enum(['groq', 'ollama', 'openai-compatible']),
  baseUrl: z.url({ protocol: /^https?$/ }).max(512),
  apiKey: z.string().max(512).optional(),
  model: z.string().min(1).max(128),
})
/** A bring-your-own LLM endpoint. */
export type LlmConfig = z.infer<typeof LlmConfigSchema>

/** Body of `POST /api/sessions`. */
export const SessionCreateRequestSchema = z.strictObject({
  style: StyleSchema,
  seed: SeedSchema.optional(),
  controls: ControlsSchema.partial().optional(),
  mode: z.enum(['events', 'audio']).optional(),
  llm: LlmConfigSchema.optional(),
})
/** Body of `POST /api/sessions`. */
export type SessionCreateRequest = z.infer<typeof SessionCreateRequestSchema>

/** Reply to `POST /api/sessions`. */
export const SessionCreatedSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  events: z.string(),
  ws: z.string(),
})
/** Reply to `POST /api/sessions`. */
export type SessionCreated = z.infer<typeof SessionCreatedSchema>

/** Reply to `POST /api/sessions/:id/controls`: the controls and the bar they apply from. */
export const ControlsAppliedSchema = ControlsMessageSchema
/** Reply to a controls change. */
export type ControlsApplied = ControlsMessage

/** Reply to `GET /api/time` (clock sync). */
export const TimeResponseSchema = z.strictObject({ serverTime: z.number() })
/** Reply to `GET /api/time`. */
export type TimeResponse = z.infer<typeof TimeResponseSchema>

/** One entry of `GET /api/stations`. */
export const StationInfoSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  style: StyleSchema,
  mode: z.enum(['events', 'audio']),
  listeners: z.number().int().min(0),
  controls: ControlsSchema,
  events: z.string(),
  ws: z.string(),
})
/** One entry of `GET /api/stations`. */
export type StationInfo = z.infer<typeof StationInfoSchema>
