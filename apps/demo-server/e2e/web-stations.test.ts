/**
 * The web app in headless Chromium against the real demo server: pressing play on each station makes the
 * app's audio graph (tapped with an AudioWorklet) non-silent within a measured time-to-first-sound, and
 * the spectrum holds the fundamentals of the sustained notes the stream sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { FAST_STATIONS, startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import { collectErrors, launchChromium } from './browser.js'
import { clearOfPartials, DRUM_IDS, midiHz, peakProminence, readSegment, rms, sentNotes, spectrum, tapInit } from './audio-tap.js'

// Ambient as the fast station (1 s bars of sustained pads); jazz at 100 bpm so notes last long enough
// (≥ 0.45 s) for a spectrum to resolve a semitone.
const STATIONS = [FAST_STATIONS[0], { id: 'jazz', name: 'Jazz', seed: 2, controls: { style: 'jazz' as const, key: 'Bb' as const, mode: 'ionian' as const, bpm: 100, intensity: 0.3 } }]
const SILENCE = 0.003
const DETECT_DB = 10

let browser: Browser
let running: RunningServer
export const figures: Record<string, unknown> = {}

beforeAll(async () => {
  const webRoot = findWebRoot()
  if (!webRoot) throw new Error('@auralis/web is not built: run `pnpm build` first')
  running = await startTestServer({ stations: STATIONS }, { webRoot })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await running?.close()
  console.log('web stations figures', JSON.stringify(figures))
})

const pages: Page[] = []
afterEach(async () => { await Promise.all(pages.splice(0).map((p) => p.close())) })

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage()
  pages.push(page)
  const errors = collectErrors(page)
  await page.addInitScript(tapInit)
  await page.goto(running.url)
  await page.waitForFunction(() => 'auralis' in window)
  await page.evaluate(() => (window as any).__tap.hookApp())
  return { page, errors }
}

describe('pressing play on each station in the app', () => {
  for (const station of STATIONS) {
    it(`${station.id}: sounds within a measured time, and the spectrum holds the notes sent`, async () => {
      const { page, errors } = await openApp()
      await page.locator(`button[data-station="${station.id}"]`).click()
      const first = await page.waitForFunction((t) => (window as any).__tap.firstSoundWall(t, (window as any).__tap.clickAt), SILENCE, { timeout: 15_000, polling: 50 })
      const r0 = await page.evaluate(() => ({ click: (window as any).__tap.clickAt as number, connected: (window as any).__tap.connected as number }))
      const ttfs = (await first.jsonValue()) - r0.click
      expect(r0.connected).toBe(1)
      expect(ttfs).toBeGreaterThan(0)
      expect(ttfs).toBeLessThan(3000)
      await page.waitForTimeout(4500)
      const r = await page.evaluate(() => {
        const host = (window as any).auralis
        return { now: (window as any).__tap.nowWall() as number, sr: (window as any).__tap.sampleRate as number, epoch: host.epoch as number, sections: host.sections, stats: host.player.stats() }
      })
      const firstAt = await first.jsonValue()
      // Non-silent from the first sound on: 3 in 4 of the 250 ms windows after it carry sound (a jazz rest may
      // fall silent for a moment, while the reverb's impulse response is still rendering).
      const played = await readSegment(page, firstAt, r.now - 100)
      const win = Math.round(r.sr / 4)
      const levels: number[] = []
      for (let i = 0; i + win <= played.length; i += win) levels.push(rms(played.subarray(i, i + win)))
      expect(levels.length).toBeGreaterThan(12)
      expect(levels.filter((l) => l > SILENCE).length / levels.length).toBeGreaterThanOrEqual(0.75)
      expect(rms(played)).toBeGreaterThan(0.01)

      // Fundamentals of the sustained pitched notes that played in the recorded span.
      const notes = sentNotes(r.sections, r.epoch)
      // Resolvable ones: no other note a semitone or a tone away sounds with them (a cluster's partials merge
      // in a spectrum of half a second).
      const pitched = notes.filter((n) => !DRUM_IDS.has(n.inst))
      const clustered = (n: (typeof notes)[number]): boolean =>
        pitched.some((m) => m !== n && m.at < n.at + Math.min(n.ms, 1000) && m.at + m.ms > n.at && [1, 2].includes(Math.abs(m.note - n.note)))
      const sustained = pitched.filter((n) => n.ms >= 450 && midiHz(n.note) >= 100 && n.at > firstAt + 50 && n.at + n.ms < r.now - 100 && !clustered(n))
      expect(sustained.length).toBeGreaterThanOrEqual(4)
      const found: number[] = []
      const control: number[] = []
      for (const n of sustained.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
        const w0 = n.at + 40
        const w1 = n.at + Math.min(n.ms, 1000) - 20
        const seg = await readSegment(page, w0, w1)
        const spec = spectrum(seg, r.sr)
        found.push(peakProminence(spec, midiHz(n.note)))
        // Reverb keeps notes ringing for a while after they end: they count as sounding for the control.
        const sounding = notes.filter((m) => m.at < w1 && m.at + m.ms + 2000 > w0 && !DRUM_IDS.has(m.inst)).map((m) => m.note)
        // Control: quarter-tone pitches (no note of the stream can sit there) clear of every sounding partial.
        for (const x of [n.note - 6.5, n.note - 4.5, n.note + 4.5, n.note + 6.5]) if (clearOfPartials(x, sounding, 6, 0.4)) control.push(peakProminence(spec, midiHz(x), 25))
      }
      const median = (x: number[]): number => [...x].sort((a, b) => a - b)[x.length >> 1]
      const rate = found.filter((db) => db >= DETECT_DB).length / found.length
      figures[station.id] = {
        timeToFirstSoundMs: Math.round(ttfs), sustainedNotes: found.length, detected: Number(rate.toFixed(2)),
        medianProminenceDb: Number(median(found).toFixed(1)),
        controlPitches: control.length, controlMedianDb: Number(median(control).toFixed(1)),
        stats: { late: r.stats.lateNotes, skipped: r.stats.skippedNotes, bufferS: Number(r.stats.bufferedAheadS.toFixed(2)), rttMs: Number(r.stats.rttMs?.toFixed(2)) },
      }
      expect(rate).toBeGreaterThanOrEqual(0.5)
      // Pitches no note of the stream can have stand out far less than the notes sent.
      expect(control.length).toBeGreaterThanOrEqual(4)
      expect(median(found) - median(control)).toBeGreaterThanOrEqual(6)
      // The stations list counts this page as a listener (it refreshes every few seconds).
      await expect.poll(() => page.locator(`.listeners[data-station="${station.id}"]`).getAttribute('data-count'), { timeout: 6000 }).toBe('1')
      expect(await page.locator(`button[data-station="${station.id}"]`).getAttribute('aria-pressed')).toBe('true')
      expect(errors).toEqual([])
    }, 40_000)
  }
})
