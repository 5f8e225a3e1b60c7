/**
 * The web app on an audio-mode station: pressing Play on a station the server renders itself picks the
 * streamed-audio output, and the app's audio graph (tapped with an AudioWorklet) carries the server's sound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import { collectErrors, launchChromium } from './browser.js'
import { readSegment, rms, tapInit } from './audio-tap.js'

const SILENCE = 0.003
let browser: Browser
let running: RunningServer

beforeAll(async () => {
  const webRoot = findWebRoot()
  if (!webRoot) throw new Error('@auralis/web is not built: run `pnpm build` first')
  running = await startTestServer({
    stations: [{ id: 'radio', name: 'Radio', seed: 4, mode: 'audio', codec: 'opus', controls: { style: 'ambient', key: 'D', mode: 'dorian', bpm: 120, intensity: 0.6 } }],
  }, { webRoot })
  browser = await launchChromium()
})
afterAll(async () => { await browser?.close(); await running?.close() })

describe('an audio-mode station in the app', () => {
  it('plays the server-rendered Opus stream through the audio output: non-silent, no console errors', async () => {
    const page = await browser.newPage()
    const errors = collectErrors(page)
    await page.addInitScript(tapInit)
    await page.goto(running.url)
    await expect.poll(() => page.locator('button[data-station="radio"]').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => page.locator('.stations').textContent()).toContain('server audio')
    await page.evaluate(() => (window as any).__tap.hookApp())
    await page.locator('button[data-station="radio"]').click()
    const first = await page.waitForFunction((t) => (window as any).__tap.firstSoundWall(t, (window as any).__tap.clickAt), SILENCE, { timeout: 15_000, polling: 50 })
    const click = await page.evaluate(() => (window as any).__tap.clickAt as number)
    const firstAt = (await first.jsonValue()) as number
    console.log(`web app, audio station: first sound ${Math.round(firstAt - click)} ms after the click`)
    expect(firstAt - click).toBeLessThan(5000)
    await page.waitForTimeout(3000)
    const now = await page.evaluate(() => (window as any).__tap.nowWall() as number)
    const played = await readSegment(page, firstAt, now - 100)
    expect(rms(played)).toBeGreaterThan(0.005)
    const stats = await page.evaluate(() => (window as any).auralis.player.stats())
    expect(stats.audio?.state).toBe('playing')
    expect(errors).toEqual([])
  }, 60_000)
})
