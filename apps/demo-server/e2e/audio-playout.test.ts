/**
 * `output: 'audio'` of @auralis/client-player in headless Chromium against the real demo server's
 * audio-mode stations (in-process): the tapped output equals the server's own offline render of the same
 * sections (PCM16 near-exact, Opus highly correlated) at the server-time position the player's clock gives;
 * through a loopback proxy adding 50 ± 40 ms per chunk the default buffer plays with no underrun; binary
 * WebSocket frames play too; a page that is not cross-origin isolated gets a clear error. Figures
 * (time to first sound, bandwidth per listener, lag) are logged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { renderOffline } from '@auralis/synth-core'
import type { Section } from '@auralis/protocol'
import { listen, startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import type { StationDefinition } from '../src/stream/stations.js'
import { collectErrors, launchChromium } from './browser.js'
import { bestLag, decodeSegment, rms, tapInit } from './audio-tap.js'
import { PLAYOUT_PAGE, playoutPageInit } from './audio-playout-page.js'
import { startDelayProxy, type DelayProxy } from './audio-proxy.js'

const SR = 48_000
const SILENCE = 0.003
const station = (id: string, codec: 'opus' | 'pcm16'): StationDefinition =>
  ({ id, name: id, seed: 5, mode: 'audio', codec, controls: { style: 'ambient', key: 'C', mode: 'ionian', bpm: 240, intensity: 0.6 } })

let browser: Browser
let running: RunningServer
let webRoot: string
const proxies: DelayProxy[] = []
/** Every section of each station from its start (a Node listener connected before the first one was published). */
const allSections: Record<string, () => Section[]> = {}
const closers: (() => void)[] = []
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'auralis-audio-e2e-'))
  writeFileSync(join(webRoot, 'index.html'), PLAYOUT_PAGE)
  running = await startTestServer({ stations: [station('pcm', 'pcm16'), station('opus', 'opus')] }, { webRoot })
  for (const id of ['pcm', 'opus']) {
    const l = listen(`${running.url}/api/stations/${id}/events`, ['section'])
    closers.push(() => l.es.close())
    allSections[id] = () => l.sections().map((g) => g.data as Section)
  }
  browser = await launchChromium()
})
afterAll(async () => {
  closers.forEach((c) => c())
  await browser?.close()
  await Promise.all(proxies.map((p) => p.close()))
  await running?.close()
  rmSync(webRoot, { recursive: true, force: true })
  console.log('audio output figures', JSON.stringify(figures))
})
const pages: Page[] = []
afterEach(async () => { await Promise.all(pages.splice(0).map((p) => p.close())) })

async function proxy(delayMs = 0, jitterMs = 0): Promise<DelayProxy> {
  const p = await startDelayProxy(Number(new URL(running.url).port), delayMs, jitterMs, 42)
  proxies.push(p)
  return p
}

async function openPage(origin: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage()
  pages.push(page)
  const errors = collectErrors(page)
  await page.addInitScript(tapInit)
  await page.addInitScript(playoutPageInit)
  await page.goto(origin + '/')
  await page.waitForFunction(() => 'createPlayer' in window)
  return { page, errors }
}

/** Clicks play on a player of `id` and waits for the first sound; returns time-to-first-sound and its stream time. */
async function playStation(page: Page, origin: string, id: string, extra: Record<string, unknown> = {}) {
  await page.evaluate(([url, extra]) => (window as any).A.create({ url, output: 'audio', ...extra }), [`${origin}/api/stations/${id}`, extra] as const)
  await page.click('#play')
  const h = await page.waitForFunction((t) => (window as any).A.state.playing && (window as any).A.firstSoundWall(t), SILENCE, { timeout: 15_000, polling: 50 })
  const wall = (await h.jsonValue()) as number
  return page.evaluate((wall) => {
    const a = (window as any).A
    return { ttfsMs: wall - a.state.clickAt, firstS: a.streamAtWall(wall) as number, isolated: a.isolated() as boolean }
  }, wall)
}

async function waitStream(page: Page, untilS: number): Promise<void> {
  await page.waitForFunction((s) => (window as any).A.streamNow() >= s, untilS, { timeout: 20_000, polling: 100 })
}

/** Compares what played over [fromS, fromS + seconds) with the server's offline render of the same sections. */
async function compareWithRender(page: Page, id: string, fromS: number, seconds: number) {
  const played = decodeSegment(await page.evaluate(([a, b]) => (window as any).A.played(a, b) as string, [fromS, fromS + seconds]))
  const pageSections = await page.evaluate(() => (window as any).A.state.sections as Section[])
  const sections = allSections[id]()
  // The page's sections are the server's, byte for byte.
  for (const s of pageSections) expect(s).toEqual(sections.find((x) => x.index === s.index))
  const used = sections.filter((s) => s.startTime < fromS + seconds + 1)
  const { channels } = await renderOffline(used, { sampleRate: SR, channels: 2 })
  const at = Math.round((fromS - used[0].startTime) * SR)
  const ref = new Float32Array(played.length)
  for (let i = 0; i < ref.length; i++) ref[i] = 0.5 * (channels[0][at + i] + channels[1][at + i]) // the tap's mono mix
  const { lag, corr } = bestLag(ref, played, 960)
  // Error after alignment, relative to the reference's level.
  let e = 0, n = 0
  for (let i = Math.max(0, -lag); i < ref.length && i + lag < played.length; i++) { const d = played[i + lag] - ref[i]; if (!Number.isNaN(d)) { e += d * d; n++ } }
  const nan = played.filter(Number.isNaN).length
  return { lag, lagMs: (lag / SR) * 1000, corr, relError: Math.sqrt(e / n) / rms(ref), level: rms(ref), nan }
}

describe('output "audio" against the demo server', () => {
  it('PCM16: plays on server time and equals the server’s offline render (near-exact)', async () => {
    const via = await proxy()
    const { page, errors } = await openPage(via.origin)
    const first = await playStation(page, via.origin, 'pcm')
    expect(first.isolated).toBe(true)
    const from = first.firstS + 1
    await waitStream(page, from + 3.3)
    // Stats first: the offline render below blocks this process, the server's too.
    const stats = await page.evaluate(() => (window as any).A.stats())
    const r = await compareWithRender(page, 'pcm', from, 3)
    figures.pcm = { ttfsMs: Math.round(first.ttfsMs), ...r, kbpsWire: kbps(via, 'pcm', stats.audio.chunks) }
    expect(r.nan).toBe(0)
    expect(r.level).toBeGreaterThan(0.005)
    expect(r.corr).toBeGreaterThan(0.999)
    // Heard at its server time by the player's clock, within the rate control's 5 ms hysteresis (clock
    // estimates move by a few ms at each re-sync; the output does not chase them).
    expect(Math.abs(r.lagMs)).toBeLessThan(6)
    expect(r.relError).toBeLessThan(0.01)
    expect(stats.audio).toMatchObject({ state: 'playing', underruns: 0, decodeErrors: 0, format: { codec: 'pcm16', sampleRate: SR, channels: 2 } })
    expect(Math.abs(stats.audio.delayMs)).toBeLessThan(6)
    expect(first.ttfsMs).toBeLessThan(3000)
    expect(await page.evaluate(() => (window as any).A.state.errors)).toEqual([])
    expect(errors).toEqual([])
  }, 40_000)

  it('Opus: the decoded output correlates highly with the offline render, within the 80 kbit/s budget', async () => {
    const via = await proxy()
    const { page, errors } = await openPage(via.origin)
    const first = await playStation(page, via.origin, 'opus')
    const from = first.firstS + 1
    await waitStream(page, from + 3.3)
    const stats = await page.evaluate(() => (window as any).A.stats())
    const r = await compareWithRender(page, 'opus', from, 3)
    const wire = kbps(via, 'opus', stats.audio.chunks)
    // The stream also carries the sections (notes, for the now-playing display): their share, by their JSON size.
    const sectionBytes = await page.evaluate(() => ((window as any).A.state.sections as unknown[]).reduce((n: number, s) => n + JSON.stringify(s).length + 40, 0))
    const sectionKbps = Math.round((sectionBytes * 8) / (stats.audio.chunks * 0.1) / 100) / 10
    figures.opus = { ttfsMs: Math.round(first.ttfsMs), ...r, kbpsWire: wire, sectionKbps, payloadKbps: (stats.audio.payloadBytes * 8) / (stats.audio.chunks * 0.1) / 1000 }
    expect(r.nan).toBe(0)
    expect(r.corr).toBeGreaterThan(0.9)
    expect(Math.abs(r.lagMs)).toBeLessThan(6) // the encoder's 312-frame lookahead is compensated
    expect(stats.audio).toMatchObject({ state: 'playing', underruns: 0, decodeErrors: 0 })
    expect(wire - sectionKbps).toBeLessThanOrEqual(80 * 1.05) // the 80 kbit/s audio target, with HTTP/SSE framing and heartbeats
    expect(errors).toEqual([])
  }, 40_000)

  it('through a proxy adding 50 ± 40 ms per chunk, the default buffer plays 10+ s with no underrun', async () => {
    const via = await proxy(50, 40)
    const { page, errors } = await openPage(via.origin)
    const first = await playStation(page, via.origin, 'opus')
    await waitStream(page, first.firstS + 11)
    const stats = await page.evaluate(() => (window as any).A.stats())
    const played = decodeSegment(await page.evaluate(([a, b]) => (window as any).A.played(a, b) as string, [first.firstS, first.firstS + 10.5]))
    const win = SR / 4
    const levels: number[] = []
    for (let i = 0; i + win <= played.length; i += win) levels.push(rms(played.subarray(i, i + win)))
    // Chunks the server published after their start (its render fell behind real time: a loaded machine).
    const late = (await running.metrics.registry.getSingleMetric('auralis_audio_late_chunks_total')?.get())?.values.reduce((n, v) => n + v.value, 0)
    figures.jitter = { ttfsMs: Math.round(first.ttfsMs), bufferedMs: Math.round(stats.audio.bufferedMs), delayMs: stats.audio.delayMs, maxRateDeviation: stats.audio.maxRateDeviation, minLevel: Math.min(...levels), serverLateChunks: late }
    if (stats.audio.underruns > 0) console.log('jitter run with underruns', JSON.stringify({ audio: stats.audio, serverLateChunks: late }))
    expect(stats.audio).toMatchObject({ state: 'playing', underruns: 0, decodeErrors: 0, overruns: 0, bufferMs: 300 })
    expect(stats.audio.chunks).toBeGreaterThan(105)
    expect(stats.audio.maxRateDeviation).toBeLessThanOrEqual(0.005 + 1e-9)
    expect(Math.min(...levels)).toBeGreaterThan(SILENCE) // sound all the way through
    expect(errors).toEqual([])
  }, 40_000)

  it('plays binary WebSocket audio frames too', async () => {
    const { page, errors } = await openPage(running.url)
    const first = await playStation(page, running.url, 'opus', { transport: 'ws' })
    await waitStream(page, first.firstS + 3)
    const stats = await page.evaluate(() => (window as any).A.stats())
    expect(stats).toMatchObject({ transport: 'ws', connection: 'open' })
    expect(stats.audio).toMatchObject({ state: 'playing', underruns: 0, decodeErrors: 0 })
    expect(stats.audio.chunks).toBeGreaterThan(25)
    figures.wsPayloadKbps = (stats.audio.payloadBytes * 8) / (stats.audio.chunks * 0.1) / 1000
    expect(errors).toEqual([])
  }, 30_000)

  it('rejects play() with a clear audio-unavailable error on a page that is not cross-origin isolated', async () => {
    const page = await browser.newPage()
    pages.push(page)
    await page.route(`${running.url}/plain`, (route) => route.fulfill({ contentType: 'text/html', body: PLAYOUT_PAGE }))
    await page.goto(`${running.url}/plain`)
    await page.waitForFunction(() => 'createPlayer' in window)
    const r = await page.evaluate(async (url) => {
      const p = (window as any).createPlayer({ url, output: 'audio' })
      try {
        await p.play()
        return { ok: true, isolated: crossOriginIsolated }
      } catch (e) {
        return { ok: false, isolated: crossOriginIsolated, name: (e as Error).name, code: (e as any).code, message: (e as Error).message, state: p.state }
      }
    }, `${running.url}/api/stations/opus`)
    expect(r).toMatchObject({ ok: false, isolated: false, name: 'PlayerError', code: 'audio-unavailable', state: 'error' })
    expect(r.message).toMatch(/cross-origin isolated.*Cross-Origin-Opener-Policy/)
  }, 20_000)
})

/** Wire bit rate (kbit/s) of a station's event stream (HTTP, SSE framing, base64, sections, heartbeats) over the audio received. */
function kbps(via: DelayProxy, id: string, chunks: number): number {
  return Math.round(((via.delivered.get(`/api/stations/${id}/events`) ?? 0) * 8) / (chunks * 0.1) / 100) / 10
}
