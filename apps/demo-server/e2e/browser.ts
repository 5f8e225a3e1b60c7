import { chromium, type Browser, type Page } from 'playwright-core'

/** Chromium flags that work on this kind of machine (closed network, root, no GPU). See PLATFORM.md. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required', '--disable-gpu',
]

/** Launches headless Chromium (CHROMIUM_PATH or /usr/bin/chromium). Fails loudly when it is missing. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] })
}

/** Collects console errors and uncaught page errors, so a test can assert there were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}
