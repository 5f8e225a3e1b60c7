import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { rawClient, until } from './helpers.js'

const script = fileURLToPath(new URL('../examples/radio.mjs', import.meta.url))

describe('examples/radio.mjs (the README example, run against the built package)', () => {
  it('serves hello then ticks on the stream path, Express on the rest, and shuts down cleanly', async () => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
      await until(() => /listening on (http:\/\/\S+)/.test(out), 10_000, 'the example to listen')
      const base = /listening on (http:\/\/\S+)/.exec(out)![1]
      const c = await rawClient(`${base}/stations/demo/events`)
      const [hello, tick] = await c.waitFor(2, 5000)
      expect(hello.type).toBe('hello')
      expect(JSON.parse(hello.data)).toMatchObject({ room: 'demo' })
      expect(tick).toMatchObject({ type: 'tick' })
      expect(await (await fetch(`${base}/stats`)).json()).toMatchObject({ clients: 1 })
      expect(await (await fetch(base)).text()).toContain('EventSource')
      child.kill('SIGTERM')
      await c.ended
      expect(c.events.at(-1)).toMatchObject({ type: 'bye' })
      await until(() => child.exitCode !== null, 5000, 'the example to exit')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  }, 20_000)
})
