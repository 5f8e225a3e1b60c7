/**
 * `createLlmSectionSource`: jazz sections written by a language model over the OpenAI-compatible
 * chat-completions protocol (Groq, Ollama, OpenAI, any compatible host).
 */
import { LIMITS, type NoteEvent } from '@auralis/protocol'
import { CompositionError } from '../errors.js'
import type { LlmSectionRequest, LlmSectionSource } from '../llm-types.js'
import { LlmError, type LlmErrorCode } from './errors.js'
import { buildMessages } from './prompt.js'
import { ReplyError, readReply, replyContent } from './reply.js'

/** Groq's OpenAI-compatible base URL. */
export const GROQ_BASE_URL = 'https://api.groq.com/openai/v1'
/** A local Ollama's OpenAI-compatible base URL. */
export const OLLAMA_BASE_URL = 'http://localhost:11434/v1'

/** Options of {@link createLlmSectionSource}. */
export interface LlmSourceOptions {
  /** Base URL of the API, up to and including the version, e.g. {@link GROQ_BASE_URL} or {@link OLLAMA_BASE_URL}. */
  baseUrl: string
  /** API key, sent as `Authorization: Bearer …` (omit for servers without auth, such as Ollama). Never logged or serialised. */
  apiKey?: string
  /** Model name, as the host spells it (e.g. `llama-3.3-70b-versatile`, `qwen2.5:3b`). */
  model: string
  /** Time allowed for each request, reply body included, in ms (default 8000). */
  timeoutMs?: number
  /** Further tries after a failed one (default 1). Refused keys (401/403) and aborts are never retried. */
  retries?: number
  /** Wait before a retry, in ms (default 250); a 429's `Retry-After` lengthens it. */
  retryDelayMs?: number
  /** Longest `Retry-After` worth waiting for, in ms (default 2000): a longer one ends the tries at once. */
  maxRetryAfterMs?: number
  /** Sampling temperature (default 0.8). */
  temperature?: number
  /** `max_tokens` to ask for (default: not sent, the host decides). */
  maxTokens?: number
  /** Extra musical direction appended to every prompt. */
  direction?: string
  /** Accept replies with notes outside an instrument's range, dropping those notes (default false: retry). */
  allowOutOfRange?: boolean
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch
}

interface Failure {
  readonly code: LlmErrorCode
  readonly detail: string
  readonly status?: number
  readonly retryAfterMs?: number
  /** Whether another try may help (default: by code). */
  readonly retry?: boolean
}

const RETRYABLE: ReadonlySet<LlmErrorCode> = new Set(['timeout', 'http', 'rate-limit', 'parse', 'network'])

function optionError(field: string, problem: string, allowed: string): never {
  throw new CompositionError(field, problem, allowed)
}

function integerOption(field: string, v: unknown, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) optionError(field, `got ${String(v)}`, `an integer from ${min} to ${max}`)
  return v
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined
}

/** Waits `ms`, or less if `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * An LLM section source speaking the OpenAI-compatible chat-completions protocol. Build it with
 * {@link createLlmSectionSource}. Its key lives in a private field: it is sent only in the `Authorization`
 * header and never appears in `toString()`, `JSON.stringify`, `util.inspect` or any error.
 */
class ChatCompletionsSource implements LlmSectionSource {
  readonly model: string
  readonly baseUrl: string
  readonly #apiKey: string | undefined
  readonly #url: string
  readonly #timeoutMs: number
  readonly #retries: number
  readonly #retryDelayMs: number
  readonly #maxRetryAfterMs: number
  readonly #temperature: number
  readonly #maxTokens: number | undefined
  readonly #direction: string | undefined
  readonly #allowOutOfRange: boolean
  readonly #fetch: typeof fetch

  constructor(o: LlmSourceOptions) {
    if (!o || typeof o !== 'object') optionError('options', 'missing', '{ baseUrl, model, apiKey?, timeoutMs?, retries? }')
    if (typeof o.model !== 'string' || o.model.trim() === '') optionError('model', 'missing', 'a model name, e.g. llama-3.3-70b-versatile')
    let url: URL
    try {
      url = new URL(String(o.baseUrl))
    } catch {
      optionError('baseUrl', 'not a URL', `an http(s) URL such as ${GROQ_BASE_URL} or ${OLLAMA_BASE_URL}`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') optionError('baseUrl', `protocol ${url.protocol}`, 'http: or https:')
    if (o.apiKey !== undefined && typeof o.apiKey !== 'string') optionError('apiKey', 'not a string', 'a string, or omitted')
    const f = o.fetch ?? globalThis.fetch
    if (typeof f !== 'function') optionError('fetch', 'no fetch available', 'a fetch function (Node ≥ 18 and browsers have one)')
    if (o.temperature !== undefined && !(typeof o.temperature === 'number' && o.temperature >= 0 && o.temperature <= 2)) {
      optionError('temperature', `got ${String(o.temperature)}`, 'a number from 0 to 2')
    }
    this.model = o.model
    // Any user:password in the URL is sent as given but never shown.
    const shown = new URL(url.href)
    shown.username = ''
    shown.password = ''
    this.baseUrl = shown.href.replace(/\/+$/, '')
    this.#url = `${url.href.replace(/\/+$/, '')}/chat/completions`
    this.#apiKey = o.apiKey || undefined
    this.#timeoutMs = integerOption('timeoutMs', o.timeoutMs, 8000, 1, 600_000)
    this.#retries = integerOption('retries', o.retries, 1, 0, 10)
    this.#retryDelayMs = integerOption('retryDelayMs', o.retryDelayMs, 250, 0, 60_000)
    this.#maxRetryAfterMs = integerOption('maxRetryAfterMs', o.maxRetryAfterMs, 2000, 0, 600_000)
    this.#temperature = o.temperature ?? 0.8
    this.#maxTokens = o.maxTokens === undefined ? undefined : integerOption('maxTokens', o.maxTokens, 0, 1, 1_000_000)
    this.#direction = o.direction
    this.#allowOutOfRange = o.allowOutOfRange ?? false
    this.#fetch = f
  }

  /** Asks the model for one section; retries per the options; throws {@link LlmError} after the last try. */
  async generate(req: LlmSectionRequest, signal?: AbortSignal): Promise<{ events: NoteEvent[]; tracker: string }> {
    checkRequest(req)
    const body = JSON.stringify({
      model: this.model,
      messages: buildMessages(req, this.#direction),
      temperature: this.#temperature,
      ...(this.#maxTokens !== undefined ? { max_tokens: this.#maxTokens } : {}),
      stream: false,
    })
    const tries = this.#retries + 1
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(body, req, signal)
      if (!('code' in outcome)) return outcome
      const last = attempt >= tries || !(outcome.retry ?? RETRYABLE.has(outcome.code))
      const wait = Math.max(this.#retryDelayMs, outcome.retryAfterMs ?? 0)
      const tooLong = outcome.code === 'rate-limit' && (outcome.retryAfterMs ?? 0) > this.#maxRetryAfterMs
      if (last || tooLong) {
        const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`
        throw new LlmError(outcome.code, this.#redact(`${outcome.detail} (model ${this.model}, ${tried})`), { status: outcome.status, attempts: attempt })
      }
      await sleep(wait, signal)
      if (signal?.aborted) {
        throw new LlmError('aborted', `the request was aborted (model ${this.model}, ${attempt} attempt${attempt === 1 ? '' : 's'})`, { attempts: attempt })
      }
    }
  }

  /** One request: resolves with the section or a failure; never rejects. */
  async #attempt(body: string, req: LlmSectionRequest, signal: AbortSignal | undefined): Promise<{ events: NoteEvent[]; tracker: string } | Failure> {
    if (signal?.aborted) return { code: 'aborted', detail: 'the request was aborted' }
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.#timeoutMs)
    const onAbort = () => controller.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
      if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`
      let res: Response
      try {
        res = await this.#fetch(this.#url, { method: 'POST', headers, body, signal: controller.signal })
      } catch (e) {
        return this.#thrown(e, timedOut, signal)
      }
      let text: string
      try {
        text = await res.text()
      } catch (e) {
        return this.#thrown(e, timedOut, signal)
      }
      if (!res.ok) return httpFailure(res, text)
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return { code: 'parse', detail: `HTTP ${res.status} reply is not JSON`, status: res.status }
      }
      try {
        return readReply(replyContent(json), req, { allowOutOfRange: this.#allowOutOfRange })
      } catch (e) {
        if (e instanceof ReplyError) return { code: 'parse', detail: e.message, status: res.status }
        throw e
      }
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  #thrown(e: unknown, timedOut: boolean, signal: AbortSignal | undefined): Failure {
    if (signal?.aborted) return { code: 'aborted', detail: 'the request was aborted' }
    if (timedOut) return { code: 'timeout', detail: `no reply within ${this.#timeoutMs} ms` }
    const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause
    const why = typeof cause?.code === 'string' ? cause.code : e instanceof Error ? e.message : 'request failed'
    return { code: 'network', detail: `could not reach ${this.baseUrl} (${why})` }
  }

  #redact(text: string): string {
    const key = this.#apiKey
    return key ? text.split(key).join('[redacted]') : text
  }

  /** A description without the key. */
  toString(): string {
    return `LlmSectionSource(${this.model} at ${this.baseUrl}${this.#apiKey ? ', with key' : ''})`
  }

  /** JSON form without the key. */
  toJSON(): Record<string, unknown> {
    return { type: 'llm-section-source', model: this.model, baseUrl: this.baseUrl, hasKey: this.#apiKey !== undefined, timeoutMs: this.#timeoutMs, retries: this.#retries }
  }

  /** Node's `util.inspect` form (`console.log`): the same as `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

function httpFailure(res: Response, text: string): Failure {
  let said = ''
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown }
    const m = typeof j.error === 'string' ? j.error : (j.error?.message ?? j.message)
    if (typeof m === 'string') said = m
  } catch {
    said = text
  }
  said = said.replace(/\s+/g, ' ').trim().slice(0, 200)
  const detail = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${said ? `: ${said}` : ''}`
  if (res.status === 401 || res.status === 403) return { code: 'auth', detail: `the server refused the key: ${detail}`, status: res.status }
  if (res.status === 429) {
    return { code: 'rate-limit', detail: `rate limited: ${detail}`, status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) }
  }
  const retry = res.status >= 500 || res.status === 408 || res.status === 409
  return { code: 'http', detail, status: res.status, retry }
}

function checkRequest(req: LlmSectionRequest): void {
  if (!req || typeof req !== 'object') optionError('request', 'missing', 'an LlmSectionRequest')
  const range = (field: string, v: unknown, min: number, max: number, int: boolean) => {
    if (typeof v !== 'number' || !(v >= min && v <= max) || (int && !Number.isInteger(v))) optionError(field, `got ${String(v)}`, `${int ? 'an integer' : 'a number'} from ${min} to ${max}`)
  }
  range('bpm', req.bpm, LIMITS.bpm.min, LIMITS.bpm.max, false)
  range('bars', req.bars, LIMITS.bars.min, LIMITS.bars.max, true)
  range('beatsPerBar', req.beatsPerBar, LIMITS.beatsPerBar.min, LIMITS.beatsPerBar.max, true)
  range('swing', req.swing, LIMITS.swing.min, LIMITS.swing.max, false)
  if (req.stepsPerBeat !== 4) optionError('stepsPerBeat', `got ${String(req.stepsPerBeat)}`, '4')
  if (!Array.isArray(req.chords)) optionError('chords', 'not an array', 'an array of chords')
}

/**
 * Creates an {@link LlmSectionSource} that asks a model for each jazz section over the OpenAI-compatible
 * chat-completions protocol: `POST {baseUrl}/chat/completions` with `Authorization: Bearer {apiKey}` when a
 * key is given. Works with Groq ({@link GROQ_BASE_URL}), a local Ollama ({@link OLLAMA_BASE_URL}) and any
 * compatible host.
 *
 * The prompt gives the tempo, meter, swing, key, bars, steps per instrument, the drum map, the chord chart
 * (with the step each chord starts on) and the previous section's tracker text. The reply's content (fenced or
 * not; `<think>` reasoning removed) is read with `parseTracker` and must hold BASS, DRUMS, PIANO and SAX with
 * exactly the requested steps, notes inside each instrument's range. A failed try — timeout, network error,
 * HTTP 5xx/408/409, 429, unusable reply — is retried `retries` times; a refused key (401/403), another 4xx
 * or an abort is not. After the last try it throws {@link LlmError}.
 *
 * The key is only ever put in the `Authorization` header: it is not logged (nothing here logs), not part of
 * the source's `toString()`, JSON or `util.inspect` form, and removed from any error message even when the
 * server echoes it.
 *
 * @throws CompositionError when an option is invalid (naming it and the allowed values).
 */
export function createLlmSectionSource(options: LlmSourceOptions): LlmSectionSource {
  return new ChatCompletionsSource(options)
}
