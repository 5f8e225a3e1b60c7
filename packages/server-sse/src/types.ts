import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { MemoryReplayStore, MemoryStoreOptions, ReplayEntry, ReplayStore } from './store.js'
import type { createHub } from './hub.js'

/** A connected listener, as the hub's hooks see it. */
export interface HubClient {
  /** Process-unique number. */
  readonly id: number
  readonly room: string
  readonly transport: 'sse' | 'ws'
  /** The request that opened the stream (headers, address, URL). */
  readonly req: IncomingMessage
  /** The id the client resumed from (`Last-Event-ID` header or `lastEventId` query), if any. */
  readonly lastEventId: string | undefined
  /** `Date.now()` at connection. */
  readonly connectedAt: number
  readonly closed: boolean
  /** Bytes waiting to reach this client's socket (the hub's queue plus the socket's buffer). */
  readonly queuedBytes: number
  /** Free space for the application (session ids, auth, …). */
  readonly locals: Record<string, unknown>
  /**
   * Sends a message to this client only (a `hello`, say). Without `id` it does not move the client's
   * Last-Event-ID. Sent at once, before any replay when called from `onConnect`.
   */
  send(type: string, data: unknown, options?: { id?: string }): void
  /** Ends this client's stream (an SSE client will reconnect after its retry delay). */
  close(): void
}

/** Why a client left. */
export type DisconnectReason = 'disconnect' | 'slow' | 'closed' | 'error' | 'timeout'

/** Options of {@link createHub}. */
export interface HubOptions {
  /** Replay log. Default: a {@link MemoryReplayStore} with `replay`'s bounds, owned (and closed) by the hub. */
  store?: ReplayStore
  /** Bounds of the default in-memory store (ignored when `store` is given). */
  replay?: MemoryStoreOptions
  /** Heartbeat interval in ms: an idle SSE stream gets a `:` comment, an idle WebSocket a ping. 0 disables. Default 15,000. */
  heartbeatMs?: number
  /** `retry:` hint sent to each SSE client on connect, in ms (default 2,000); `null` sends none. */
  retryMs?: number | null
  /** Random extra added to each client's retry hint, in ms, so a restart does not bring everyone back at once (default 1,000). */
  retryJitterMs?: number
  /**
   * Longest stretch, in ms, that one fan-out runs before yielding to the event loop (default 10). Writing to
   * 20,000 sockets takes a few hundred ms; slicing it keeps the server answering other requests (clock-sync
   * pings, say) meanwhile. Order per client is kept: a room's messages go out one after the other.
   */
  fanoutSliceMs?: number
  /** Bytes a client may have waiting (hub queue + socket buffer) before it is dropped. Default 1 MiB. */
  maxQueueBytes?: number
  /** Event type sent when a resume id is older than the log (default `reset`). */
  resetEvent?: string
  /** Payload of the reset event (default `{ latestId }`). */
  resetData?: (info: { room: string; lastEventId: string; latestId: string | undefined }) => unknown
  /** Extra response headers for SSE streams (CORS, say). */
  headers?: Record<string, string>
  /**
   * Write SSE frames straight to the socket with prebuilt HTTP/1.1 chunk framing when the response allows it
   * (default true). It skips `ServerResponse.write`'s per-call work, which matters with thousands of clients;
   * the hub falls back to `res.write` for HTTP/1.0, HTTP/2, a patched `res.write` or a `Content-Encoding`.
   */
  directWrites?: boolean
  /** Called for every new client before replay: send it a first message here. May return a promise. */
  onConnect?: (client: HubClient) => void | Promise<void>
  onDisconnect?: (client: HubClient, reason: DisconnectReason) => void
  /** A client went over `maxQueueBytes` and was dropped. */
  onDrop?: (client: HubClient, info: { queuedBytes: number }) => void
  /** After each message has been written to the room's clients (`fanoutMs`: publish to last write). */
  onPublish?: (room: string, entry: ReplayEntry, info: { clients: number; fanoutMs: number }) => void
  /** Errors from hooks, stores and sockets that the hub survived. */
  onError?: (error: unknown, client?: HubClient) => void
}

/** Counters and gauges from {@link Hub.stats}. */
export interface HubStats {
  /** Rooms with at least one client. */
  rooms: number
  clients: number
  sseClients: number
  wsClients: number
  /** Clients per room. */
  perRoom: Record<string, number>
  /** Messages fanned out (from this process or, with a shared store, any). */
  published: number
  /** Messages written to clients (live and replayed). */
  delivered: number
  /** Bytes written to clients (frames, replays, heartbeats, per-client messages). */
  bytes: number
  /** Resumes answered from the log. */
  replays: number
  replayedEntries: number
  /** Resumes answered with the reset event. */
  resets: number
  droppedSlowClients: number
  heartbeats: number
  /** Clients ever admitted, and those gone. */
  connections: number
  disconnections: number
  /** Bytes now waiting over all clients, and the most for one client. */
  queuedBytes: number
  maxQueuedBytes: number
}

/** Where a WebSocket endpoint listens and what each connection joins. */
export interface WebSocketOptions {
  /** Pathname(s) this endpoint owns (others are left to other `upgrade` listeners). Default: every path. */
  path?: string | RegExp | ((pathname: string) => boolean)
  /** The room of a request, or undefined/null to refuse it with 404. */
  room: (req: IncomingMessage, url: URL) => string | undefined | null | Promise<string | undefined | null>
  /**
   * Binary encoders by message type: messages of these types go out as binary frames built by the encoder
   * (once per message, shared by all clients). Others are JSON text frames `{"type","id","data"}`.
   */
  binary?: Record<string, (entry: ReplayEntry) => Uint8Array>
  /** Messages from the client (ignored when absent); `data` is what `ws` gives (a Buffer by default). */
  onMessage?: (client: HubClient, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void
  /** Largest accepted client message in bytes (default 64 KiB). */
  maxPayload?: number
}

/** A WebSocket endpoint made by {@link Hub.attachWebSocket}. */
export interface WebSocketEndpoint {
  /** Stops accepting upgrades on this endpoint (connected clients stay until the hub or they close). */
  close(): void
}

/** Options of {@link Hub.close}. */
export interface CloseOptions {
  /** A last message for every client (e.g. `{ type: 'error', data: { code: 'shutdown' } }`). */
  event?: { type: string; data: unknown }
  /** How long to wait for streams to flush before destroying them (default 5,000 ms). */
  timeoutMs?: number
}

/** Returns the room of a request, or undefined/null when the request is not a stream of this hub. */
export type RoomOf<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  url: URL,
) => string | undefined | null | Promise<string | undefined | null>

/** The hub made by {@link createHub}. */
export interface Hub {
  /** The replay store in use. */
  readonly store: ReplayStore
  /** Appends a message to the room's log and writes it to every client of the room; resolves with its id. */
  publish(room: string, type: string, data: unknown): Promise<string>
  /** Serves an SSE stream of `room` on this request (node:http or Express). */
  sse(req: IncomingMessage, res: ServerResponse, room: string): HubClient | undefined
  /**
   * A request listener front: `(req, res) => boolean` serves the request as a stream and returns true when
   * `roomOf` names a room (GET/HEAD only), else returns false and leaves it to you (to Express, say).
   */
  route(roomOf: RoomOf): (req: IncomingMessage, res: ServerResponse) => boolean
  /** An Express handler: `app.get('/rooms/:id/events', hub.express((req) => req.params.id))`. */
  express<Req extends IncomingMessage>(
    roomOf: (req: Req) => string | undefined | null | Promise<string | undefined | null>,
  ): (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void
  /** Serves WebSocket clients on `server`'s upgrades with the same rooms, ids and replay. */
  attachWebSocket(server: Server | HttpsServer, options: WebSocketOptions): WebSocketEndpoint
  /** Clients of a room, or of every room. */
  clientCount(room?: string): number
  /** Rooms with clients. */
  rooms(): string[]
  /** Ends a room's clients (optionally with a last message) and, unless `keepLog`, forgets its log. */
  closeRoom(room: string, options?: { event?: { type: string; data: unknown }; keepLog?: boolean }): Promise<void>
  stats(): HubStats
  /** Ends every stream cleanly, stops heartbeats and refuses new clients (503). */
  close(options?: CloseOptions): Promise<void>
  readonly closed: boolean
}
