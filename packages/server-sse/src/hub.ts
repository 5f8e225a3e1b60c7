import { OutgoingMessage, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { assertEventId, assertEventType, encodeSse, HEARTBEAT } from './encode.js'
import { MemoryReplayStore, type MemoryStoreOptions, type ReplayEntry, type ReplayStore } from './store.js'

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

const CRLF = Buffer.from('\r\n')

/** Wraps a body chunk in HTTP/1.1 chunked framing: `<hex size>\r\n<bytes>\r\n`. */
function chunked(body: Buffer): Buffer {
  const head = body.length.toString(16) + '\r\n'
  const out = Buffer.allocUnsafe(head.length + body.length + 2)
  out.write(head, 0, 'latin1')
  body.copy(out, head.length)
  CRLF.copy(out, head.length + body.length)
  return out
}

const HEARTBEAT_BODY = Buffer.from(HEARTBEAT)
const HEARTBEAT_CHUNK = chunked(HEARTBEAT_BODY)
/** Replay batches are written in pieces of about this size. */
const REPLAY_BATCH = 64 * 1024
/** Longest Last-Event-ID taken from a client. */
const MAX_ID_LENGTH = 200

function serialise(data: unknown): string {
  if (typeof data === 'string') return data
  const text = JSON.stringify(data)
  if (text === undefined) throw new TypeError('data must be JSON-serialisable (got undefined or a function)')
  return text
}

/** A message's frames in each encoding, each built once on first use and shared by all clients. */
class Frames {
  private _sse?: Buffer
  private _chunk?: Buffer
  private _ws?: Buffer
  private _bin?: Map<(entry: ReplayEntry) => Uint8Array, Uint8Array>
  constructor(readonly entry: ReplayEntry) {}
  sse(): Buffer {
    return (this._sse ??= Buffer.from(encodeSse({ event: this.entry.type, id: this.entry.id, data: this.entry.data })))
  }
  chunk(): Buffer {
    return (this._chunk ??= chunked(this.sse()))
  }
  wsText(): Buffer {
    const e = this.entry
    return (this._ws ??= Buffer.from(`{"type":${JSON.stringify(e.type)},"id":${JSON.stringify(e.id)},"data":${e.data}}`))
  }
  binary(encode: (entry: ReplayEntry) => Uint8Array): Uint8Array {
    this._bin ??= new Map()
    let bytes = this._bin.get(encode)
    if (!bytes) this._bin.set(encode, (bytes = encode(this.entry)))
    return bytes
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function'
}

function queryParam(url: string | undefined, name: string): string | undefined {
  if (!url || !url.includes(name + '=')) return undefined
  const q = url.indexOf('?')
  if (q < 0) return undefined
  return new URLSearchParams(url.slice(q + 1)).get(name) ?? undefined
}

function resumeId(req: IncomingMessage): string | undefined {
  const header = req.headers['last-event-id']
  let id = typeof header === 'string' && header !== '' ? header : queryParam(req.url, 'lastEventId')
  if (id === '') id = undefined
  // An absurd id cannot be one of ours: keep it short so it never travels further (the store says expired).
  if (id !== undefined && id.length > MAX_ID_LENGTH) id = id.slice(0, MAX_ID_LENGTH)
  return id
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://localhost')
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroy()
}

abstract class Client implements HubClient {
  abstract readonly transport: 'sse' | 'ws'
  readonly id: number
  readonly connectedAt = Date.now()
  readonly locals: Record<string, unknown> = {}
  closed = false
  /** Live messages that arrived while joining (onConnect, replay); null once live. */
  pending: Frames[] | null = []
  pendingBytes = 0
  /** After a replay: live messages up to this id were already sent. */
  floor: string | undefined
  lastWriteAt: number

  constructor(
    readonly hub: HubImpl,
    readonly room: string,
    readonly req: IncomingMessage,
    readonly lastEventId: string | undefined,
  ) {
    this.id = ++hub.lastClientId
    this.lastWriteAt = hub.clock
  }

  abstract get queuedBytes(): number
  /** Writes a room message. */
  protected abstract writeFrames(frames: Frames): void
  /** Writes a per-client message. */
  protected abstract writeMessage(type: string, data: string, id: string | undefined): void
  /** Writes a batch of replayed messages; resolves once the client can take more. */
  abstract writeReplay(frames: Frames[]): Promise<void>
  /** Heartbeat tick: keep an idle stream alive (`idleMs` since the last write). */
  abstract heartbeat(now: number, idleMs: number): void
  /** Ends the stream after flushing, with an optional last message; resolves when it is closed. */
  abstract end(final?: { type: string; data: string }): Promise<void>
  /** Closes the transport at once. */
  abstract abort(): void

  /** Fan-out entry point: one room message for this client. */
  deliver(frames: Frames): void {
    if (this.closed) return
    if (this.pending !== null) {
      this.pending.push(frames)
      this.pendingBytes += frames.entry.data.length
      if (this.pendingBytes > this.hub.maxQueueBytes) this.drop(this.pendingBytes)
      return
    }
    if (this.floor !== undefined) {
      if (this.hub.store.compareIds(frames.entry.id, this.floor) <= 0) return
      this.floor = undefined
    }
    this.writeFrames(frames)
    this.hub.delivered++
  }

  goLive(): void {
    const pending = this.pending
    if (pending === null || this.closed) return
    this.pending = null
    this.pendingBytes = 0
    for (const frames of pending) this.deliver(frames)
  }

  send(type: string, data: unknown, options?: { id?: string }): void {
    assertEventType(type)
    if (options?.id !== undefined) assertEventId(options.id)
    if (this.closed) return
    this.writeMessage(type, serialise(data), options?.id)
  }

  close(): void {
    void this.end()
  }

  /** Over its byte bound: closed and counted. */
  drop(queuedBytes: number): void {
    if (this.closed) return
    this.hub.droppedSlowClients++
    try {
      this.hub.options.onDrop?.(this, { queuedBytes })
    } catch (err) {
      this.hub.reportError(err, this)
    }
    this.terminate('slow')
  }

  terminate(reason: DisconnectReason): void {
    if (this.closed) return
    this.closed = true
    this.pending = null
    this.abort()
    this.hub.detach(this, reason)
  }

  /** The transport closed under us. */
  protected onTransportClose = (): void => {
    if (this.closed) return
    this.closed = true
    this.pending = null
    this.hub.detach(this, 'disconnect')
  }
}

class SseClient extends Client {
  readonly transport = 'sse' as const
  /** Set when frames go straight to the socket, HTTP chunk framing included. */
  private readonly direct: Socket | null
  /** Frames held while the socket is over its high-water mark, flushed on 'drain'. */
  private queue: Buffer[] | null = null
  private queueBytes = 0
  private drainWaiters: (() => void)[] = []

  constructor(
    hub: HubImpl,
    room: string,
    req: IncomingMessage,
    lastEventId: string | undefined,
    private readonly res: ServerResponse,
    direct: Socket | null,
  ) {
    super(hub, room, req, lastEventId)
    this.direct = direct
    res.once('close', this.onTransportClose)
  }

  get queuedBytes(): number {
    return this.closed ? 0 : this.queueBytes + this.res.writableLength
  }

  /** Transport bytes of a body chunk. */
  private body(bytes: Buffer): Buffer {
    return this.direct !== null ? chunked(bytes) : bytes
  }

  private write(bytes: Buffer): void {
    if (this.closed) return
    const hub = this.hub
    hub.bytes += bytes.length
    this.lastWriteAt = hub.clock
    if (this.queue !== null) {
      this.queue.push(bytes)
      this.queueBytes += bytes.length
      const queued = this.queueBytes + this.res.writableLength
      if (queued > hub.maxQueueBytes) this.drop(queued)
      return
    }
    const ok = this.direct !== null ? this.direct.write(bytes) : this.res.write(bytes)
    if (!ok) this.block()
  }

  /** The socket said "enough": hold further frames until it drains, or drop the client if it is over. */
  private block(): void {
    const queued = this.res.writableLength
    if (queued > this.hub.maxQueueBytes) return this.drop(queued)
    this.queue = []
    this.queueBytes = 0
    ;(this.direct ?? this.res).once('drain', this.onDrain)
  }

  private onDrain = (): void => {
    const queue = this.queue
    if (queue === null || this.closed) return
    this.queue = null
    this.queueBytes = 0
    if (queue.length > 0) {
      const bytes = queue.length === 1 ? queue[0] : Buffer.concat(queue)
      const ok = this.direct !== null ? this.direct.write(bytes) : this.res.write(bytes)
      if (!ok) return this.block()
    }
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const wake of waiters) wake()
  }

  protected writeFrames(frames: Frames): void {
    this.write(this.direct !== null ? frames.chunk() : frames.sse())
  }

  protected writeMessage(type: string, data: string, id: string | undefined): void {
    this.write(this.body(Buffer.from(encodeSse({ event: type, id, data }))))
  }

  async writeReplay(frames: Frames[]): Promise<void> {
    // Batches well under the byte bound: what one write leaves in the socket must not count as a backlog.
    const limit = Math.min(REPLAY_BATCH, this.hub.maxQueueBytes / 4)
    let batch: Buffer[] = []
    let size = 0
    for (let i = 0; i < frames.length; i++) {
      const bytes = frames[i].sse()
      batch.push(bytes)
      size += bytes.length
      if (size < limit && i < frames.length - 1) continue
      this.write(this.body(batch.length === 1 ? batch[0] : Buffer.concat(batch, size)))
      batch = []
      size = 0
      // Never let a long replay pile up: wait for the socket before the next batch.
      if (this.queue !== null && !this.closed) await new Promise<void>((wake) => this.drainWaiters.push(wake))
      if (this.closed) return
    }
  }

  heartbeat(now: number, idleMs: number): void {
    if (now - this.lastWriteAt < idleMs) return
    this.hub.heartbeats++
    this.write(this.direct !== null ? HEARTBEAT_CHUNK : HEARTBEAT_BODY)
  }

  end(final?: { type: string; data: string }): Promise<void> {
    if (this.closed) return Promise.resolve()
    const res = this.res
    if (res.destroyed || !res.socket || res.socket.destroyed) {
      this.terminate('closed')
      return Promise.resolve()
    }
    const done = new Promise<void>((resolve) => {
      res.once('close', resolve)
      res.once('finish', resolve)
    })
    // Flush what is held, then the last message, regardless of the high-water mark: end() is bounded by the
    // caller's timeout, after which the socket is destroyed.
    const queue = this.queue
    this.queue = null
    const tail: Buffer[] = queue ?? []
    if (final) tail.push(this.body(Buffer.from(encodeSse({ event: final.type, data: final.data }))))
    if (tail.length > 0) {
      const bytes = Buffer.concat(tail)
      this.hub.bytes += bytes.length
      if (this.direct !== null) this.direct.write(bytes)
      else res.write(bytes)
    }
    this.closed = true
    this.pending = null
    for (const wake of this.drainWaiters) wake()
    this.drainWaiters = []
    this.hub.detach(this, 'closed')
    res.end()
    return done
  }

  abort(): void {
    for (const wake of this.drainWaiters) wake()
    this.drainWaiters = []
    this.queue = null
    this.res.destroy()
  }
}

class WsClient extends Client {
  readonly transport = 'ws' as const
  pingSentAt = 0

  constructor(
    hub: HubImpl,
    room: string,
    req: IncomingMessage,
    lastEventId: string | undefined,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly binary: Record<string, (entry: ReplayEntry) => Uint8Array> | undefined,
  ) {
    super(hub, room, req, lastEventId)
    ws.once('close', this.onTransportClose)
    ws.on('error', (err) => hub.reportError(err, this))
    ws.on('pong', () => {
      this.pingSentAt = 0
    })
  }

  get queuedBytes(): number {
    return this.closed ? 0 : this.ws.bufferedAmount
  }

  private sendBytes(bytes: Uint8Array | string, binary: boolean): void {
    if (this.closed) return
    const hub = this.hub
    hub.bytes += typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length
    this.lastWriteAt = hub.clock
    this.ws.send(bytes, { binary })
    // ws queues in its sender and the socket; both count in bufferedAmount.
    const queued = this.ws.bufferedAmount
    if (queued > hub.maxQueueBytes) this.drop(queued)
  }

  protected writeFrames(frames: Frames): void {
    const encode = this.binary?.[frames.entry.type]
    if (encode) this.sendBytes(frames.binary(encode), true)
    else this.sendBytes(frames.wsText(), false)
  }

  protected writeMessage(type: string, data: string, id: string | undefined): void {
    const idPart = id === undefined ? '' : `,"id":${JSON.stringify(id)}`
    this.sendBytes(`{"type":${JSON.stringify(type)}${idPart},"data":${data}}`, false)
  }

  async writeReplay(frames: Frames[]): Promise<void> {
    for (const f of frames) {
      this.writeFrames(f)
      // The socket asked to wait (a write returned false): 'drain' will come.
      if (this.socket.writableNeedDrain && !this.closed) {
        await new Promise<void>((wake) => {
          const done = (): void => {
            this.socket.off('drain', done)
            this.socket.off('close', done)
            wake()
          }
          this.socket.on('drain', done)
          this.socket.on('close', done)
        })
      }
      if (this.closed) return
    }
  }

  heartbeat(now: number, idleMs: number): void {
    if (this.pingSentAt !== 0) {
      // No pong for two heartbeats: the peer is gone.
      if (now - this.pingSentAt > 2 * this.hub.heartbeatMs) this.terminate('timeout')
      return
    }
    if (now - this.lastWriteAt < idleMs) return
    this.hub.heartbeats++
    this.pingSentAt = now
    this.lastWriteAt = now
    this.ws.ping()
  }

  end(final?: { type: string; data: string }): Promise<void> {
    if (this.closed) return Promise.resolve()
    if (final) this.writeMessage(final.type, final.data, undefined)
    const done = new Promise<void>((resolve) => this.ws.once('close', () => resolve()))
    this.closed = true
    this.pending = null
    this.hub.detach(this, 'closed')
    this.ws.close(1001, 'server closing')
    return done
  }

  abort(): void {
    this.ws.terminate()
  }
}

/** One message being written to a room's clients. */
interface FanoutJob {
  readonly frames: Frames
  /**
   * A live iterator over the room's clients: it can pause between slices, skips clients that left, and
   * reaches clients that joined meanwhile (a resuming one holds it as pending; its floor drops a duplicate).
   * O(1) memory per job, however large the room.
   */
  readonly clients: IterableIterator<Client>
  count: number
  readonly started: number
}

interface Room {
  readonly name: string
  readonly clients: Set<Client>
  /** Fan-outs in progress, oldest first (null when idle). */
  jobs: FanoutJob[] | null
}

class HubImpl implements Hub {
  readonly store: ReplayStore
  readonly heartbeatMs: number
  readonly maxQueueBytes: number
  private readonly sliceMs: number
  readonly options: HubOptions
  private readonly ownStore: boolean
  private readonly roomMap = new Map<string, Room>()
  private readonly frameCache = new WeakMap<ReplayEntry, Frames>()
  private readonly unsubscribe: () => void
  private readonly timer: NodeJS.Timeout | undefined
  /** WebSocket servers of attached endpoints (closed with the hub; their upgrade listeners then answer 503). */
  private readonly wsServers = new Set<WebSocketServer>()
  private readonly directWrites: boolean
  private closing: Promise<void> | undefined
  closed = false
  lastClientId = 0
  /** `Date.now()` as of the last fan-out or heartbeat tick (cheap per-write timestamps). */
  clock = Date.now()

  // counters
  published = 0
  delivered = 0
  bytes = 0
  replays = 0
  replayedEntries = 0
  resets = 0
  droppedSlowClients = 0
  heartbeats = 0
  connections = 0
  disconnections = 0
  private sseCount = 0
  private wsCount = 0

  constructor(options: HubOptions) {
    this.options = options
    this.ownStore = !options.store
    this.store = options.store ?? new MemoryReplayStore(options.replay)
    this.heartbeatMs = options.heartbeatMs ?? 15_000
    this.maxQueueBytes = options.maxQueueBytes ?? 1024 * 1024
    this.sliceMs = options.fanoutSliceMs ?? 10
    this.directWrites = options.directWrites ?? true
    if (options.resetEvent !== undefined) assertEventType(options.resetEvent)
    this.unsubscribe = this.store.subscribe((room, entry) => this.fanOut(room, entry))
    if (this.heartbeatMs > 0) {
      this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(this.heartbeatMs / 2)))
      this.timer.unref()
    }
  }

  reportError(error: unknown, client?: HubClient): void {
    try {
      this.options.onError?.(error, client)
    } catch {
      // An error reporter that throws has nowhere left to report to.
    }
  }

  // ---- publishing ----

  async publish(room: string, type: string, data: unknown): Promise<string> {
    if (this.closed) throw new Error('hub is closed')
    if (typeof room !== 'string' || room === '') throw new TypeError('room must be a non-empty string')
    assertEventType(type)
    const entry = await this.store.append(room, type, serialise(data))
    return entry.id
  }

  private framesOf(entry: ReplayEntry): Frames {
    let frames = this.frameCache.get(entry)
    if (!frames) this.frameCache.set(entry, (frames = new Frames(entry)))
    return frames
  }

  private fanOut(roomName: string, entry: ReplayEntry): void {
    if (this.closed) return
    this.published++
    const room = this.roomMap.get(roomName)
    if (room === undefined) return this.notifyPublished(roomName, entry, 0, 0)
    const job: FanoutJob = { frames: this.framesOf(entry), clients: room.clients.values(), count: 0, started: performance.now() }
    if (room.jobs !== null) {
      room.jobs.push(job)
      return
    }
    room.jobs = [job]
    this.runJobs(room)
  }

  /** Writes a room's pending messages, yielding to the event loop every `sliceMs`. */
  private runJobs(room: Room): void {
    const jobs = room.jobs
    if (jobs === null) return
    const deadline = performance.now() + this.sliceMs
    this.clock = Date.now()
    while (jobs.length > 0) {
      if (this.closed) break
      const job = jobs[0]
      const { clients, frames } = job
      for (let next = clients.next(); !next.done; next = clients.next()) {
        next.value.deliver(frames)
        if ((++job.count & 15) === 0 && performance.now() > deadline) {
          setImmediate(() => this.runJobs(room))
          return
        }
      }
      jobs.shift()
      this.notifyPublished(room.name, frames.entry, job.count, performance.now() - job.started)
    }
    room.jobs = null
  }

  private notifyPublished(room: string, entry: ReplayEntry, clients: number, fanoutMs: number): void {
    if (!this.options.onPublish) return
    try {
      this.options.onPublish(room, entry, { clients, fanoutMs })
    } catch (err) {
      this.reportError(err)
    }
  }

  // ---- admitting clients ----

  sse(req: IncomingMessage, res: ServerResponse, room: string): HubClient | undefined {
    if (this.closed) {
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '5', Connection: 'close' })
      res.end('shutting down\n')
      return undefined
    }
    const http1 = req.httpVersionMajor < 2
    const headers: Record<string, string> = {
      ...this.options.headers,
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    }
    if (http1) headers.Connection = 'keep-alive'
    res.writeHead(200, headers)
    if (req.method === 'HEAD') {
      res.end()
      return undefined
    }
    const socket = req.socket
    if (http1) {
      // Frames are whole messages: send each at once. A server-wide socket timeout must not end a quiet stream.
      socket.setNoDelay(true)
      socket.setTimeout(0)
    }
    const retryMs = this.options.retryMs === undefined ? 2000 : this.options.retryMs
    const jitter = this.options.retryJitterMs ?? 1000
    // The first write carries the headers (flushHeaders would cost a separate packet).
    res.write(
      retryMs === null
        ? ':\n\n'
        : encodeSse({ retry: Math.round(retryMs + (jitter > 0 ? Math.random() * jitter : 0)) }),
    )
    // res.socket is set only while this response owns the connection (not a queued pipelined one).
    const direct =
      this.directWrites &&
      http1 &&
      res.socket === socket &&
      (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true &&
      res.write === OutgoingMessage.prototype.write &&
      res.getHeader('content-encoding') === undefined
        ? socket
        : null
    const client = new SseClient(this, room, req, resumeId(req), res, direct)
    this.sseCount++
    this.admit(client)
    return client
  }

  route(roomOf: RoomOf): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false
      let room: ReturnType<RoomOf>
      try {
        room = roomOf(req, requestUrl(req))
      } catch (err) {
        this.reportError(err)
        return false
      }
      if (room == null) return false
      if (isPromise(room)) {
        room.then(
          (name) => {
            if (name == null) {
              res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n')
            } else this.sse(req, res, name)
          },
          (err) => {
            this.reportError(err)
            if (!res.headersSent) res.writeHead(500).end()
          },
        )
        return true
      }
      this.sse(req, res, room)
      return true
    }
  }

  express<Req extends IncomingMessage>(
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
        else this.sse(req, res, name)
      }
      if (isPromise(room)) room.then(serve, next)
      else serve(room)
    }
  }

  attachWebSocket(server: Server | HttpsServer, options: WebSocketOptions): WebSocketEndpoint {
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
      if (this.closed) return refuseUpgrade(socket, 503, 'Service Unavailable')
      const accept = (room: string | undefined | null): void => {
        if (room == null) return refuseUpgrade(socket, 404, 'Not Found')
        if (this.closed) return refuseUpgrade(socket, 503, 'Service Unavailable')
        wss.handleUpgrade(req, socket, head, (ws) => {
          if (this.closed) return ws.close(1001, 'server closing')
          const client = new WsClient(this, room, req, resumeId(req), ws, socket, options.binary)
          if (options.onMessage) {
            const onMessage = options.onMessage
            ws.on('message', (data, isBinary) => {
              try {
                onMessage(client, data, isBinary)
              } catch (err) {
                this.reportError(err, client)
              }
            })
          }
          this.wsCount++
          this.admit(client)
        })
      }
      const fail = (err: unknown): void => {
        this.reportError(err)
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
    this.wsServers.add(wss)
    return {
      close: () => {
        server.off('upgrade', onUpgrade)
        wss.close()
        this.wsServers.delete(wss)
      },
    }
  }

  /** Joins a client to its room: onConnect, then replay or reset, then live. */
  private admit(client: Client): void {
    this.connections++
    let room = this.roomMap.get(client.room)
    if (!room) {
      room = { name: client.room, clients: new Set(), jobs: null }
      this.roomMap.set(client.room, room)
      this.store.watch?.(client.room)
    }
    room.clients.add(client)
    let hook: void | Promise<void> = undefined
    try {
      hook = this.options.onConnect?.(client)
    } catch (err) {
      this.reportError(err, client)
      client.terminate('error')
      return
    }
    if (client.lastEventId === undefined && !isPromise(hook)) return client.goLive()
    this.resume(client, hook).catch((err) => {
      this.reportError(err, client)
      client.terminate('error')
    })
  }

  private async resume(client: Client, hook: void | Promise<void>): Promise<void> {
    await hook
    const lastEventId = client.lastEventId
    if (lastEventId !== undefined && !client.closed) {
      // Live messages keep arriving into client.pending meanwhile; the floor removes the overlap.
      const result = await this.store.since(client.room, lastEventId)
      if (client.closed) return
      if ('expired' in result) {
        this.resets++
        const latestId = result.latestId
        const resetData = this.options.resetData
          ? this.options.resetData({ room: client.room, lastEventId, latestId })
          : { latestId: latestId ?? null }
        // The reset's id is "now": a reconnect right after it resumes from here, not from the stale id.
        client.send(this.options.resetEvent ?? 'reset', resetData, { id: latestId ?? '' })
        client.floor = latestId
      } else {
        this.replays++
        const { entries } = result
        this.replayedEntries += entries.length
        this.delivered += entries.length
        client.floor = entries.length > 0 ? entries[entries.length - 1].id : lastEventId
        if (entries.length > 0) await client.writeReplay(entries.map((e) => this.framesOf(e)))
      }
    }
    client.goLive()
  }

  detach(client: Client, reason: DisconnectReason): void {
    const room = this.roomMap.get(client.room)
    if (!room || !room.clients.delete(client)) return
    this.disconnections++
    if (client.transport === 'sse') this.sseCount--
    else this.wsCount--
    if (room.clients.size === 0) {
      this.roomMap.delete(client.room)
      this.store.unwatch?.(client.room)
    }
    try {
      this.options.onDisconnect?.(client, reason)
    } catch (err) {
      this.reportError(err, client)
    }
  }

  private tick(): void {
    const now = (this.clock = Date.now())
    const idle = this.heartbeatMs / 2
    for (const room of this.roomMap.values()) {
      for (const client of room.clients) client.heartbeat(now, idle)
    }
  }

  // ---- introspection ----

  clientCount(room?: string): number {
    if (room !== undefined) return this.roomMap.get(room)?.clients.size ?? 0
    return this.sseCount + this.wsCount
  }

  rooms(): string[] {
    return [...this.roomMap.keys()]
  }

  stats(): HubStats {
    const perRoom: Record<string, number> = {}
    let queuedBytes = 0
    let maxQueuedBytes = 0
    for (const room of this.roomMap.values()) {
      perRoom[room.name] = room.clients.size
      for (const client of room.clients) {
        const q = client.queuedBytes
        queuedBytes += q
        if (q > maxQueuedBytes) maxQueuedBytes = q
      }
    }
    return {
      rooms: this.roomMap.size,
      clients: this.sseCount + this.wsCount,
      sseClients: this.sseCount,
      wsClients: this.wsCount,
      perRoom,
      published: this.published,
      delivered: this.delivered,
      bytes: this.bytes,
      replays: this.replays,
      replayedEntries: this.replayedEntries,
      resets: this.resets,
      droppedSlowClients: this.droppedSlowClients,
      heartbeats: this.heartbeats,
      connections: this.connections,
      disconnections: this.disconnections,
      queuedBytes,
      maxQueuedBytes,
    }
  }

  // ---- closing ----

  private static finalMessage(event: { type: string; data: unknown } | undefined): { type: string; data: string } | undefined {
    if (!event) return undefined
    assertEventType(event.type)
    return { type: event.type, data: serialise(event.data) }
  }

  private async endAll(clients: Client[], final: { type: string; data: string } | undefined, timeoutMs: number): Promise<void> {
    const open = new Set(clients)
    const ended = Promise.all(clients.map((c) => c.end(final).then(() => open.delete(c))))
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs)
    })
    const late = await Promise.race([ended.then(() => false), timedOut])
    clearTimeout(timer)
    // Whoever did not flush in time (a client that stopped reading) is cut off.
    if (late) for (const c of open) c.abort()
  }

  async closeRoom(room: string, options: { event?: { type: string; data: unknown }; keepLog?: boolean } = {}): Promise<void> {
    const final = HubImpl.finalMessage(options.event)
    const clients = [...(this.roomMap.get(room)?.clients ?? [])]
    await this.endAll(clients, final, 5000)
    if (!options.keepLog) await this.store.delete(room)
  }

  close(options: CloseOptions = {}): Promise<void> {
    if (this.closing) return this.closing
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    for (const wss of this.wsServers) wss.close()
    this.unsubscribe()
    const final = HubImpl.finalMessage(options.event)
    const clients: Client[] = []
    for (const room of this.roomMap.values()) clients.push(...room.clients)
    this.closing = this.endAll(clients, final, options.timeoutMs ?? 5000).then(async () => {
      if (this.ownStore) await this.store.close?.()
    })
    return this.closing
  }
}

/** Creates a fan-out hub. See the package README for the routing pattern and the resume rules. */
export function createHub(options: HubOptions = {}): Hub {
  return new HubImpl(options)
}
