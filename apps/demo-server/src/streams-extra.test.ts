import { afterEach, describe, expect, it } from 'vitest'
import { createServer, get, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocket } from 'ws'
import { listen, startTestServer } from './stream-test-support.js'
import type { RunningServer } from './server.js'

let running: (RunningServer & { logs: () => string[] }) | undefined
const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
  await running?.close()
  running = undefined
})

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** A local server speaking the OpenAI chat-completions wire protocol, answering with junk so the composer falls back. */
async function fakeLlm(): Promise<{ url: string; auth: string[]; server: Server }> {
  const auth: string[] = []
  const server = createServer((req, res) => {
    auth.push(String(req.headers.authorization))
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'not a tracker' }, finish_reason: 'stop' }] }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, auth, server }
}

describe('demo server streams: WebSocket, metrics, secrets, fan-out', () => {
  it('serves the same stream over WebSocket (JSON frames with ids) and takes controls from a session client', async () => {
    running = await startTestServer()
    const { id, ws: wsPath } = await (await post(`${running.url}/api/sessions`, { style: 'ambient', controls: { bpm: 240 } })).json()
    const ws = new WebSocket(running.url.replace('http', 'ws') + wsPath)
    cleanups.push(() => ws.close())
    const frames: { type: string; id?: string; data: any }[] = []
    ws.on('message', (d) => frames.push(JSON.parse(String(d))))
    await new Promise((r) => ws.once('open', r))
    const until = async (pred: () => boolean) => { for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 20)); expect(pred()).toBe(true) }
    await until(() => frames.some((f) => f.type === 'section'))
    expect(frames[0]).toMatchObject({ type: 'hello', data: { stream: id, kind: 'session' } })
    ws.send(JSON.stringify({ type: 'controls', data: { intensity: 0.1 } }))
    await until(() => frames.some((f) => f.type === 'controls' && f.data.controls.intensity === 0.1))
    ws.send('{"type":"controls","data":{"bpm":9999}}')
    await until(() => frames.some((f) => f.type === 'error' && /bpm/.test(f.data.message)))
  })

  it('exposes Prometheus metrics: listeners, sections, composition time, sessions', async () => {
    running = await startTestServer()
    const l = listen(`${running.url}/api/stations/jazz/events`)
    cleanups.push(() => l.es.close())
    await l.until((g) => g.filter((x) => x.type === 'section').length >= 2)
    await post(`${running.url}/api/sessions`, { style: 'jazz' })
    const text = await (await fetch(`${running.url}/metrics`)).text()
    expect(text).toMatch(/auralis_listeners\{stream="station:jazz"\} 1/)
    expect(text).toMatch(/auralis_sections_published_total\{kind="station"\} [1-9]/)
    expect(text).toMatch(/auralis_composition_seconds_count\{style="jazz"\} [1-9]/)
    expect(text).toMatch(/auralis_sessions 1/)
    expect(text).toMatch(/auralis_fallback_sections_total/)
  })

  it('never logs, stores or returns a session LLM key; the LLM gets it, the stream falls back to the jazz generator', async () => {
    const llm = await fakeLlm()
    cleanups.push(() => new Promise<void>((r) => llm.server.close(() => r())))
    running = await startTestServer()
    const key = 'sk-test-5f1d9e0c-very-secret'
    const res = await post(`${running.url}/api/sessions`, { style: 'jazz', controls: { bpm: 240 }, llm: { provider: 'openai-compatible', baseUrl: llm.url, apiKey: key, model: 'tiny' } })
    const created = await res.json()
    expect(JSON.stringify(created)).not.toContain(key)
    const l = listen(running.url + created.events)
    cleanups.push(() => l.es.close())
    await l.until((g) => g.filter((x) => x.type === 'section').length >= 2, 20_000)
    expect(l.sections().every((s) => s.data.source === 'fallback' || s.data.source === 'algorithmic')).toBe(true)
    expect(llm.auth).toContain(`Bearer ${key}`)
    const info = await (await fetch(`${running.url}/api/sessions/${created.id}`)).text()
    expect(info).not.toContain(key)
    const metrics = await (await fetch(`${running.url}/metrics`)).text()
    expect(metrics).not.toContain(key)
    expect(running.logs().length).toBeGreaterThan(0)
    expect(running.logs().join('\n')).not.toContain(key)
    expect(JSON.stringify(running.streams.get('session', created.id)!.conductor.snapshot())).not.toContain(key)
  }, 30_000)

  it('fans out to 1,000 concurrent SSE listeners: every one receives every section', async () => {
    running = await startTestServer()
    const url = new URL(`${running.url}/api/stations/ambient/events`)
    const N = 1000
    const seen: Set<string>[] = []
    const reqs: IncomingMessage[] = []
    const connectOne = (i: number) => new Promise<void>((resolve, reject) => {
      seen[i] = new Set()
      const req = get(url, { agent: false }, (res) => {
        reqs.push(res)
        res.setEncoding('utf8')
        let buf = ''
        res.on('data', (chunk: string) => {
          buf += chunk
          let at
          while ((at = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, at)
            buf = buf.slice(at + 2)
            if (frame.includes('event: section')) seen[i].add(/^id: ?(.*)$/m.exec(frame)![1])
          }
        })
        resolve()
      })
      req.on('error', reject)
    })
    // Connected in batches of 100: the listeners are concurrent; their SYNs need not all arrive in one instant.
    for (let b = 0; b < N; b += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => connectOne(b + k)))
    cleanups.push(() => reqs.forEach((r) => r.destroy()))
    expect(running.hub.clientCount('station:ambient')).toBe(N)
    // Sections published after everyone connected: ids above any id a client had at that moment.
    const { hub } = running
    const maxAtConnect = Math.max(0, ...seen.flatMap((s) => [...s].map(Number)))
    const start = hub.stats().published
    await new Promise((r) => setTimeout(r, 5000))
    expect(hub.stats().published - start).toBeGreaterThanOrEqual(2)
    const required = [...seen[0]].filter((id) => Number(id) > maxAtConnect)
    expect(required.length).toBeGreaterThanOrEqual(2)
    await new Promise((r) => setTimeout(r, 300))
    const missing = seen.reduce((n, s) => n + required.filter((id) => !s.has(id)).length, 0)
    expect(missing).toBe(0)
    expect(hub.stats().droppedSlowClients).toBe(0)
  }, 60_000)
})
