import type { IncomingMessage, ServerResponse } from 'node:http'
import { isPromise, requestUrl } from './frames.js'
import type { Hub, HubClient, RoomOf } from './types.js'

/**
 * What the request fronts need from their hub: the SSE admission and error reporting.
 * @internal
 */
export interface RouteHost {
  /** Serves an SSE stream of `room` on this request. */
  sse: Hub['sse']
  /** Passes a survived error to the `onError` hook. */
  reportError(error: unknown, client?: HubClient): void
}

/**
 * The request listener front of `Hub.route`: serves GET/HEAD requests that `roomOf` names a room for.
 * @internal
 */
export function routeListener(hub: RouteHost, roomOf: RoomOf): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    let room: ReturnType<RoomOf>
    try {
      room = roomOf(req, requestUrl(req))
    } catch (err) {
      hub.reportError(err)
      return false
    }
    if (room == null) return false
    if (isPromise(room)) {
      room.then(
        (name) => {
          if (name == null) {
            res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n')
          } else hub.sse(req, res, name)
        },
        (err) => {
          hub.reportError(err)
          if (!res.headersSent) res.writeHead(500).end()
        },
      )
      return true
    }
    hub.sse(req, res, room)
    return true
  }
}

/**
 * The Express handler of `Hub.express`: serves the request when `roomOf` names a room, else calls `next()`.
 * @internal
 */
export function expressHandler<Req extends IncomingMessage>(
  hub: RouteHost,
  roomOf: (req: Req) => string | undefined | null | Promise<string | undefined | null>,
): (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    let room: ReturnType<typeof roomOf>
    try {
      room = roomOf(req)
    } catch (err) {
      return next(err)
    }
    const serve = (name: string | undefined | null): void => {
      if (name == null) next()
      else hub.sse(req, res, name)
    }
    if (isPromise(room)) room.then(serve, next)
    else serve(room)
  }
}
