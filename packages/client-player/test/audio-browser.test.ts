/**
 * Browser tests of `output: 'audio'` in headless Chromium against a synthetic PCM16 station (a known
 * two-tone signal) on a cross-origin isolated node:http server: it plays the signal at its server time,
 * sample for sample; a dropped connection resumes by Last-Event-ID without an underrun or a click; a longer
 * outage goes silent without a click and comes back on server time.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bundle, launchBrowser } from './support/harness.js'
import { SIGNAL_MAX_STEP, startAudioStation, stationSignal, STATION_RATE, type AudioStationServer } from './support/audio-station.js'

let browser: Browser
let station: AudioStationServer
const figures: Record<string, unknown> = {}
const PAGE = '<!doctype html><meta charset="utf-8"><title>audio output test</title><script type="module" src="/bundle.js"></script>'

beforeAll(async () => {
  const [js, b] = await Promise.all([bundle('test/fixtures/audio-page.ts'), launchBrowser()])
  browser = b
  station = await startAudioStation({ '/': ['text/html', PAGE], '/bundle.js': ['text/javascript', js] })
}, 30_000)
afterAll(async () => {
  await browser?.close()
  await station?.close()
  console.log('client-player audio figures', JSON.stringify(figures))
})
const pages: Page[] = []
afterEach(async () => { await Promise.all(pages.splice(0).map((p) => p.close())) })

async function playing(): Promise<Page> {
  const page = await browser.newPage()
  pages.push(page)
  page.on('pageerror', (e) => console.error('pageerror', e))
  await page.goto(station.origin + '/')
  await page.waitForFunction(() => 'AP' in window)
  await page.evaluate((url) => (window as any).AP.start({ url, output: 'audio' }), `${station.origin}/api/stations/tone`)
  await page.waitForFunction(() => (window as any).AP.stats().audio.state === 'playing', undefined, { timeout: 10_000 })
  return page
}

const streamNow = (page: Page) => page.evaluate(() => (window as any).AP.streamNow() as number)
const stats = (page: Page) => page.evaluate(() => (window as any).AP.stats())

/** Best lag (samples, within ±maxLag) of `x` against the station's signal from stream time `fromS`, and the correlation there. */
function lagAgainstSignal(x: number[], fromS: number, maxLag: number): { lag: number; corr: number; maxErr: number } {
  const f0 = Math.round(fromS * STATION_RATE)
  let best = { lag: 0, corr: -Infinity, maxErr: Infinity }
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0, a = 0, b = 0, m = 0
    for (let i = 0; i < x.length; i++) {
      const y = Math.round(stationSignal(f0 + i - lag) * 32768) / 32768
      s += x[i] * y; a += x[i] * x[i]; b += y * y
      m = Math.max(m, Math.abs(x[i] - y))
    }
    const c = s / Math.sqrt(a * b)
    if (c > best.corr) best = { lag, corr: c, maxErr: m }
  }
  return best
}

describe('output "audio" in headless Chromium', () => {
  it('plays the stream at its server time, with its own int16 samples (PCM16 at 48 kHz)', async () => {
    const page = await playing()
    const t = (await streamNow(page)) + 0.8 // past the first frame received (0.6 s ahead) and its fade-in
    await page.waitForFunction((s) => (window as any).AP.streamNow() > s, t + 0.25)
    const x = (await page.evaluate(([a, b]) => (window as any).AP.played(a, b), [t, t + 0.1])) as number[]
    const s = await stats(page)
    const r = lagAgainstSignal(x, t, 480)
    figures.syncLagMs = (r.lag / STATION_RATE) * 1000
    figures.syncMaxErr = r.maxErr
    expect(x.some(Number.isNaN)).toBe(false)
    expect(r.corr).toBeGreaterThan(0.999)
    expect(Math.abs(r.lag)).toBeLessThanOrEqual(6 * 48) // within the 5 ms hysteresis of the player's server time
    // The int16 samples themselves (error < 1e-4 measured at rate 1); while a clock correction runs (±0.5 %
    // at most, e.g. when a loaded machine moves the clock estimate) linear interpolation stays within 1e-2.
    expect(r.maxErr).toBeLessThan(1e-2)
    const freq = await page.evaluate((x) => (window as any).AP.dominantFrequency(x, 48_000, 300, 480), (await page.evaluate(([a, b]) => (window as any).AP.played(a, b), [t - 0.3, t + 0.1])) as number[])
    expect(Math.abs(freq - 440)).toBeLessThan(1)
    expect(s.audio).toMatchObject({ state: 'playing', underruns: 0, overruns: 0, decodeErrors: 0, playbackRate: 1, format: { codec: 'pcm16', sampleRate: 48_000, channels: 2 } })
    expect(s.audio.bufferedMs).toBeGreaterThan(300)
    expect(await page.evaluate(() => (window as any).AP.state.errors)).toEqual([])
  }, 30_000)

  it('resumes a dropped connection by Last-Event-ID with no underrun, no duplicate audio played and no click', async () => {
    const page = await playing()
    const from = await streamNow(page)
    await page.waitForTimeout(700)
    expect(station.dropAll()).toBeGreaterThan(0)
    await page.waitForFunction(() => (window as any).AP.stats().reconnects >= 1, undefined, { timeout: 10_000 })
    await page.waitForTimeout(1200)
    const s = await stats(page)
    const step = await page.evaluate((f) => (window as any).AP.maxStep(f), from + 0.05)
    figures.dropResume = { duplicateMs: s.audio.duplicateMs, maxStep: step, lastEventIds: station.connections.slice(-2) }
    expect(station.connections.at(-1)).toMatch(/^\d+$/) // resumed from the last chunk id
    expect(s.audio).toMatchObject({ state: 'playing', underruns: 0, gaps: 0, skips: 0 })
    expect(step).toBeLessThanOrEqual(SIGNAL_MAX_STEP * 1.05)
  }, 30_000)

  it('goes silent on a 1.5 s outage (one underrun, no click) and comes back on server time', async () => {
    const page = await playing()
    const from = await streamNow(page)
    station.refuseFor(1500)
    station.dropAll()
    await page.waitForFunction(() => (window as any).AP.stats().audio.underruns >= 1, undefined, { timeout: 10_000 })
    await page.waitForFunction(() => (window as any).AP.stats().audio.state === 'playing', undefined, { timeout: 10_000 })
    const t = (await streamNow(page)) + 0.2
    await page.waitForFunction((s) => (window as any).AP.streamNow() > s, t + 0.25)
    const s = await stats(page)
    const step = await page.evaluate((f) => (window as any).AP.maxStep(f), from + 0.05)
    if (step > SIGNAL_MAX_STEP * 1.05) console.log('largest step', JSON.stringify(await page.evaluate((f) => (window as any).AP.stepAt(f), from + 0.05)), JSON.stringify(s.audio))
    const x = (await page.evaluate(([a, b]) => (window as any).AP.played(a, b), [t, t + 0.1])) as number[]
    const r = lagAgainstSignal(x, t, 480)
    figures.outage = { underrunMs: Math.round(s.audio.underrunMs), skippedMs: Math.round(s.audio.skippedMs), maxStep: step, lagMs: (r.lag / STATION_RATE) * 1000 }
    expect(s.audio.underruns).toBe(1)
    expect(s.audio.underrunMs).toBeGreaterThan(300)
    expect(s.audio.skippedMs).toBeGreaterThan(s.audio.underrunMs - 300) // the replayed stretch it missed is dropped, not played late
    expect(Math.abs(s.audio.delayMs)).toBeLessThan(6)
    expect(step).toBeLessThanOrEqual(SIGNAL_MAX_STEP * 1.05) // the tail decays and the restart fades in
    expect(r.corr).toBeGreaterThan(0.999)
    expect(Math.abs(r.lag)).toBeLessThanOrEqual(6 * 48)
  }, 30_000)
})
