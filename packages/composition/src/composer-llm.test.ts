/**
 * The composer with the real LLM section source against a local chat-completions server on 127.0.0.1:
 * a good reply becomes an `llm` section; errors and slow replies fall back to the algorithmic jazz section.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SectionSchema } from '@auralis/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createComposer, createLlmSectionSource, parseTracker, toTracker, type ComposerOptions } from './index.js'

const KEY = 'sk-composer-test-0123456789abcdef'
let server: Server
let baseUrl: string
let next: { status: number; content: string; delayMs: number } = { status: 200, content: '', delayMs: 0 }
const auth: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      auth.push(String(req.headers.authorization))
      const { status, content, delayMs } = next
      const timer = setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(status === 200
          ? JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] })
          : JSON.stringify({ error: { message: 'server error' } }))
      }, delayMs)
      res.on('close', () => clearTimeout(timer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const opts: ComposerOptions = { style: 'jazz', seed: 12, key: 'Bb', mode: 'ionian', bpm: 150, intensity: 0.6, form: 'rhythm-changes' }

describe('composer + createLlmSectionSource (local server)', () => {
  it('plays the LLM section when the reply parses, with the tracker text it sent', async () => {
    // A "model" that answers with a quartet section written by another seed.
    const other = createComposer({ ...opts, seed: 99 }).next()
    const text = toTracker(other)
    next = { status: 200, content: text, delayMs: 0 }
    const llm = createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'test-model', timeoutMs: 2000, retries: 0 })
    const c = createComposer({ ...opts, llm })
    const s = await c.nextAsync()
    expect(s.source).toBe('llm')
    expect(SectionSchema.safeParse(s).success).toBe(true)
    const expected = parseTracker(text, { bpm: s.bpm, swing: s.swing }).events
    expect(s.events.length).toBe(expected.length)
    expect(s.events.map((e) => [e.inst, e.note])).toEqual(expected.map((e) => [e.inst, e.note]))
    expect(auth.at(-1)).toBe(`Bearer ${KEY}`)
    expect(JSON.stringify(c.snapshot())).not.toContain(KEY)
    expect(JSON.stringify(s)).not.toContain(KEY)
  })

  it('falls back on HTTP 500, on garbage and on a reply slower than the timeout', async () => {
    const llm = createLlmSectionSource({ baseUrl, apiKey: KEY, model: 'test-model', timeoutMs: 150, retries: 0 })
    for (const behaviour of [
      { status: 500, content: '', delayMs: 0 },
      { status: 200, content: 'I am sorry, I cannot write music.', delayMs: 0 },
      { status: 200, content: toTracker(createComposer(opts).next()), delayMs: 1000 },
    ]) {
      next = behaviour
      const c = createComposer({ ...opts, llm, llmTimeoutMs: 400 })
      const plain = createComposer(opts).next()
      const t0 = performance.now()
      const s = await c.nextAsync()
      expect(performance.now() - t0).toBeLessThan(900)
      expect(s.source).toBe('fallback')
      expect(JSON.stringify({ ...s, source: 'algorithmic' })).toBe(JSON.stringify(plain))
    }
  })
})
