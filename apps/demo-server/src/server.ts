import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino, type Logger } from 'pino'
import { createHub, type Hub } from '@auralis/server-sse'
import { audioMessageToChunk, encodeAudioFrame, parseClientMessage, ProtocolError, type AudioMessage } from '@auralis/protocol'
import { createApp, type HealthCheck } from './app.js'
import type { ServerConfig } from './config.js'
import { createMetrics, type Metrics } from './metrics.js'
import { createRateLimiter } from './rate-limit.js'
import { apiRoutes } from './routes/api.js'
import { DEFAULT_STATIONS, type StationDefinition } from './stream/stations.js'
import { StreamRegistry } from './stream/registry.js'
import type { Clock } from './stream/types.js'
import { startCluster, type Cluster } from './cluster/setup.js'

/** A running demo server. */
export interface RunningServer {
  /** The node:http server. */
  server: Server
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string
  /** The logger in use. */
  logger: Logger
  /** The fan-out hub. */
  hub: Hub
  /** Stations and sessions. */
  streams: StreamRegistry
  /** Prometheus metrics. */
  metrics: Metrics
  /** Scale-out parts when `REDIS_URL` is set. */
  cluster?: Cluster
  /** Graceful stop: streams end with a final message, no new connections; resolves when closed. */
  close(): Promise<void>
}

/** Options for {@link startServer}. */
export interface StartOptions {
  /** A logger to use (tests pass one writing to memory); default pino to stdout. */
  logger?: Logger
  /** Extra readiness checks reported by `/health`. */
  checks?: HealthCheck[]
  /** Stations to play (default: ambient and jazz). */
  stations?: readonly StationDefinition[]
  /** Clock for the conductors (tests). */
  clock?: Clock
  /** Seconds of lead beyond one section (default 1). */
  leadSeconds?: number
  /** Idle time after which a session without listeners is reclaimed, ms (default 5 min). */
  sessionIdleMs?: number
  /** How often idle sessions are looked for, ms (default 30 s). */
  reclaimEveryMs?: number
  /** Session creations allowed per address: burst and refill per second (default 10, 1 per 6 s). */
  sessionRate?: { burst: number; perSecond: number }
  /** Hub options worth tuning in tests. */
  hub?: { heartbeatMs?: number; maxQueueBytes?: number; replayCount?: number; replayAgeMs?: number }
  /** Scale-out tuning (with `config.redisUrl`): lease ttl and renewal period, outage log interval, key prefix. */
  cluster?: { lockTtlMs?: number; tickMs?: number; logIntervalMs?: number; prefix?: string }
}

const STREAM_PATH = /^\/api\/(stations|sessions)\/([A-Za-z0-9_-]{1,64})\/(events|ws)$/

/** Parses a stream path into its kind and id. */
function streamPath(pathname: string): { kind: 'station' | 'session'; id: string; transport: 'events' | 'ws' } | undefined {
  const m = STREAM_PATH.exec(pathname)
  return m ? { kind: m[1] === 'stations' ? 'station' : 'session', id: m[2], transport: m[3] as 'events' | 'ws' } : undefined
}

const SESSION_PATH = /^\/api\/sessions\/([A-Za-z0-9_-]{1,64})(?:\/|\?|$)/

/** The session id a request URL names, if any. */
function sessionIdOf(url: string | undefined): string | undefined {
  return url ? SESSION_PATH.exec(url)?.[1] : undefined
}

/** Starts the demo server on `config.host:config.port` and resolves once it listens. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, redact: { paths: ['*.apiKey', '*.*.apiKey', 'req.headers.authorization'], censor: '[redacted]' } })
  const metrics = createMetrics()
  let streams!: StreamRegistry
  const replay = { maxEntries: options.hub?.replayCount ?? 512, maxAgeMs: options.hub?.replayAgeMs ?? 10 * 60_000 }
  const sessionIdleMs = options.sessionIdleMs ?? 5 * 60_000
  const cluster = config.redisUrl
    ? startCluster({ url: config.redisUrl, logger, ...replay, sessionIdleMs, ...options.cluster })
    : undefined
  const hub = createHub({
    store: cluster?.store,
    heartbeatMs: options.hub?.heartbeatMs,
    maxQueueBytes: options.hub?.maxQueueBytes,
    replay,
    headers: config.corsOrigins === '*' ? { 'Access-Control-Allow-Origin': '*' } : {},
    onConnect: (client) => streams.onConnect(client),
    onDisconnect: (client) => streams.onDisconnect(client),
    onDrop: (client, info) => {
      metrics.droppedClients.inc()
      logger.warn({ room: client.room, queuedBytes: info.queuedBytes }, 'dropped a slow listener')
    },
    onError: (err) => logger.warn({ err: String(err) }, 'hub error'),
  })
  streams = new StreamRegistry({ hub, metrics, logger, clock: options.clock, leadSeconds: options.leadSeconds, sessionIdleMs: options.sessionIdleMs, coordinator: cluster?.coordinator })
  cluster?.attach(streams, (room) => hub.clientCount(room))
  for (const def of options.stations ?? DEFAULT_STATIONS) streams.startStation(def)

  const rate = options.sessionRate ?? { burst: 10, perSecond: 1 / 6 }
  const api = apiRoutes({ streams, hub, metrics, sessionLimiter: createRateLimiter(rate) })
  const checks: HealthCheck[] = [{ name: 'stations', ready: () => streams.ready() }, ...(cluster ? [cluster.check] : []), ...(options.checks ?? [])]
  const app = createApp({ config, logger, checks, api, metrics: metrics.registry })

  const roomOf = (_req: IncomingMessage, url: URL): string | undefined => {
    const p = streamPath(url.pathname)
    return p && p.transport === 'events' ? streams.roomFor(p.kind, p.id) : undefined
  }
  const serveStream = hub.route(roomOf)
  // Stream paths reach the hub before Express (its per-response prototype swap costs ~40% CPU on fan-out).
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!serveStream(req, res)) app(req, res)
  }
  const server = createServer((req, res) => {
    if (config.corsOrigins !== '*' && req.headers.origin && config.corsOrigins.includes(req.headers.origin)) {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin)
      res.setHeader('Vary', 'Origin')
    }
    // Scale-out: a session created on another instance is loaded from Redis before the request is routed.
    const session = cluster && sessionIdOf(req.url)
    if (session && !streams.get('session', session)) {
      cluster.coordinator.ensureSession(session).finally(() => handle(req, res))
      return
    }
    handle(req, res)
  })
  hub.attachWebSocket(server, {
    path: (pathname) => streamPath(pathname)?.transport === 'ws',
    room: (_req, url) => {
      const p = streamPath(url.pathname)
      if (p?.kind === 'session' && cluster && !streams.get('session', p.id)) {
        return cluster.coordinator.ensureSession(p.id).then(() => streams.roomFor('session', p.id))
      }
      return p ? streams.roomFor(p.kind, p.id) : undefined
    },
    // Audio goes out as one binary frame (header + raw Opus/PCM bytes), built once per message for all clients.
    binary: { audio: (entry) => encodeAudioFrame(audioMessageToChunk(JSON.parse(entry.data) as AudioMessage), entry.id) },
    onMessage: (client, data) => {
      const stream = streams.byRoom(client.room)
      try {
        const msg = parseClientMessage(String(data))
        if (stream?.kind !== 'session') throw new ProtocolError([{ path: ['type'], message: 'stations cannot be steered' }])
        streams.setControls(stream, msg.data).catch((err) => client.send('error', { code: 'unavailable', message: String(err instanceof Error ? err.message : err) }))
      } catch (err) {
        const message = err instanceof ProtocolError ? err.message : 'bad message'
        client.send('error', { code: 'invalid', message })
      }
    },
  })
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // A deep accept backlog so a reconnect storm (every listener returning at once after a restart) is not reset.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => { server.off('error', reject); resolve() })
  })
  const reclaim = setInterval(() => void streams.reclaimIdle(), options.reclaimEveryMs ?? 30_000)
  reclaim.unref()
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  let closing: Promise<void> | undefined
  return {
    server, logger, hub, streams, metrics, cluster,
    url: `http://${host}:${port}`,
    close: () => (closing ??= (async () => {
      clearInterval(reclaim)
      streams.stop()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Leases are released first, so another instance takes over the streams at once.
      await cluster?.coordinator.close()
      await hub.close({ event: { type: 'error', data: { code: 'shutdown', message: 'server shutting down' } }, timeoutMs: 2000 })
      await cluster?.close()
      server.closeIdleConnections()
      setTimeout(() => server.closeAllConnections(), 2000).unref()
      await closed
    })()),
  }
}
