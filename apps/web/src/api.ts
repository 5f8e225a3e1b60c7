/**
 * The demo server's JSON API, typed and validated with the protocol's schemas.
 */
import {
  ControlsAppliedSchema, SessionCreatedSchema, StationInfoSchema,
  type ControlsApplied, type ControlsRequest, type SessionCreateRequest, type SessionCreated, type StationInfo,
} from '@auralis/protocol'

/** An API call that failed: HTTP status (0 when the server could not be reached), code and message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Export formats of a session. */
export type ExportFormat = 'mid' | 'txt'

/** The API client. */
export interface Api {
  /** `GET /api/stations`. */
  listStations(): Promise<StationInfo[]>
  /** `POST /api/sessions`. */
  createSession(body: SessionCreateRequest): Promise<SessionCreated>
  /** `POST /api/sessions/:id/controls`: the controls and the bar they apply from. */
  setControls(id: string, body: ControlsRequest): Promise<ControlsApplied>
  /** `DELETE /api/sessions/:id`. */
  deleteSession(id: string): Promise<void>
  /** URL of a session export (`?from=&to=` seconds since the epoch when given). */
  exportUrl(id: string, format: ExportFormat, range?: { from?: number; to?: number }): string
  /** Stream base URL of a station or session (what `createPlayer({ url })` takes). */
  streamUrl(kind: 'station' | 'session', id: string): string
}

interface Parser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } }
}

/** Creates an API client for the server at `base` (e.g. `location.origin`). */
export function createApi(base: string, fetchFn: typeof fetch = fetch.bind(globalThis)): Api {
  const root = base.replace(/\/+$/, '')
  const call = async <T>(method: string, path: string, body: unknown, schema: Parser<T> | undefined): Promise<T> => {
    let res: Response
    try {
      res = await fetchFn(root + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (err) {
      throw new ApiError(0, 'unreachable', `cannot reach the server: ${(err as Error).message}`)
    }
    const text = await res.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    if (!res.ok) {
      const e = (json ?? {}) as { code?: unknown; message?: unknown }
      throw new ApiError(res.status, typeof e.code === 'string' ? e.code : 'http', typeof e.message === 'string' ? e.message : `${method} ${path}: HTTP ${res.status}`)
    }
    if (!schema) return undefined as T
    const parsed = schema.safeParse(json)
    if (!parsed.success) throw new ApiError(res.status, 'bad_response', `${method} ${path}: unexpected reply (${parsed.error.message})`)
    return parsed.data
  }
  const enc = encodeURIComponent
  return {
    listStations: () => call('GET', '/api/stations', undefined, StationInfoSchema.array()),
    createSession: (body) => call('POST', '/api/sessions', body, SessionCreatedSchema),
    setControls: (id, body) => call('POST', `/api/sessions/${enc(id)}/controls`, body, ControlsAppliedSchema),
    deleteSession: (id) => call('DELETE', `/api/sessions/${enc(id)}`, undefined, undefined),
    exportUrl: (id, format, range = {}) => {
      const q = new URLSearchParams()
      if (range.from !== undefined) q.set('from', String(range.from))
      if (range.to !== undefined) q.set('to', String(range.to))
      const qs = q.toString()
      return `${root}/api/sessions/${enc(id)}/export.${format}${qs ? `?${qs}` : ''}`
    },
    streamUrl: (kind, id) => `${root}/api/${kind === 'station' ? 'stations' : 'sessions'}/${enc(id)}`,
  }
}
