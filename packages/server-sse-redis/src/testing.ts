/**
 * @packageDocumentation
 * Test support: a real `redis-server` child process on a free loopback port (Debian: `apt-get install
 * redis-server`). Import from `@auralis/server-sse-redis/testing`; it is not part of the store's runtime.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'

/** A redis-server started by {@link startRedisServer}. */
export interface RedisServerProcess {
  /** Its port on 127.0.0.1. */
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** The child process. */
  readonly child: ChildProcess
  /** Stops it (SIGTERM, then SIGKILL after 2 s); resolves once it has exited. */
  stop(): Promise<void>
  /** Kills it at once (SIGKILL), like a crash; resolves once it has exited. */
  kill(): Promise<void>
  /** Starts a fresh, empty redis-server on the same port (after {@link stop} or {@link kill}). */
  restart(): Promise<void>
}

/** Options of {@link startRedisServer}. */
export interface StartRedisOptions {
  /** Port to use (default: a free one). */
  port?: number
  /** The binary (default `redis-server` on the PATH, else `/usr/bin/redis-server`). */
  binary?: string
  /** How long to wait for PING to answer, ms (default 10,000). */
  timeoutMs?: number
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Path of the redis-server binary; throws a clear error when it is not installed. */
export function findRedisServer(binary?: string): string {
  for (const candidate of binary ? [binary] : ['redis-server', '/usr/bin/redis-server']) {
    const r = spawnSync(candidate, ['--version'], { encoding: 'utf8' })
    if (r.status === 0 && /Redis server/.test(r.stdout)) return candidate
  }
  throw new Error('redis-server is not installed (Debian: `apt-get install -y redis-server`); the Redis tests need a real one')
}

/** Sends PING over a raw socket; resolves true when it answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (d) => {
      text += d
      if (text.includes('\r\n')) done(text.startsWith('+PONG'))
    })
  })
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
  })
}

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no --daemonize no` as a child
 * process and resolves once it answers PING. Nothing is persisted: a restart starts empty.
 * @throws Error when redis-server is missing or does not answer within `timeoutMs`.
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServerProcess> {
  const binary = findRedisServer(options.binary)
  const port = options.port ?? (await freePort())
  const timeoutMs = options.timeoutMs ?? 10_000
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (d) => (stderr += d))
    const end = Date.now() + timeoutMs
    while (!(await ping(port))) {
      if (child.exitCode !== null || Date.now() > end) {
        child.kill('SIGKILL')
        throw new Error(`redis-server did not start on port ${port}: ${stderr.trim() || 'no answer to PING'}`)
      }
      await new Promise((r) => setTimeout(r, 25))
    }
    return child
  }
  let child = await launch()
  const stop = async (signal: NodeJS.Signals) => {
    const c = child
    if (c.exitCode !== null || c.signalCode !== null) return
    const timer = setTimeout(() => c.kill('SIGKILL'), 2000)
    c.kill(signal)
    await exited(c)
    clearTimeout(timer)
  }
  const server: RedisServerProcess = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get child() {
      return child
    },
    stop: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
    restart: async () => {
      await stop('SIGTERM')
      child = await launch()
    },
  }
  return server
}
