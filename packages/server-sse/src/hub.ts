import { OutgoingMessage, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Server as HttpsServer } from 'node:https'
import type { WebSocketServer } from 'ws'
import { SseClient, type Client, type WsClient } from './clients.js'
import { assertEventType, encodeSse } from './encode.js'
import { Frames, isPromise, resumeId, serialise } from './frames.js'
import { expressHandler, routeListener } from './routes.js'
import { MemoryReplayStore, type ReplayEntry, type ReplayStore } from './store.js'
import type {
  CloseOptions,
  DisconnectReason,
  Hub,
  HubClient,
  HubOptions,
  HubStats,
  RoomOf,
  WebSocketEndpoint,
  WebSocketOptions,
} from './types.js'
import { attachWebSocket, type EndpointHost } from './websocket.js'

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

class HubImpl implements Hub, EndpointHost {
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
  readonly wsServers = new Set<WebSocketServer>()
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
    return routeListener(this, roomOf)
  }

  express<Req extends IncomingMessage>(
    roomOf: (req: Req) => string | undefined | null | Promise<string | undefined | null>,
  ): (req: Req, res: ServerResponse, next: (err?: unknown) => void) => void {
    return expressHandler(this, roomOf)
  }

  attachWebSocket(server: Server | HttpsServer, options: WebSocketOptions): WebSocketEndpoint {
    return attachWebSocket(this, server, options)
  }

  /** Counts a new WebSocket client and admits it (called by its endpoint). */
  admitWebSocket(client: WsClient): void {
    this.wsCount++
    this.admit(client)
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
