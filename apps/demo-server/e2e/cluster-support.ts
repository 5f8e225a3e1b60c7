import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))

/** One demo-server process started by {@link spawnInstance}. */
export interface Instance {
  child: ChildProcess
  url: string
  pid: number
  /** Everything it printed (pino JSON lines and the listening line). */
  output: () => string
  /** Resolves when the process has exited. */
  exited: Promise<void>
}

/** Spawns the built server (`dist/main.js`) with PORT=0 and REDIS_URL; resolves once it prints its URL. */
export async function spawnInstance(redisUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', REDIS_URL: redisUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000)
    const check = () => {
      const m = /Auralis listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) { clearTimeout(t); child.stdout!.off('data', check); resolve(m[1]) }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)))
  })
  return { child, url, pid: child.pid!, output: () => out, exited }
}

/** Polls `fn` until it returns a truthy value (returned) or the timeout passes. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** HTTP status of `/health` (0 when the request fails). */
export async function health(url: string): Promise<number> {
  return fetch(`${url}/health`).then((r) => r.status, () => 0)
}
