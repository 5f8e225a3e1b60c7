import { afterEach, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from './config.js'
import { startServer, type RunningServer } from './server.js'
import { memoryLogger, testConfig } from './test-support.js'

let running: RunningServer | undefined
afterEach(async () => { await running?.close(); running = undefined })

describe('demo server shell', () => {
  it('answers /health with 200 and ok when every check is ready, 503 when one is not', async () => {
    let ready = true
    running = await startServer(testConfig(), { logger: memoryLogger().logger, checks: [{ name: 'stations', ready: () => ready }] })
    const ok = await fetch(`${running.url}/health`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'ok', ready: true, checks: { stations: true } })
    ready = false
    const bad = await fetch(`${running.url}/health`)
    expect(bad.status).toBe(503)
    expect(await bad.json()).toMatchObject({ status: 'unready', checks: { stations: false } })
  })

  it('serves server time for clock sync, uncached and close to the local clock', async () => {
    running = await startServer(testConfig(), { logger: memoryLogger().logger })
    const before = Date.now()
    const res = await fetch(`${running.url}/api/time`)
    const { serverTime } = (await res.json()) as { serverTime: number }
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(serverTime).toBeGreaterThanOrEqual(before)
    expect(serverTime).toBeLessThanOrEqual(Date.now())
  })

  it('serves the web app with cross-origin isolation headers and falls back to index.html for app routes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'auralis-web-'))
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>shell</title>')
    running = await startServer(testConfig({ webRoot: root }), { logger: memoryLogger().logger })
    for (const path of ['/', '/sessions/abc']) {
      const res = await fetch(running.url + path)
      expect(res.status).toBe(200)
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp')
      expect(await res.text()).toContain('<title>shell</title>')
    }
  })

  it('answers unknown API routes with a JSON 404 and malformed JSON bodies with a 400, and keeps serving', async () => {
    running = await startServer(testConfig(), { logger: memoryLogger().logger })
    const missing = await fetch(`${running.url}/api/nothing-here`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ code: 'not_found' })
    const bad = await fetch(`${running.url}/api/nothing-here`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).code).toBe('bad_request')
    const big = await fetch(`${running.url}/api/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(100_000) }) })
    expect(big.status).toBe(413)
    expect((await fetch(`${running.url}/health`)).status).toBe(200)
  })

  it('allows cross-origin API calls (CORS preflight) for the embeddable player', async () => {
    running = await startServer(testConfig({ corsOrigins: ['http://example.test'] }), { logger: memoryLogger().logger })
    const res = await fetch(`${running.url}/api/time`, { method: 'OPTIONS', headers: { origin: 'http://example.test' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://example.test')
    const other = await fetch(`${running.url}/api/time`, { headers: { origin: 'http://evil.test' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('configuration', () => {
  it('defaults to 127.0.0.1:8080 and rejects bad values with a ConfigError naming the variable', () => {
    expect(loadConfig({}, { webRoot: null })).toMatchObject({ host: '127.0.0.1', port: 8080, corsOrigins: '*' })
    expect(() => loadConfig({ PORT: 'eighty' }, { webRoot: null })).toThrow(ConfigError)
    expect(() => loadConfig({ PORT: '70000' }, { webRoot: null })).toThrow(/PORT/)
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, { webRoot: null })).toThrow(/LOG_LEVEL/)
  })
})

describe('embed script', () => {
  it('serves /embed.js as a JavaScript module any origin may load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auralis-embed-'))
    writeFileSync(join(dir, 'embed.js'), 'export const x = 1\n')
    const { createApp } = await import('./app.js')
    const { createServer } = await import('node:http')
    const app = createApp({ config: testConfig(), logger: memoryLogger().logger, embedFile: join(dir, 'embed.js') })
    const server = createServer(app)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/embed.js`, { headers: { origin: 'http://elsewhere.test' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/javascript/)
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
      expect(await res.text()).toContain('export const x')
    } finally {
      server.close()
    }
  })
})

describe('embed bundle lookup', () => {
  it('finds the built <auralis-player> bundle of @auralis/client-player', async () => {
    const { findEmbedScript } = await import('./embed.js')
    const file = findEmbedScript()
    expect(file).toMatch(/client-player[\\/]dist[\\/]embed\.js$/)
  })
})
