/**
 * A synthetic audio-mode station for the browser tests: PCM16 stereo of a known signal (440 Hz + 523.25 Hz),
 * 100 ms `audio` chunks published 0.6 s ahead of their start into a replay log, served over SSE (resume by
 * Last-Event-ID, no backlog for a first connect, as the demo server does) from a cross-origin isolated
 * node:http server that also serves the test page and `/api/time`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bytesToBase64, encodeSseMessage, encodeSseRetry, parseMessage, type ServerMessage } from '@auralis/protocol'

/** Sample rate of the station. */
export const STATION_RATE = 48_000
const CHUNK = 4800

/** The station's signal at stream frame `f` (both channels). */
export function stationSignal(f: number): number {
  const t = f / STATION_RATE
  return 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.15 * Math.sin(2 * Math.PI * 523.25 * t)
}

/** Largest sample-to-sample step of the signal (int16-rounded): a larger one at the output is a click. */
export const SIGNAL_MAX_STEP = (2 * Math.PI * (0.3 * 440 + 0.15 * 523.25)) / STATION_RATE + 2 / 32768

/** A running audio station server. */
export interface AudioStationServer {
  readonly origin: string
  /** Stream epoch (server ms). */
  readonly epoch: number
  /** Cuts every open stream connection abruptly. */
  dropAll(): number
  /** Answers stream requests with 503 for this long (ms). */
  refuseFor(ms: number): void
  /** Stream connections accepted so far (with the Last-Event-ID each sent). */
  readonly connections: (string | undefined)[]
  close(): Promise<void>
}

const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' }

/** Starts the station and its server (page routes: path → [content type, body]). */
export async function startAudioStation(files: Record<string, [string, string]>): Promise<AudioStationServer> {
  const epoch = Date.now() - 10_000
  const log: { id: number; text: string }[] = []
  const clients = new Set<ServerResponse>()
  const connections: (string | undefined)[] = []
  let next = Math.ceil((Date.now() - epoch) / 100) + 6
  let refuseUntil = 0
  const publish = () => {
    while (epoch + next * 100 - 600 <= Date.now()) {
      const bytes = new Uint8Array(CHUNK * 4)
      const v = new DataView(bytes.buffer)
      for (let i = 0; i < CHUNK; i++) {
        const s = Math.max(-32768, Math.min(32767, Math.round(stationSignal(next * CHUNK + i) * 32768)))
        v.setInt16(i * 4, s, true)
        v.setInt16(i * 4 + 2, s, true)
      }
      const msg = parseMessage({ type: 'audio', data: { seq: next, startTime: next / 10, codec: 'pcm16', sampleRate: STATION_RATE, channels: 2, frames: CHUNK, data: bytesToBase64(bytes) } })
      const entry = { id: next, text: encodeSseMessage(msg, next) }
      log.push(entry)
      if (log.length > 200) log.shift()
      for (const c of clients) c.write(entry.text)
      next++
    }
  }
  const timer = setInterval(publish, 10)
  const hello = (): ServerMessage => parseMessage({ type: 'hello', data: {
    protocol: 1, stream: 'tone', kind: 'station', epoch, serverTime: Date.now(),
    controls: { key: 'A', mode: 'aeolian', bpm: 120, intensity: 0.5, style: 'ambient' }, mode: 'audio',
    audio: { codec: 'pcm16', sampleRate: STATION_RATE, channels: 2 },
  } })
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/api/time') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...ISOLATION }).end(JSON.stringify({ serverTime: Date.now() }))
      return
    }
    if (url.pathname === '/api/stations/tone/events') {
      if (Date.now() < refuseUntil) {
        res.writeHead(503, ISOLATION).end('busy')
        return
      }
      const last = (req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('lastEventId') ?? undefined
      connections.push(last)
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', ...ISOLATION })
      res.write(encodeSseRetry(100) + '\n')
      res.write(encodeSseMessage(hello()))
      if (last !== undefined) for (const e of log) if (e.id > Number(last)) res.write(e.text)
      clients.add(res)
      res.on('close', () => clients.delete(res))
      return
    }
    const f = files[url.pathname]
    if (f) res.writeHead(200, { 'content-type': f[0], ...ISOLATION }).end(f[1])
    else res.writeHead(404, ISOLATION).end('not found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    epoch,
    connections,
    dropAll() {
      const n = clients.size
      for (const c of clients) c.socket?.destroy()
      clients.clear()
      return n
    },
    refuseFor(ms) {
      refuseUntil = Date.now() + ms
    },
    close: async () => {
      clearInterval(timer)
      for (const c of clients) c.socket?.destroy()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
