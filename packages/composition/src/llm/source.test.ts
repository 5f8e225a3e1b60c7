import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { CompositionError } from '../errors.js'
import type { LlmSectionRequest } from '../llm-types.js'
import { stepTime } from '../tracker/swing.js'
import { LlmError } from './errors.js'
import { createLlmSectionSource } from './source.js'

const KEY = 'sk-test-7f3a9c1e5b2d4086aabbccddeeff0011'

/** What the fake chat-completions server does with the next request. */
type Behaviour =
  | { kind: 'reply'; content: string }
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'raw'; body: string }
  | { kind: 'slow'; ms: number; content: string }

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: { model: string; messages: { role: string; content: string }[]; temperature: number; stream: boolean }
}

let server: Server
let baseUrl: string
let script: Behaviour[] = []
let seen: Seen[] = []

function reply(res: ServerResponse, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }))
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":{"message":"not found"}}')
        return
      }
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      const b = script.shift() ?? { kind: 'status', status: 500, body: '{"error":{"message":"no script"}}' }
      if (b.kind === 'reply') reply(res, b.content)
      else if (b.kind === 'raw') res.writeHead(200, { 'content-type': 'application/json' }).end(b.body)
      else if (b.kind === 'status') res.writeHead(b.status, { 'content-type': 'application/json', ...b.headers }).end(b.body)
      else {
        const timer = setTimeout(() => reply(res, b.content), b.ms)
        res.on('close', () => clearTimeout(timer))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})

afterEach(() => {
  script = []
  seen = []
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const request: LlmSectionRequest = {
  bpm: 132,
  bars: 2,
  beatsPerBar: 4,
  stepsPerBeat: 4,
  swing: 0.67,
  key: 'C',
  mode: 'ionian',
  chords: [
    { bar: 0, beat: 0, symbol: 'Dm7' },
    { bar: 0, beat: 2, symbol: 'G7' },
    { bar: 1, beat: 0, symbol: 'Cmaj7' },
  ],
  previousTracker: 'BASS\n1 C2:80\n2 .',
}

/** A good 2-bar quartet in tracker text (32 steps each), numbered. */
function quartet(steps = 32, overrides: Partial<Record<'BASS' | 'DRUMS' | 'PIANO' | 'SAX', (i: number) => string>> = {}): string {
  const col: Record<'BASS' | 'DRUMS' | 'PIANO' | 'SAX', (i: number) => string> = {
    BASS: (i) => (i % 4 === 0 ? ['D2:90', 'F2:80', 'G1:85', 'B1:80', 'C2:92', 'E2:80', 'G2:82', 'E2:78'][(i / 4) % 8] : '.'),
    DRUMS: (i) => (i % 4 === 0 ? (i % 8 === 4 ? 'F#2:60,Eb3:80' : 'Eb3:80') : i % 4 === 2 ? 'Eb3:60' : '.'),
    PIANO: (i) => (i % 16 === 2 ? 'F3:60,A3:58,C4:62' : i % 16 === 3 ? '^' : i % 16 === 10 ? 'F3:60,B3:58,E4:62' : '.'),
    SAX: (i) => (i % 8 === 2 ? 'A4:90' : i % 8 === 4 ? 'C5:85' : i % 8 === 5 ? '^' : '.'),
    ...overrides,
  }
  return (['BASS', 'DRUMS', 'PIANO', 'SAX'] as const).map((h) => [h, ...Array.from({ length: steps }, (_, i) => `${i + 1} ${col[h](i)}`)].join('\n')).join('\n\n')
}

function expectNoKey(...things: unknown[]): void {
  for (const t of things) {
    const forms = [String(t), JSON.stringify(t) ?? '', inspect(t, { depth: 5, showHidden: true })]
    if (t instanceof Error) forms.push(t.message, t.stack ?? '')
    for (const f of forms) expect(f).not.toContain(KEY)
  }
}

async function failure(p: Promise<unknown>): Promise<LlmError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(LlmError)
    expectNoKey(e)
    return e as LlmError
  }
  throw new Error('expected the promise to reject')
}

describe('createLlmSectionSource against a local chat-completions server', () => {
  it('sends model, messages (tempo, chart, steps, drum map, previous section) and the bearer key; reads a good reply', async () => {
    script = [{ kind: 'reply', content: quartet() }]
    const source = createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'llama-test' })
    const out = await source.generate(request)

    expect(seen).toHaveLength(1)
    const r = seen[0]
    expect(r.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.body.model).toBe('llama-test')
    expect(r.body.stream).toBe(false)
    expect(r.body.messages.map((m) => m.role)).toEqual(['system', 'user'])
    const prompt = r.body.messages.map((m) => m.content).join('\n')
    expect(prompt).toContain('132 BPM')
    expect(prompt).toContain('| Dm7 G7 | Cmaj7 |')
    expect(prompt).toContain('bar 1 (steps 1–16): Dm7 from step 1, G7 from step 9')
    expect(prompt).toContain('32 steps per instrument')
    expect(prompt).toContain('C2 kick, D2 snare, F#2 closed hi-hat, Bb2 open hi-hat, Eb3 ride')
    expect(prompt).toContain('Key: C ionian')
    expect(prompt).toContain(request.previousTracker)

    // events: all four instruments, swing applied (the sax A4 on step 3 of each beat sits at 0.67 of the beat)
    expect(new Set(out.events.map((e) => e.inst))).toEqual(new Set(['bass', 'hat', 'ride', 'piano', 'sax']))
    const sax = out.events.filter((e) => e.note === 69)
    expect(sax.map((e) => e.t)).toEqual([2, 10, 18, 26].map((s) => stepTime(s, 132, 0.67)))
    expect(sax[0].t).toBeCloseTo((0.67 * 60) / 132, 12)
    expect(out.tracker.startsWith('BASS\n1 D2:90\n2 .')).toBe(true)
    for (let i = 1; i < out.events.length; i++) expect(out.events[i].t).toBeGreaterThanOrEqual(out.events[i - 1].t)
  })

  it('sends no Authorization header without a key (Ollama)', async () => {
    script = [{ kind: 'reply', content: quartet() }]
    await createLlmSectionSource({ baseUrl: `${baseUrl}/`, model: 'qwen2.5:3b' }).generate(request)
    expect(seen[0].headers.authorization).toBeUndefined()
  })

  it('reads a fenced reply wrapped in prose and reasoning', async () => {
    script = [{ kind: 'reply', content: `<think>Let me count 32 lines.\nBASS\n1 C9:1</think>Sure! Here is the section:\n\n\`\`\`text\n${quartet()}\n\`\`\`\n\nEnjoy the swing!` }]
    const out = await createLlmSectionSource({ baseUrl, model: 'm' }).generate(request)
    expect(out.events.filter((e) => e.inst === 'bass')).toHaveLength(8)
  })

  it('retries a malformed reply and succeeds on the second try', async () => {
    script = [
      { kind: 'reply', content: 'I am sorry, I cannot write music.' },
      { kind: 'reply', content: quartet() },
    ]
    const out = await createLlmSectionSource({ baseUrl, model: 'm', retryDelayMs: 0 }).generate(request)
    expect(seen).toHaveLength(2)
    expect(out.events.length).toBeGreaterThan(0)
  })

  it('fails with parse after the last try when step counts are wrong, naming the counts', async () => {
    script = [
      { kind: 'reply', content: quartet(31) },
      { kind: 'reply', content: quartet(32).replace(/\nDRUMS\n1 [^\n]*\n/, '\nDRUMS\n') },
    ]
    const err = await failure(createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'm', retries: 1, retryDelayMs: 0 }).generate(request))
    expect(seen).toHaveLength(2)
    expect(err.code).toBe('parse')
    expect(err.attempts).toBe(2)
    expect(err.message).toMatch(/every instrument needs 32 steps .*DRUMS \(line \d+\) has 31.*2 attempts/)
  })

  it('rejects notes outside the instruments’ ranges (or drum map), unless allowOutOfRange', async () => {
    const wild = quartet(32, { SAX: (i) => (i === 0 ? 'C7:90' : '.') })
    script = [{ kind: 'reply', content: wild }]
    const err = await failure(createLlmSectionSource({ baseUrl, model: 'm', retries: 0 }).generate(request))
    expect(err.code).toBe('parse')
    expect(err.message).toMatch(/outside their instrument's range \(first on line \d+: SAX: C7 \(96\) is outside the Tenor Sax range 52–84/)
    script = [{ kind: 'reply', content: wild }]
    const out = await createLlmSectionSource({ baseUrl, model: 'm', retries: 0, allowOutOfRange: true }).generate(request)
    expect(out.events.some((e) => e.inst === 'sax')).toBe(false)
  })

  it('fails with parse when a quartet instrument is missing, or the body is not JSON', async () => {
    script = [{ kind: 'reply', content: quartet().split('\n\nSAX')[0] }, { kind: 'raw', body: '<html>oops</html>' }, { kind: 'raw', body: '{"choices":[]}' }]
    const s = createLlmSectionSource({ baseUrl, model: 'm', retries: 0 })
    expect((await failure(s.generate(request))).message).toMatch(/lacks SAX/)
    expect((await failure(s.generate(request))).message).toMatch(/HTTP 200 reply is not JSON/)
    expect((await failure(s.generate(request))).message).toMatch(/no choices\[0\]\.message\.content/)
  })

  it('fails with auth on 401 at once (no retry), without echoing the key the server quoted', async () => {
    script = [{ kind: 'status', status: 401, body: JSON.stringify({ error: { message: `Invalid API Key ${KEY}`, type: 'invalid_request_error' } }) }]
    const err = await failure(createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'm', retries: 3, retryDelayMs: 0 }).generate(request))
    expect(seen).toHaveLength(1)
    expect(err).toMatchObject({ code: 'auth', status: 401, attempts: 1 })
    expect(err.message).toContain('Invalid API Key [redacted]')
  })

  it('fails with rate-limit on 429 after retrying, honouring a short Retry-After; gives up at once on a long one', async () => {
    const limited: Behaviour = { kind: 'status', status: 429, body: '{"error":{"message":"Rate limit reached"}}', headers: { 'retry-after': '0.05' } }
    script = [limited, limited]
    const t0 = performance.now()
    const err = await failure(createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'm', retries: 1, retryDelayMs: 0 }).generate(request))
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45)
    expect(seen).toHaveLength(2)
    expect(err).toMatchObject({ code: 'rate-limit', status: 429, attempts: 2 })

    seen = []
    script = [{ ...limited, headers: { 'retry-after': '60' } }]
    const err2 = await failure(createLlmSectionSource({ baseUrl, model: 'm', retries: 2 }).generate(request))
    expect(seen).toHaveLength(1)
    expect(err2.attempts).toBe(1)

    seen = []
    script = [limited, { kind: 'reply', content: quartet() }]
    await expect(createLlmSectionSource({ baseUrl, model: 'm', retryDelayMs: 0 }).generate(request)).resolves.toHaveProperty('tracker')
  })

  it('fails with http on 500 after retrying, and recovers when the retry succeeds; other 4xx are not retried', async () => {
    const boom: Behaviour = { kind: 'status', status: 500, body: 'Internal Server Error' }
    script = [boom, boom]
    const err = await failure(createLlmSectionSource({ baseUrl, model: 'm', retryDelayMs: 0 }).generate(request))
    expect(err).toMatchObject({ code: 'http', status: 500, attempts: 2 })
    expect(err.message).toMatch(/HTTP 500 Internal Server Error: Internal Server Error/)

    seen = []
    script = [boom, { kind: 'reply', content: quartet() }]
    await createLlmSectionSource({ baseUrl, model: 'm', retryDelayMs: 0 }).generate(request)
    expect(seen).toHaveLength(2)

    seen = []
    script = [{ kind: 'status', status: 404, body: '{"error":{"message":"model `m` does not exist"}}' }]
    const err404 = await failure(createLlmSectionSource({ baseUrl, model: 'm', retries: 2, retryDelayMs: 0 }).generate(request))
    expect(err404).toMatchObject({ code: 'http', status: 404, attempts: 1 })
    expect(err404.message).toContain('model `m` does not exist')
  })

  it('aborts a slow reply at timeoutMs and fails with timeout (per try, retries included)', async () => {
    script = [{ kind: 'slow', ms: 3000, content: quartet() }]
    let t0 = performance.now()
    const err = await failure(createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'm', timeoutMs: 300, retries: 0 }).generate(request))
    let took = performance.now() - t0
    expect(err).toMatchObject({ code: 'timeout', attempts: 1 })
    expect(err.message).toMatch(/no reply within 300 ms/)
    expect(took).toBeGreaterThanOrEqual(295)
    expect(took).toBeLessThan(300 + 250)

    seen = []
    script = [{ kind: 'slow', ms: 3000, content: quartet() }, { kind: 'slow', ms: 3000, content: quartet() }]
    t0 = performance.now()
    const err2 = await failure(createLlmSectionSource({ baseUrl, model: 'm', timeoutMs: 200, retries: 1, retryDelayMs: 50 }).generate(request))
    took = performance.now() - t0
    expect(seen).toHaveLength(2)
    expect(err2).toMatchObject({ code: 'timeout', attempts: 2 })
    expect(took).toBeGreaterThanOrEqual(2 * 200 + 50 - 5)
    expect(took).toBeLessThan(2 * 200 + 50 + 300)
  })

  it('a slow reply that arrives within timeoutMs is accepted', async () => {
    script = [{ kind: 'slow', ms: 100, content: quartet() }]
    const out = await createLlmSectionSource({ baseUrl, model: 'm', timeoutMs: 2000 }).generate(request)
    expect(out.events.length).toBeGreaterThan(0)
  })

  it('stops at once when the caller aborts, without retrying', async () => {
    script = [{ kind: 'slow', ms: 3000, content: quartet() }, { kind: 'slow', ms: 3000, content: quartet() }]
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const t0 = performance.now()
    const err = await failure(createLlmSectionSource({ baseUrl, model: 'm', timeoutMs: 5000, retries: 3 }).generate(request, controller.signal))
    expect(performance.now() - t0).toBeLessThan(100 + 250)
    expect(err.code).toBe('aborted')
    expect(seen).toHaveLength(1)
  })

  it('fails with network when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const err = await failure(createLlmSectionSource({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, model: 'm', retryDelayMs: 0 }).generate(request))
    expect(err).toMatchObject({ code: 'network', attempts: 2 })
    expect(err.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)/)
  })

  it('never shows the key: not in toString, JSON, inspect, errors, or any console output', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined))
    try {
      const source = createLlmSectionSource({ baseUrl: 'http://user:hunter2@127.0.0.1:9/v1', apiKey: KEY, model: 'm' })
      expectNoKey(source)
      expect(JSON.parse(JSON.stringify(source))).toEqual({ type: 'llm-section-source', model: 'm', baseUrl: 'http://127.0.0.1:9/v1', hasKey: true, timeoutMs: 8000, retries: 1 })
      expect(String(source)).toBe('LlmSectionSource(m at http://127.0.0.1:9/v1, with key)')
      expect(inspect(source)).not.toContain('hunter2')
      expect(Object.keys(source)).toEqual(['model', 'baseUrl'])
      // a composer snapshot-style copy carries nothing secret either
      expect(JSON.stringify({ ...source })).not.toContain(KEY)

      script = [
        { kind: 'status', status: 403, body: KEY },
        { kind: 'reply', content: `BASS\n1 ${KEY}` },
      ]
      const s2 = createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'm', retries: 0 })
      const e1 = await failure(s2.generate(request))
      expect(e1.code).toBe('auth')
      const e2 = await failure(s2.generate(request))
      expect(e2.code).toBe('parse')
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })

  it('rejects invalid options and requests with a CompositionError naming the field', async () => {
    expect(() => createLlmSectionSource({ baseUrl: 'not a url', model: 'm' })).toThrow(CompositionError)
    expect(() => createLlmSectionSource({ baseUrl: 'ftp://x/v1', model: 'm' })).toThrow(/baseUrl/)
    expect(() => createLlmSectionSource({ baseUrl, model: '' })).toThrow(/^model/)
    expect(() => createLlmSectionSource({ baseUrl, model: 'm', timeoutMs: 0 })).toThrow(/timeoutMs: got 0 \(allowed: an integer from 1 to 600000\)/)
    expect(() => createLlmSectionSource({ baseUrl, model: 'm', retries: -1 })).toThrow(/retries/)
    const s = createLlmSectionSource({ baseUrl, model: 'm' })
    await expect(s.generate({ ...request, bars: 0 })).rejects.toThrow(/bars/)
    await expect(s.generate({ ...request, swing: 0.9 })).rejects.toThrow(CompositionError)
    expect(seen).toHaveLength(0)
  })
})
