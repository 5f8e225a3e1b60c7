import express, { type ErrorRequestHandler, type Express, type Router } from 'express'
import type { Registry } from 'prom-client'
import type { Logger } from 'pino'
import { pinoHttp } from 'pino-http'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { ServerConfig } from './config.js'
import { cors, isolationHeaders } from './http-headers.js'
import { embedScript, findEmbedScript } from './embed.js'

/** What `/health` reports; later parts of the server add their own readiness checks. */
export interface HealthCheck {
  /** Name shown in the health body. */
  name: string
  /** True when this part is ready to serve. */
  ready: () => boolean
}

/** Dependencies of the Express app, injected so tests control clocks and logs. */
export interface AppDeps {
  config: ServerConfig
  logger: Logger
  /** Wall clock in milliseconds (injected for tests). */
  now?: () => number
  checks?: HealthCheck[]
  /** The JSON API, mounted at `/api`. */
  api?: Router
  /** Metrics served at `/metrics` in the Prometheus text format. */
  metrics?: Registry
  /** Path of the `<auralis-player>` bundle served at `/embed.js` (default: the built client-player's). */
  embedFile?: string | null
}

/** Builds the Express app: health, server time, the web app with cross-origin isolation, JSON errors. */
export function createApp({ config, logger, now = Date.now, checks = [], api, metrics, embedFile = findEmbedScript() }: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/api/time' || req.url === '/metrics' },
  }))
  app.use(isolationHeaders)
  app.use('/api', cors(config.corsOrigins))
  app.use(express.json({ limit: '64kb' }))

  const started = now()
  app.get('/health', (_req, res) => {
    const parts = Object.fromEntries(checks.map((c) => [c.name, c.ready()]))
    const ready = Object.values(parts).every(Boolean)
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unready', ready, checks: parts, uptimeSeconds: Math.round((now() - started) / 1000) })
  })
  app.get('/api/time', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store')
    res.json({ serverTime: now() })
  })
  app.get('/embed.js', embedScript(embedFile))
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      res.setHeader('Content-Type', metrics.contentType)
      res.send(await metrics.metrics())
    })
  }
  if (api) app.use('/api', api)
  app.use('/api', (req, res) => {
    res.status(404).json({ code: 'not_found', message: `no route ${req.method} ${req.path}` })
  })

  if (config.webRoot) {
    app.use(express.static(config.webRoot, { index: 'index.html', maxAge: '1h', setHeaders: (res, path) => {
      if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache')
    } }))
    app.get('/{*path}', (_req, res) => res.sendFile(join(config.webRoot!, 'index.html')))
  } else {
    app.get('/', (_req, res) => res.type('text/plain').send('Auralis demo server (web app not built: run `pnpm build`).\n'))
  }

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500
    if (status >= 500) req.log?.error({ err }, 'request failed')
    res.status(status).json({ code: status === 413 ? 'too_large' : status < 500 ? 'bad_request' : 'internal', message: status < 500 ? String(err.message ?? 'bad request') : 'internal error' })
  }
  app.use(onError)
  return app
}
