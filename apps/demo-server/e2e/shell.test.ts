import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { startServer, type RunningServer } from '../src/server.js'
import { memoryLogger, testConfig } from '../src/test-support.js'
import { collectErrors, launchChromium } from './browser.js'

let browser: Browser
let running: RunningServer

beforeAll(async () => {
  const webRoot = findWebRoot()
  if (!webRoot) throw new Error('@auralis/web is not built: run `pnpm build` first')
  running = await startServer(testConfig({ webRoot }), { logger: memoryLogger().logger })
  browser = await launchChromium()
})
afterAll(async () => { await browser?.close(); await running?.close() })

describe('web app shell in headless Chromium', () => {
  it('loads cross-origin isolated, shows the server healthy, with no console errors', async () => {
    const page = await browser.newPage()
    const errors = collectErrors(page)
    await page.goto(running.url)
    await expect.poll(() => page.locator('#health').getAttribute('data-status')).toBe('ok')
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true)
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function')
    expect(await page.title()).toBe('Auralis')
    expect(errors).toEqual([])
  })
})
