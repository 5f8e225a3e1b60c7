import { Router, type Request, type Response } from 'express'
import {
  ControlsRequestSchema, SessionCreateRequestSchema,
  type SessionCreated, type StationInfo,
} from '@auralis/protocol'
import type { Hub } from '@auralis/server-sse'
import type { Metrics } from '../metrics.js'
import type { RateLimiter } from '../rate-limit.js'
import { CapacityError, type StreamRegistry } from '../stream/registry.js'
import type { LiveStream } from '../stream/stream.js'
import { exportMidi, exportTracker, playedSections } from './exports.js'
import { valid } from './validate.js'

/** What the API routes use. */
export interface ApiDeps {
  streams: StreamRegistry
  hub: Hub
  metrics: Metrics
  sessionLimiter: RateLimiter
}

const links = (kind: 'stations' | 'sessions', id: string) => ({ events: `/api/${kind}/${id}/events`, ws: `/api/${kind}/${id}/ws` })

function notFound(res: Response, what: string): void {
  res.status(404).json({ code: 'not_found', message: `no ${what}` })
}

/** Parses `?from=&to=` (seconds since the epoch) of an export; answers 400 and returns undefined when invalid. */
function exportRange(req: Request, res: Response): { from: number; to: number } | undefined {
  const read = (name: 'from' | 'to', fallback: number): number | undefined => {
    const raw = req.query[name]
    if (raw === undefined) return fallback
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
    if (!Number.isFinite(n) || n < 0) { res.status(400).json({ code: 'invalid', message: `${name}: expected seconds ≥ 0, got ${JSON.stringify(raw)}` }); return undefined }
    return n
  }
  const from = read('from', 0)
  if (from === undefined) return undefined
  const to = read('to', Infinity)
  if (to === undefined) return undefined
  if (to <= from) { res.status(400).json({ code: 'invalid', message: 'to: must be greater than from' }); return undefined }
  return { from, to }
}

/** The JSON API: stations, private sessions, controls and exports. */
export function apiRoutes({ streams, hub, metrics, sessionLimiter }: ApiDeps): Router {
  const r = Router()
  const session = (req: Request<{ id: string }>, res: Response): LiveStream | undefined => {
    const s = streams.get('session', req.params.id)
    if (!s) notFound(res, `session ${JSON.stringify(req.params.id.slice(0, 64))}`)
    return s
  }

  r.get('/stations', (_req, res) => {
    const list: StationInfo[] = streams.listStations().map((s) => ({
      id: s.id, name: s.name, style: s.style, mode: s.mode,
      listeners: hub.clientCount(s.room), controls: s.conductor.controls.controls, ...links('stations', s.id),
    }))
    res.json(list)
  })

  r.post('/sessions', (req, res) => {
    const decision = sessionLimiter.take(req.ip ?? 'unknown')
    if (!decision.allowed) {
      metrics.rateLimited.inc()
      res.setHeader('Retry-After', String(decision.retryAfter))
      res.status(429).json({ code: 'rate_limited', message: `too many sessions created from this address; retry in ${decision.retryAfter} s` })
      return
    }
    const body = valid(res, SessionCreateRequestSchema, req.body ?? {})
    if (!body) return
    try {
      const s = streams.createSession(body)
      const created: SessionCreated = { id: s.id, ...links('sessions', s.id) }
      res.status(201).location(`/api/sessions/${s.id}`).json(created)
    } catch (err) {
      if (err instanceof CapacityError) { res.status(503).json({ code: 'capacity', message: err.message }); return }
      throw err
    }
  })

  r.get('/sessions/:id', (req, res) => {
    const s = session(req, res)
    if (!s) return
    res.json({ id: s.id, style: s.style, mode: s.mode, epoch: s.conductor.epoch, listeners: hub.clientCount(s.room), ...s.conductor.controls, ...links('sessions', s.id) })
  })

  r.post('/sessions/:id/controls', async (req, res) => {
    const s = session(req, res)
    if (!s) return
    const body = valid(res, ControlsRequestSchema, req.body ?? {})
    if (!body) return
    res.json(await streams.setControls(s, body))
  })

  r.delete('/sessions/:id', async (req, res) => {
    if (await streams.deleteSession(req.params.id)) res.status(204).end()
    else notFound(res, 'session')
  })

  r.get('/sessions/:id/export.mid', (req, res) => {
    const s = session(req, res)
    const range = s && exportRange(req, res)
    if (!s || !range) return
    const sections = playedSections(s.conductor.history(), s.conductor.nowSeconds(), range.from, range.to)
    if (sections.length === 0) { res.status(404).json({ code: 'empty', message: 'nothing has played in that range yet' }); return }
    res.type('audio/midi').attachment(`auralis-${s.id.slice(0, 8)}.mid`).send(Buffer.from(exportMidi(sections)))
  })

  r.get('/sessions/:id/export.txt', (req, res) => {
    const s = session(req, res)
    const range = s && exportRange(req, res)
    if (!s || !range) return
    const sections = playedSections(s.conductor.history(), s.conductor.nowSeconds(), range.from, range.to)
    if (sections.length === 0) { res.status(404).json({ code: 'empty', message: 'nothing has played in that range yet' }); return }
    res.type('text/plain').attachment(`auralis-${s.id.slice(0, 8)}.txt`).send(exportTracker(sections))
  })

  return r
}
