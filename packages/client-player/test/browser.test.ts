/**
 * Browser tests: the real player in headless Chromium against real test servers (SSE, WebSocket,
 * /api/time on 127.0.0.1), sound checked with an AudioWorklet tap on the master output.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle, launchBrowser, startServer, TEST_PAGE, type TestServer } from './support/harness.js'
import type { StationSpec } from './support/station.js'

const sustain: StationSpec = { id: 'sustain', bpm: 120, events: () => [{ t: 0, d: 1.9, inst: 'lead', note: 69, vel: 100 }] }
const pulse: StationSpec = {
  id: 'pulse', bpm: 240,
  events: () => [0, 0.25, 0.5, 0.75].map((t) => ({ t, d: 0.05, inst: 'hat' as const, note: 42, vel: 120 })),
}

let browser: Browser
let server: TestServer
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  const [pageJs, embedJs, b] = await Promise.all([bundle('test/fixtures/page.ts'), bundle('src/embed.ts', true), launchBrowser()])
  browser = b
  server = await startServer([sustain, pulse], {
    '/': ['text/html', TEST_PAGE],
    '/bundle.js': ['text/javascript', pageJs],
    '/embed.js': ['text/javascript', embedJs],
  })
}, 30_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  console.log('client-player browser figures', JSON.stringify(figures))
})

async function openPage(): Promise<Page> {
  const page = await browser.newPage()
  page.on('pageerror', (e) => console.error('pageerror', e))
  await page.goto(server.origin + '/')
  await page.waitForFunction(() => typeof window.T === 'object')
  return page
}

describe('tone output in headless Chromium', () => {
  it('is non-silent soon after play() and a sustained lead A4 measures 440 Hz', async () => {
    const page = await openPage()
    const url = `${server.origin}/api/stations/sustain`
    const r = await page.evaluate(async (url) => {
      const run = (window.run = window.T.makeRun({ url, transport: 'sse', output: 'tone' }))
      await run.start()
      const t0 = performance.now()
      while (performance.now() - t0 < 6000) {
        await new Promise((r) => setTimeout(r, 100))
        const n = run.notes[0]
        if (n && run.player.audioContext!.currentTime > n.time + 1.4) break
      }
      const tap = run.tap!
      const note = run.notes[0]
      const seg = tap.slice(note.time + 0.3, note.time + 1.5)
      const first = tap.firstSound(0.01)
      return {
        freq: window.T.dominantFrequency(seg.data, tap.sampleRate, 100, 2000),
        level: window.T.rms(seg.data),
        silenceBefore: window.T.rms(tap.slice(note.time - 0.2, note.time - 0.01).data),
        firstSound: first,
        noteTime: note.time,
        playCtx: run.playCalledCtx,
        stats: run.player.stats(),
        errors: run.errors,
        sampleRate: tap.sampleRate,
        ts: run.player.audioContext!.getOutputTimestamp(),
        baseLatency: run.player.audioContext!.baseLatency,
      }
    }, url)
    console.log(r)
    expect(r.errors).toEqual([])
    expect(Math.abs(r.freq - 440)).toBeLessThan(3)
    expect(r.level).toBeGreaterThan(0.02)
    await page.close()
  }, 20_000)
})
