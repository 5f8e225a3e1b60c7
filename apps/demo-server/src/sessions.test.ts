import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import midiFile from 'midi-file'
import type { Section } from '@auralis/protocol'
import { listen, startTestServer } from './stream-test-support.js'
import type { RunningServer } from './server.js'

let running: (RunningServer & { logs: () => string[] }) | undefined
const closers: (() => void)[] = []
afterEach(async () => {
  closers.splice(0).forEach((c) => c())
  await running?.close()
  running = undefined
})

const post = (url: string, body: unknown, raw = false) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) })

describe('private sessions', () => {
  it('creates a session with an opaque 128-bit id and streams it; controls apply from the announced bar', async () => {
    running = await startTestServer()
    const res = await post(`${running.url}/api/sessions`, { style: 'jazz', seed: 11, controls: { bpm: 240 } })
    expect(res.status).toBe(201)
    const created = await res.json()
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{22}$/) // 16 random bytes, base64url
    expect(created).toMatchObject({ events: `/api/sessions/${created.id}/events`, ws: `/api/sessions/${created.id}/ws` })
    const l = listen(running.url + created.events)
    closers.push(() => l.es.close())
    await l.until((g) => g.filter((x) => x.type === 'section').length >= 2)
    const applied = await (await post(`${running.url}/api/sessions/${created.id}/controls`, { bpm: 180, intensity: 0.9 })).json()
    expect(applied).toMatchObject({ controls: { bpm: 180, intensity: 0.9, style: 'jazz' } })
    await l.until((g) => g.some((x) => x.type === 'section' && x.data.bar > applied.bar + 1), 15_000)
    const announced = l.got.find((g) => g.type === 'controls' && g.data.bar === applied.bar)
    expect(announced).toBeDefined()
    for (const s of l.sections().map((x) => x.data as Section)) {
      expect(s.bpm).toBe(s.bar >= applied.bar ? 180 : 240)
      if (s.bar === applied.bar) expect(s.startTime).toBeCloseTo(applied.time, 6)
    }
  }, 30_000)

  it('answers invalid bodies with 400 and the schema message, unknown ids with 404, and keeps serving', async () => {
    running = await startTestServer()
    const bad = await post(`${running.url}/api/sessions`, { style: 'polka' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).message).toMatch(/style/)
    const { id } = await (await post(`${running.url}/api/sessions`, { style: 'ambient' })).json()
    const badBpm = await post(`${running.url}/api/sessions/${id}/controls`, { bpm: 500 })
    expect(badBpm.status).toBe(400)
    expect((await badBpm.json()).message).toMatch(/bpm/)
    expect((await post(`${running.url}/api/sessions/${id}/controls`, {})).status).toBe(400)
    expect((await post(`${running.url}/api/sessions/nope/controls`, { bpm: 100 })).status).toBe(404)
    expect((await fetch(`${running.url}/api/sessions/${id}/export.mid?from=abc`)).status).toBe(400)
    expect((await fetch(`${running.url}/api/sessions/${id}/export.mid?from=5&to=2`)).status).toBe(400)
    expect((await fetch(`${running.url}/api/sessions/nope/export.txt`)).status).toBe(404)
  })

  it('fuzzed bodies and queries always get a 4xx (never 5xx) and the server keeps serving', async () => {
    running = await startTestServer({ sessionRate: { burst: 10_000, perSecond: 1000 } })
    const { id } = await (await post(`${running.url}/api/sessions`, { style: 'jazz' })).json()
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.constantFrom('{', '[1,', 'null', '"x"', '{"style":"jazz","llm":{"provider":"groq"}}')),
      fc.constantFrom('/api/sessions', `/api/sessions/${id}/controls`),
      async (body, path) => {
        const res = await post(running!.url + path, body, true)
        const ok = res.status === 201 || (res.status === 200 && path.endsWith('/controls'))
        expect(ok || (res.status >= 400 && res.status < 500)).toBe(true)
        await res.body?.cancel()
      },
    ), { numRuns: 150, seed: 42 })
    await fc.assert(fc.asyncProperty(fc.string(), fc.string(), async (from, to) => {
      const res = await fetch(`${running!.url}/api/sessions/${id}/export.txt?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
      expect(res.status).toBeLessThan(500)
      await res.body?.cancel()
    }), { numRuns: 60, seed: 7 })
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  }, 60_000)

  it('rate-limits session creation per client address with 429 and Retry-After', async () => {
    running = await startTestServer({ sessionRate: { burst: 3, perSecond: 0.01 } })
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await post(`${running.url}/api/sessions`, { style: 'ambient' })).status)
    expect(codes).toEqual([201, 201, 201, 429, 429])
    const limited = await post(`${running.url}/api/sessions`, { style: 'ambient' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('reclaims a session with no listener after the idle time, ending it for good (404)', async () => {
    running = await startTestServer({ sessionIdleMs: 600, reclaimEveryMs: 100 })
    const { id } = await (await post(`${running.url}/api/sessions`, { style: 'ambient' })).json()
    const kept = await (await post(`${running.url}/api/sessions`, { style: 'ambient' })).json()
    const l = listen(`${running.url}/api/sessions/${kept.id}/events`)
    closers.push(() => l.es.close())
    await new Promise((r) => setTimeout(r, 1500))
    expect((await fetch(`${running.url}/api/sessions/${id}`)).status).toBe(404)
    expect((await fetch(`${running.url}/api/sessions/${kept.id}`)).status).toBe(200)
    expect(running.streams.sessionCount()).toBe(1)
  })

  it('DELETE ends the session and its listeners get a last message', async () => {
    running = await startTestServer()
    const { id, events } = await (await post(`${running.url}/api/sessions`, { style: 'jazz' })).json()
    const l = listen(running.url + events)
    closers.push(() => l.es.close())
    await l.until((g) => g.some((x) => x.type === 'hello'))
    expect((await fetch(`${running.url}/api/sessions/${id}`, { method: 'DELETE' })).status).toBe(204)
    await l.until((g) => g.some((x) => x.type === 'error' && x.data.code === 'session_ended'))
    expect((await fetch(`${running.url}/api/sessions/${id}`, { method: 'DELETE' })).status).toBe(404)
  })

  it('exports what the session has played as MIDI (readable by midi-file) and tracker text, with a time range', async () => {
    running = await startTestServer()
    const { id } = await (await post(`${running.url}/api/sessions`, { style: 'jazz', controls: { bpm: 240 } })).json()
    await new Promise((r) => setTimeout(r, 2600))
    const mid = await fetch(`${running.url}/api/sessions/${id}/export.mid`)
    expect(mid.status).toBe(200)
    expect(mid.headers.get('content-type')).toBe('audio/midi')
    const parsed = midiFile.parseMidi(new Uint8Array(await mid.arrayBuffer()))
    expect(parsed.header.format).toBe(1)
    const noteOns = parsed.tracks.flat().filter((e: { type: string; velocity?: number }) => e.type === 'noteOn' && e.velocity! > 0)
    expect(noteOns.length).toBeGreaterThan(10)
    const txt = await (await fetch(`${running.url}/api/sessions/${id}/export.txt?from=0&to=1`)).text()
    expect(txt).toMatch(/^# section 0 /)
    expect(txt).toContain('BASS')
    expect(txt).not.toContain('# section 2 ')
  })
})
