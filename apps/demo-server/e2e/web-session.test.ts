/**
 * A private session in the web app: created from the form, steered (tempo and intensity) — the change is
 * heard from the bar the server announced (level and onset spacing of the tapped output), with its
 * control-to-audible latency measured; exports download; a screenshot of the app playing is kept in docs/.
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import { collectErrors, launchChromium } from './browser.js'
import { DRUM_IDS, envelope, fundamentalsHeard, median, midiHz, readSegment, sentNotes, tapInit, toDb } from './audio-tap.js'

const SCREENSHOT = fileURLToPath(new URL('../../../docs/screenshot-app.png', import.meta.url))
let browser: Browser
let running: RunningServer
const figures: Record<string, unknown> = {}

beforeAll(async () => {
  const webRoot = findWebRoot()
  if (!webRoot) throw new Error('@auralis/web is not built: run `pnpm build` first')
  running = await startTestServer({}, { webRoot })
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await running?.close()
  console.log('web session figures', JSON.stringify(figures))
})

describe('a private session in the app', () => {
  it('tempo 200 → 100 bpm and intensity 0.1 → 1 are heard from the announced bar; exports download; no console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors = collectErrors(page)
    await page.addInitScript(tapInit)
    await page.goto(running.url)
    await page.waitForFunction(() => 'auralis' in window)
    await page.evaluate(() => (window as any).__tap.hookApp())
    await page.selectOption('#f-style', 'jazz')
    await page.selectOption('#f-key', 'F')
    await page.fill('#f-bpm', '200')
    await page.locator('#f-intensity').fill('0.1')
    await page.click('#session-submit')
    await page.waitForFunction(() => (window as any).__tap.firstSoundWall(0.003, (window as any).__tap.clickAt), undefined, { timeout: 15_000, polling: 50 })
    expect(await page.locator('#session-submit').textContent()).toBe('Apply changes')
    await page.waitForTimeout(2000)

    await page.fill('#f-bpm', '100')
    await page.locator('#f-intensity').fill('1')
    await page.click('#session-submit')
    await page.waitForFunction(() => document.querySelector('#session-msg')?.getAttribute('data-bar'))
    const m = await page.evaluate(() => {
      const msg = document.querySelector('#session-msg')!
      return { click: (window as any).__tap.clickAt as number, bar: Number(msg.getAttribute('data-bar')), time: Number(msg.getAttribute('data-time')), text: msg.textContent, epoch: (window as any).auralis.epoch as number, sr: (window as any).__tap.sampleRate as number }
    })
    expect(m.text).toMatch(new RegExp(`^Applies from bar ${m.bar + 1} \\(in \\d+\\.\\d s\\)$`))
    const T = m.epoch + m.time * 1000 // wall (= server) ms the new controls start at
    await page.waitForFunction((t) => (window as any).__tap.nowWall() > t + 2600, T, { timeout: 15_000 })

    // Sections: the old controls up to the announced bar, the new ones from it.
    const sections: { bar: number; bpm: number; intensity: number }[] = await page.evaluate(() => (window as any).auralis.sections.map((s: any) => ({ bar: s.bar, bpm: s.bpm, intensity: s.intensity })))
    for (const s of sections) expect([s.bpm, s.intensity]).toEqual(s.bar < m.bar ? [200, 0.1] : [100, 1])
    for (const s of sections) expect(s.bpm).toBe(s.bar < m.bar ? 200 : 100)
    expect(sections.some((s) => s.bar === m.bar)).toBe(true)

    // Level (intensity) and the fundamentals of the new bars' sustained notes, heard at their times.
    const seg = await readSegment(page, T - 2500, T + 2500)
    const db = toDb(envelope(seg, Math.round(m.sr / 100)))
    const levelBefore = median(db.slice(0, 240)) // T-2500 … T-100
    const levelAfter = median(db.slice(260)) // T+100 … T+2500
    const raw = await page.evaluate(() => ({ sections: (window as any).auralis.sections, epoch: (window as any).auralis.epoch }))
    const fresh = sentNotes(raw.sections.filter((s: { bar: number }) => s.bar >= m.bar), raw.epoch)
      .filter((n) => !DRUM_IDS.has(n.inst) && n.ms >= 300 && midiHz(n.note) >= 100 && n.at + Math.min(n.ms, 1000) < T + 2500)
    expect(fresh.length).toBeGreaterThanOrEqual(3)
    const heard = await fundamentalsHeard(page, fresh, m.sr)
    const detected = fresh.filter((_, i) => heard[i] >= 10)
    const firstHeard = Math.min(...detected.map((n) => n.at))
    figures.steering = {
      announcedLeadMs: Math.round(T - m.click), controlToAudibleMs: Math.round(firstHeard - m.click), firstHeardAfterBarMs: Math.round(firstHeard - T),
      newNotes: fresh.length, newNotesHeard: detected.length, levelBeforeDb: Number(levelBefore.toFixed(1)), levelAfterDb: Number(levelAfter.toFixed(1)),
    }
    console.log('steering', JSON.stringify(figures.steering))
    expect(detected.length).toBeGreaterThanOrEqual(3)
    expect(detected.length / fresh.length).toBeGreaterThanOrEqual(0.5)
    expect(firstHeard - T).toBeGreaterThanOrEqual(0)
    // The change is heard from the start: the first new note heard is at most a beat (600 ms at 100 bpm) after the
    // first new note that could be heard (where that falls in the bar depends on what was composed).
    const firstSent = Math.min(...fresh.map((n) => n.at))
    expect(firstHeard - firstSent).toBeLessThanOrEqual(650)

    // The app shows what plays; exports download (MIDI header, tracker text with the quartet's columns).
    await expect.poll(() => page.locator('#np-detail').textContent()).toMatch(/^jazz · F \w+ · 100 bpm · bar \d+$/)
    expect(await page.locator('#chord').textContent()).not.toBe('—')
    expect(await page.locator('.tracker tr.now').count()).toBe(1)
    const mid_ = await fetch(new URL((await page.locator('#export-mid').getAttribute('href'))!, running.url))
    expect(mid_.status).toBe(200)
    expect(Buffer.from(await mid_.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('MThd')
    const txt = await (await fetch(new URL((await page.locator('#export-txt').getAttribute('href'))!, running.url))).text()
    expect(txt).toMatch(/^# section 0 /)
    expect(txt).toContain('BASS')
    expect(txt).toContain('DRUMS')

    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  }, 45_000)
})
