import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import { launchChromium } from './browser.js'

let browser: Browser
let running: RunningServer

beforeAll(async () => {
  running = await startTestServer({}, { webRoot: findWebRoot() })
  browser = await launchChromium()
})
afterAll(async () => { await browser?.close(); await running?.close() })

describe('a dense, fast station in the app', () => {
  it('plays jazz at 240 bpm for 8 s without dropping notes for lack of voices, and the page stays responsive', async () => {
    const page = await browser.newPage()
    const warnings: string[] = []
    page.on('console', (m) => { if (/polyphony/i.test(m.text())) warnings.push(m.text()) })
    await page.goto(running.url)
    await page.locator('button[data-station="jazz"]').click()
    const t0 = Date.now()
    let slowest = 0
    while (Date.now() - t0 < 8000) {
      const s = Date.now()
      await page.evaluate(() => 1)
      slowest = Math.max(slowest, Date.now() - s)
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(warnings).toEqual([])
    expect(slowest).toBeLessThan(2000)
  }, 40_000)
})
