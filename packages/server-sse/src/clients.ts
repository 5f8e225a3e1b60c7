import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { WebSocket } from 'ws'
import { assertEventId, assertEventType, encodeSse } from './encode.js'
import { chunked, HEARTBEAT_BODY, HEARTBEAT_CHUNK, REPLAY_BATCH, serialise, type Frames } from './frames.js'
import type { ReplayEntry, ReplayStore } from './store.js'
import type { DisconnectReason, HubClient, HubOptions } from './types.js'

/**
 * What a client needs from its hub: settings, the shared clock and counters, error reporting and the way out.
 * The hub implements it; nothing outside the package sees it.
 * @internal
 */
export interface ClientHost {
  readonly store: ReplayStore
  readonly options: HubOptions
  /** Bytes a client may have waiting before it is dropped. */
  readonly maxQueueBytes: number
  /** Heartbeat interval in ms (0: none). */
  readonly heartbeatMs: number
  /** `Date.now()` as of the last fan-out or heartbeat tick. */
  readonly clock: number
  /** Last id given to a client (each new client takes the next). */
  lastClientId: number
  // counters the clients move
  delivered: number
  bytes: number
  droppedSlowClients: number
  heartbeats: number
  /** Passes a survived error to the `onError` hook. */
  reportError(error: unknown, client?: HubClient): void
  /** Takes a closed client out of its room and calls `onDisconnect`. */
  detach(client: Client, reason: DisconnectReason): void
}

/**
 * A connected listener of either transport: the hub's bookkeeping (pending live messages while joining, the
 * replay floor, byte bounds) over a transport's writes.
 * @internal
 */
export abstract class Client implements HubClient {
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
    readonly hub: ClientHost,
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

/**
 * An SSE stream on an HTTP response; writes go straight to the socket (with chunk framing) when allowed.
 * @internal
 */
export class SseClient extends Client {
  readonly transport = 'sse' as const
  /** Set when frames go straight to the socket, HTTP chunk framing included. */
  private readonly direct: Socket | null
  /** Frames held while the socket is over its high-water mark, flushed on 'drain'. */
  private queue: Buffer[] | null = null
  private queueBytes = 0
  private drainWaiters: (() => void)[] = []

  constructor(
    hub: ClientHost,
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

/**
 * A WebSocket connection (the `ws` library) with ping/pong liveness.
 * @internal
 */
export class WsClient extends Client {
  readonly transport = 'ws' as const
  pingSentAt = 0

  constructor(
    hub: ClientHost,
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
