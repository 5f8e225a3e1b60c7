/**
 * Form values → requests (pure): what the session form sends to `POST /api/sessions` and
 * `POST /api/sessions/:id/controls`, validated with the protocol's schemas.
 */
import {
  ControlsRequestSchema, SessionCreateRequestSchema,
  type Controls, type ControlsRequest, type LlmConfig, type SessionCreateRequest,
} from '@auralis/protocol'

/** LLM providers a session may use. */
export const LLM_PROVIDERS = ['groq', 'ollama', 'openai-compatible'] as const

/** An LLM provider. */
export type LlmProvider = (typeof LLM_PROVIDERS)[number]

/** Default base URL and model of each provider (the form fills them in when one is picked). */
export const LLM_DEFAULTS: Readonly<Record<LlmProvider, { baseUrl: string; model: string }>> = Object.freeze({
  groq: { baseUrl: 'https://api.groq.com/openai/v1', model: 'llama-3.1-8b-instant' },
  ollama: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' },
  'openai-compatible': { baseUrl: '', model: '' },
})

/** The session form's raw values (strings, as inputs hold them). */
export interface SessionFormValues {
  /** `ambient` or `jazz`. */
  style: string
  /** Key root. */
  key: string
  /** Mode. */
  mode: string
  /** Tempo in bpm. */
  bpm: string
  /** Intensity 0–1. */
  intensity: string
  /** Seed (empty = server picks). */
  seed: string
  /** Player buffer in ms: notes' schedule-ahead, or the jitter buffer of server audio. */
  bufferMs: string
  /** `browser` (notes played by Tone.js in the page) or `server` (audio rendered on the server, streamed as Opus). */
  sound?: string
  /** LLM provider, or empty for none. */
  llmProvider: string
  /** LLM base URL. */
  llmBaseUrl: string
  /** LLM model. */
  llmModel: string
  /** LLM API key (sent in the create request only; never stored). */
  llmKey: string
}

/** A form value the server would refuse; `field` names the input. */
export class FormError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`)
    this.name = 'FormError'
  }
}

/** Range of the player's schedule-ahead buffer, ms. */
export const BUFFER_RANGE = { min: 50, max: 2000, default: 150 } as const

function num(field: string, raw: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw)
  if (!Number.isFinite(v)) throw new FormError(field, `expected a number, got ${JSON.stringify(raw)}`)
  return v
}

function controlsOf(v: SessionFormValues): Partial<Controls> {
  return { style: v.style as Controls['style'], key: v.key as Controls['key'], mode: v.mode as Controls['mode'], bpm: num('bpm', v.bpm), intensity: num('intensity', v.intensity) }
}

function rethrow(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): never {
  const issue = error.issues[0]
  const path = issue.path.map(String)
  throw new FormError(path[path.length - 1] ?? 'form', issue.message)
}

/** The LLM part of the create request, or `undefined` when no provider is chosen. @throws FormError */
export function toLlmConfig(v: Pick<SessionFormValues, 'llmProvider' | 'llmBaseUrl' | 'llmModel' | 'llmKey'>): LlmConfig | undefined {
  if (v.llmProvider === '') return undefined
  if (!(LLM_PROVIDERS as readonly string[]).includes(v.llmProvider)) throw new FormError('llmProvider', `unknown provider ${JSON.stringify(v.llmProvider)}`)
  if (v.llmBaseUrl.trim() === '') throw new FormError('llmBaseUrl', 'a base URL is required with an LLM provider')
  if (v.llmModel.trim() === '') throw new FormError('llmModel', 'a model is required with an LLM provider')
  const key = v.llmKey.trim()
  return { provider: v.llmProvider as LlmProvider, baseUrl: v.llmBaseUrl.trim(), model: v.llmModel.trim(), ...(key ? { apiKey: key } : {}) }
}

/** `POST /api/sessions` body for the form. @throws FormError for a value the server would refuse. */
export function toCreateRequest(v: SessionFormValues): SessionCreateRequest {
  const controls = controlsOf(v)
  const seed = v.seed.trim() === '' ? undefined : num('seed', v.seed)
  const llm = toLlmConfig(v)
  if (v.sound !== undefined && v.sound !== 'browser' && v.sound !== 'server') throw new FormError('sound', `expected browser or server, got ${JSON.stringify(v.sound)}`)
  const body = {
    style: controls.style, controls, ...(seed === undefined ? {} : { seed }), ...(llm ? { llm } : {}),
    ...(v.sound === 'server' ? { mode: 'audio' as const } : {}),
  }
  const parsed = SessionCreateRequestSchema.safeParse(body)
  if (!parsed.success) rethrow(parsed.error)
  return parsed.data
}

/**
 * `POST /api/sessions/:id/controls` body: the controls of the form that differ from `current`
 * (all of them when `current` is unknown), or `undefined` when nothing changed. @throws FormError
 */
export function toControlsRequest(v: Pick<SessionFormValues, 'style' | 'key' | 'mode' | 'bpm' | 'intensity'>, current?: Controls): ControlsRequest | undefined {
  const next = controlsOf(v as SessionFormValues)
  const changed = Object.fromEntries(Object.entries(next).filter(([k, val]) => !current || current[k as keyof Controls] !== val))
  if (Object.keys(changed).length === 0) return undefined
  const parsed = ControlsRequestSchema.safeParse(changed)
  if (!parsed.success) rethrow(parsed.error)
  return parsed.data
}

/** The player's schedule-ahead buffer (ms) for the form, clamped to {@link BUFFER_RANGE}. @throws FormError */
export function toBufferMs(raw: string): number {
  if (raw.trim() === '') return BUFFER_RANGE.default
  const v = num('bufferMs', raw)
  if (v < BUFFER_RANGE.min || v > BUFFER_RANGE.max) throw new FormError('bufferMs', `expected ${BUFFER_RANGE.min}–${BUFFER_RANGE.max} ms, got ${v}`)
  return v
}
