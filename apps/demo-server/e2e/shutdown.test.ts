import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { listen } from '../src/stream-test-support.js'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))

describe('the built server as a process', () => {
  it('prints one listening line, serves /health, and on SIGTERM ends streams with a final message and exits 0 within seconds', async () => {
    const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 15_000)
      child.stdout.on('data', () => {
        const m = /^Auralis listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)
        if (m) { clearTimeout(t); resolve(m[1]) }
      })
    })
    expect(out.split('\n').filter((l) => l.startsWith('Auralis listening on'))).toHaveLength(1)
    await expect.poll(async () => (await fetch(`${url}/health`)).status, { timeout: 10_000 }).toBe(200)
    const l = listen(`${url}/api/stations/ambient/events`)
    await l.until((g) => g.some((x) => x.type === 'hello'))
    const t0 = Date.now()
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    await l.until((g) => g.some((x) => x.type === 'error' && x.data.code === 'shutdown'), 5000)
    l.es.close()
    expect(await exited).toBe(0)
    expect(Date.now() - t0).toBeLessThan(5000)
    await expect(fetch(`${url}/health`)).rejects.toThrow()
  }, 40_000)
})
