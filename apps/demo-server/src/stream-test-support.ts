import { EventSource } from 'eventsource'
import type { ServerConfig } from './config.js'
import { startServer, type RunningServer, type StartOptions } from './server.js'
import type { StationDefinition } from './stream/stations.js'
import { memoryLogger, testConfig } from './test-support.js'

/** Fast stations for tests: one bar at 240 bpm = 1 s sections. */
export const FAST_STATIONS: StationDefinition[] = [
  { id: 'ambient', name: 'Ambient', seed: 1, controls: { style: 'ambient', key: 'A', mode: 'aeolian', bpm: 240, intensity: 0.5 } },
  { id: 'jazz', name: 'Jazz', seed: 2, controls: { style: 'jazz', key: 'Bb', mode: 'ionian', bpm: 240, intensity: 0.6 } },
]

/** Starts a server with fast stations and a short lead; returns it with its captured log lines. */
export async function startTestServer(options: StartOptions = {}, config: Partial<ServerConfig> = {}): Promise<RunningServer & { logs: () => string[] }> {
  const { logger, lines } = memoryLogger()
  const running = await startServer(testConfig(config), { logger, stations: FAST_STATIONS, leadSeconds: 0.3, ...options })
  return Object.assign(running, { logs: lines })
}

/** One received SSE message. */
export interface Received {
  type: string
  id: string
  data: any
  /** Local `Date.now()` when it arrived. */
  at: number
}

/** Listens to an SSE stream with the independent `eventsource` client, recording every message. */
export function listen(url: string, types = ['hello', 'section', 'controls', 'reset', 'error'], headers: Record<string, string> = {}) {
  const got: Received[] = []
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
  })
  // A native EventSource 'error' (connection trouble) has no data; only the server's `error` messages do.
  for (const t of types) es.addEventListener(t, (e) => { if (typeof e.data === 'string') got.push({ type: t, id: e.lastEventId, data: JSON.parse(e.data), at: Date.now() }) })
  const until = async (pred: (got: Received[]) => boolean, timeoutMs = 10_000): Promise<void> => {
    const end = Date.now() + timeoutMs
    while (!pred(got)) {
      if (Date.now() > end) throw new Error(`timed out; got ${got.map((g) => `${g.type}#${g.id}`).join(' ')}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  return { es, got, until, sections: () => got.filter((g) => g.type === 'section') }
}
