import type { IncomingMessage, Server } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { WsClient, type ClientHost } from './clients.js'
import { isPromise, refuseUpgrade, requestUrl, resumeId } from './frames.js'
import type { WebSocketEndpoint, WebSocketOptions } from './types.js'

/**
 * What a WebSocket endpoint needs from its hub, besides what its clients need.
 * @internal
 */
export interface EndpointHost extends ClientHost {
  readonly closed: boolean
  /** WebSocket servers of attached endpoints (closed with the hub; their upgrade listeners then answer 503). */
  readonly wsServers: Set<WebSocketServer>
  /** Counts a new WebSocket client and joins it to its room (onConnect, replay or reset, then live). */
  admitWebSocket(client: WsClient): void
}

/**
 * Serves WebSocket clients on `server`'s upgrades for `host` (the body of `Hub.attachWebSocket`).
 * @internal
 */
export function attachWebSocket(
  host: EndpointHost,
  server: Server | HttpsServer,
  options: WebSocketOptions,
): WebSocketEndpoint {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: options.maxPayload ?? 64 * 1024,
  })
  const path = options.path
  const owns = (pathname: string): boolean =>
    path === undefined ||
    (typeof path === 'string' ? pathname === path : path instanceof RegExp ? path.test(pathname) : path(pathname))
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = requestUrl(req)
    if (!owns(url.pathname)) {
      // Leave it to another endpoint, unless nobody else could answer it.
      if (server.listenerCount('upgrade') === 1) refuseUpgrade(socket, 404, 'Not Found')
      return
    }
    if (host.closed) return refuseUpgrade(socket, 503, 'Service Unavailable')
    const accept = (room: string | undefined | null): void => {
      if (room == null) return refuseUpgrade(socket, 404, 'Not Found')
      if (host.closed) return refuseUpgrade(socket, 503, 'Service Unavailable')
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (host.closed) return ws.close(1001, 'server closing')
        const client = new WsClient(host, room, req, resumeId(req), ws, socket, options.binary)
        if (options.onMessage) {
          const onMessage = options.onMessage
          ws.on('message', (data, isBinary) => {
            try {
              onMessage(client, data, isBinary)
            } catch (err) {
              host.reportError(err, client)
            }
          })
        }
        host.admitWebSocket(client)
      })
    }
    const fail = (err: unknown): void => {
      host.reportError(err)
      refuseUpgrade(socket, 500, 'Internal Server Error')
    }
    let room: ReturnType<WebSocketOptions['room']>
    try {
      room = options.room(req, url)
    } catch (err) {
      return fail(err)
    }
    if (isPromise(room)) room.then(accept, fail)
    else accept(room)
  }
  server.on('upgrade', onUpgrade)
  host.wsServers.add(wss)
  return {
    close: () => {
      server.off('upgrade', onUpgrade)
      wss.close()
      host.wsServers.delete(wss)
    },
  }
}
