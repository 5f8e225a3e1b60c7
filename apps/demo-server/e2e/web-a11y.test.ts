/**
 * The web app on a phone-width screen and from the keyboard: nothing overflows sideways, every control has
 * an accessible name, a station plays with Tab + Enter, and an LLM key typed into the session form goes to
 * the server in the create request only — not into storage, the console, or the page afterwards.
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { findWebRoot } from '../src/web-root.js'
import { startTestServer } from '../src/stream-test-support.js'
import type { RunningServer } from '../src/server.js'
import { collectErrors, launchChromium } from './browser.js'

const SCREENSHOT = fileURLToPath(new URL('../../../docs/screenshot-phone.png', import.meta.url))
let browser: Browser
let running: RunningServer & { logs: () => string[] }

beforeAll(async () => {
  const webRoot = findWebRoot()
  if (!webRoot) throw new Error('@auralis/web is not built: run `pnpm build` first')
  running = await startTestServer({}, { webRoot })
  browser = await launchChromium()
})
afterAll(async () => { await browser?.close(); await running?.close() })

describe('the web app, accessible and phone-sized', () => {
  it('fits a 390 px screen, names every control, and plays a station from the keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 })
    const errors = collectErrors(page)
    await page.goto(running.url)
    await page.waitForSelector('button[data-station="jazz"]')
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, a[href], [tabindex]')]
      .filter((el) => {
        const e = el as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }
        return !(e.labels?.length || e.getAttribute('aria-label') || (e.tagName !== 'INPUT' && e.tagName !== 'SELECT' && e.textContent?.trim()))
      }).map((el) => el.outerHTML.slice(0, 80)))
    expect(unnamed).toEqual([])
    // Keyboard: Tab reaches the first station's button; Enter plays it; a visible focus ring is drawn.
    let focused = ''
    for (let i = 0; i < 10 && focused !== 'ambient'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.station ?? '')
    }
    expect(focused).toBe('ambient')
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('button[data-station="ambient"]').getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => page.locator('#np-live').textContent(), { timeout: 8000 }).toMatch(/^Now playing Ambient: ambient in A aeolian, 240 bpm$/)
    await page.waitForTimeout(1500)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: SCREENSHOT, fullPage: false })
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('button[data-station="ambient"]').getAttribute('aria-pressed')).toBe('false')
    expect(errors).toEqual([])
    await page.close()
  })

  it('sends an LLM key only in the create request: not stored, not logged, cleared from the form', async () => {
    const page = await browser.newPage()
    const consoleText: string[] = []
    page.on('console', (m) => consoleText.push(m.text()))
    const bodies: string[] = []
    page.on('request', (r) => { if (r.method() !== 'GET') bodies.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`) })
    await page.goto(running.url)
    const key = 'sk-test-secret-0123456789'
    await page.locator('details.llm summary').click()
    await page.selectOption('#f-llmProvider', 'openai-compatible')
    await page.fill('#f-llmBaseUrl', 'http://127.0.0.1:9/v1') // nothing listens: the session falls back to its own composer
    await page.fill('#f-llmModel', 'test-model')
    await page.fill('#f-llmKey', key)
    await page.click('#session-submit')
    await page.waitForSelector('#export-mid')
    const creates = bodies.filter((b) => b.startsWith('POST') && b.includes('/api/sessions '))
    expect(creates).toHaveLength(1)
    expect(JSON.parse(creates[0].slice(creates[0].indexOf(' {') + 1)).llm).toEqual({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'test-model', apiKey: key })
    expect(await page.inputValue('#f-llmKey')).toBe('')
    expect(await page.locator('#f-llmKey').isDisabled()).toBe(true)
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + document.body.innerHTML)
    expect(stored).not.toContain(key)
    expect(consoleText.join('\n')).not.toContain(key)
    expect(running.logs().join('\n')).not.toContain(key)
    await page.click('#session-end')
    await expect.poll(() => page.locator('#session-msg').textContent()).toBe('Session ended.')
    await page.close()
  })
})
