import { Redis, type RedisOptions } from 'ioredis'
import type { ReplayEntry, ReplayListener, ReplayResult, ReplayStore } from '@auralis/server-sse'
import { DATA_FIELD, toReplayEntry, TYPE_FIELD, type RawEntry } from './entries.js'
import { RedisStoreError } from './errors.js'
import { StreamFeed } from './feed.js'
import { compareStreamIds, isStreamId, streamIdTime } from './ids.js'

/** Connection state of a {@link RedisReplayStore}. */
export type RedisStoreStatus = 'ready' | 'down'

/** Options of {@link createRedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /**
   * An ioredis client to run commands on (not closed by the store). The store opens one more connection,
   * `redis.duplicate()`, for its blocking reads. Do not set ioredis's own `keyPrefix` on it: use `keyPrefix`.
   */
  redis?: Redis
  /** Where to connect when no `redis` is given (`redis://host:port/db`). Default `redis://127.0.0.1:6379`. */
  url?: string
  /** Extra ioredis options for the connections the store opens itself. */
  redisOptions?: RedisOptions
  /** Prefix of every stream key: a room's log is the stream `keyPrefix + room`. Default `sse:`. */
  keyPrefix?: string
  /** Entries kept per room, approximately (`XADD … MAXLEN ~ n`: Redis trims whole nodes). Default 1,000. */
  maxEntries?: number
  /** Age in ms after which entries are trimmed (`XTRIM … MINID ~`) and an idle room's key expires. Default 5 min. */
  maxAgeMs?: number
  /** Longest single blocking read of the feed, in ms (it re-arms after). Default 5,000. */
  blockMs?: number
  /** How long a command waits for a connection before it rejects with `unavailable`, in ms. Default 1,000. */
  commandTimeoutMs?: number
  /** Most entries the feed reads per room in one round trip. Default 512. */
  readCount?: number
  /**
   * Client name shown by `CLIENT LIST`: the store's connections are `<name>:cmd` (when it opens its own) and
   * `<name>:feed`. Default `auralis-sse`.
   */
  connectionName?: string
  /** Failures the store survived (a lost connection, a failed read); the feed retries by itself. */
  onError?: (error: unknown) => void
  /** The command connection went down or came back. */
  onStatus?: (status: RedisStoreStatus) => void
}

/** How often, per room, `append` also trims by age. */
const AGE_TRIM_EVERY_MS = 1000
/** Extra time an idle room's key lives past `maxAgeMs`. */
const EXPIRE_SLACK_MS = 60_000

const isReplyError = (err: unknown): boolean => (err as Error | undefined)?.name === 'ReplyError'

/**
 * A `ReplayStore` (from `@auralis/server-sse`) on Redis Streams: ids are Redis stream ids (global per room, so `Last-Event-ID`
 * resumes on any instance), entries fan out across instances through a blocking `XREAD` over the rooms this
 * process has clients in, and Redis does the bounding (`MAXLEN ~`, `MINID ~`, key expiry).
 */
export class RedisReplayStore implements ReplayStore {
  /** Entries kept per room (approximately). */
  readonly maxEntries: number
  /** Age bound in ms. */
  readonly maxAgeMs: number
  /** Stream key prefix. */
  readonly keyPrefix: string
  /** The command connection. */
  readonly command: Redis
  /** The connection of the blocking reads. */
  readonly reader: Redis
  private readonly ownCommand: boolean
  private readonly listeners = new Set<ReplayListener>()
  private readonly feed: StreamFeed
  private readonly commandTimeoutMs: number
  private readonly options: RedisReplayStoreOptions
  private readonly known = new Map<string, { lastTrim: number }>()
  private status: RedisStoreStatus = 'down'
  private closed = false

  constructor(options: RedisReplayStoreOptions = {}) {
    this.options = options
    this.maxEntries = options.maxEntries ?? 1000
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000
    this.keyPrefix = options.keyPrefix ?? 'sse:'
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('maxEntries must be an integer >= 1')
    if (!(this.maxAgeMs > 0)) throw new RangeError('maxAgeMs must be > 0 (Infinity: no age bound)')
    const blockMs = options.blockMs ?? 5000
    if (!Number.isInteger(blockMs) || blockMs < 1) throw new RangeError('blockMs must be an integer >= 1')
    // Fail fast while disconnected (no offline queue, no retried requests): append rejects with a clear error
    // instead of publishing stale messages minutes later; ioredis keeps reconnecting in the background.
    const overrides: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(50 * times, 500),
      ...options.redisOptions,
    }
    const name = options.connectionName ?? 'auralis-sse'
    if (options.redis) {
      this.command = options.redis
      this.ownCommand = false
    } else {
      this.command = new Redis(options.url ?? 'redis://127.0.0.1:6379', { connectionName: `${name}:cmd`, ...overrides })
      this.ownCommand = true
    }
    this.reader = this.command.duplicate({ ...overrides, connectionName: `${name}:feed` })
    // ioredis emits 'error' on every failed reconnect; without a listener Node would print each one.
    for (const conn of [this.command, this.reader]) conn.on('error', (err) => this.report(err))
    this.command.on('ready', () => this.setStatus('ready'))
    this.command.on('close', () => this.setStatus('down'))
    if (this.command.status === 'ready') this.status = 'ready'
    this.feed = new StreamFeed(
      {
        reader: this.reader,
        command: this.command,
        key: (room) => this.key(room),
        room: (key) => key.slice(this.keyPrefix.length),
        emit: (room, entry) => this.emit(room, entry),
        report: (err) => this.report(err),
        latestId: (room) => this.latestId(room),
      },
      { blockMs, count: options.readCount ?? 512 },
    )
  }

  /** `ready` while the command connection is up. */
  get connectionStatus(): RedisStoreStatus {
    return this.status
  }

  /** True when both connections are up (commands and the feed). */
  isReady(): boolean {
    return !this.closed && this.command.status === 'ready' && this.reader.status === 'ready'
  }

  /** Resolves once the command connection is up (rejects with `unavailable` after `timeoutMs`). */
  async ready(timeoutMs = this.commandTimeoutMs): Promise<void> {
    if (this.closed) throw new RedisStoreError('closed', 'ready', undefined)
    if (this.command.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      const done = (ok: boolean) => {
        clearTimeout(timer)
        this.command.off('ready', onReady)
        if (ok) resolve()
        else reject(new RedisStoreError('unavailable', 'connect', undefined))
      }
      const onReady = () => done(true)
      const timer = setTimeout(() => done(false), timeoutMs)
      this.command.once('ready', onReady)
    })
  }

  /** The stream key of a room. */
  key(room: string): string {
    return this.keyPrefix + room
  }

  async append(room: string, type: string, data: string): Promise<ReplayEntry> {
    await this.connected('append', room)
    const key = this.key(room)
    // Decided when the XADD is written: rooms this process follows get their entries from the feed.
    const direct = !this.feed.watching(room)
    const state = this.known.get(room) ?? { lastTrim: 0 }
    this.known.set(room, state)
    const pipe = this.command.pipeline()
    pipe.xadd(key, 'MAXLEN', '~', this.maxEntries, '*', TYPE_FIELD, type, DATA_FIELD, data)
    if (Number.isFinite(this.maxAgeMs)) {
      pipe.pexpire(key, Math.ceil(this.maxAgeMs) + EXPIRE_SLACK_MS)
      const now = Date.now()
      if (now - state.lastTrim >= AGE_TRIM_EVERY_MS) {
        state.lastTrim = now
        pipe.xtrim(key, 'MINID', '~', this.minId())
      }
    }
    let results: [Error | null, unknown][] | null
    try {
      results = await pipe.exec()
    } catch (err) {
      throw this.wrap(err, 'append', room)
    }
    const [err, id] = results?.[0] ?? [new Error('no reply'), null]
    if (err || typeof id !== 'string') throw this.wrap(err, 'append', room)
    const entry: ReplayEntry = { id, type, data, time: streamIdTime(id) }
    if (direct) this.emit(room, entry)
    return entry
  }

  async since(room: string, lastId: string): Promise<ReplayResult> {
    await this.connected('since', room)
    if (!isStreamId(lastId)) {
      try {
        return { expired: true, latestId: nonZero(await this.latestId(room)) }
      } catch (err) {
        throw this.wrap(err, 'since', room)
      }
    }
    const key = this.key(room)
    let found: RawEntry[]
    let after: RawEntry[]
    try {
      const results = await this.command.multi().xrange(key, lastId, lastId).xrange(key, `(${lastId}`, '+').exec()
      if (!results) throw new Error('transaction aborted')
      for (const [err] of results) if (err) throw err
      found = results[0][1] as RawEntry[]
      after = results[1][1] as RawEntry[]
    } catch (err) {
      throw this.wrap(err, 'since', room)
    }
    if (found.length > 0) return { entries: after.map(toReplayEntry) }
    // The id is not retained. Nothing was missed only if it is the room's last id ever (the log was trimmed
    // down to nothing after it). Otherwise it was trimmed with entries after it, or never was an id of this log.
    const last = await this.lastGeneratedId(key)
    if (last === lastId && after.length === 0) return { entries: [] }
    return { expired: true, latestId: after.at(-1)?.[0] ?? nonZero(await this.latestId(room)) }
  }

  async latest(room: string): Promise<ReplayEntry | undefined> {
    await this.connected('latest', room)
    try {
      const rows = (await this.command.xrevrange(this.key(room), '+', '-', 'COUNT', 1)) as RawEntry[]
      return rows.length > 0 ? toReplayEntry(rows[0]) : undefined
    } catch (err) {
      throw this.wrap(err, 'latest', room)
    }
  }

  async trim(room?: string): Promise<void> {
    const rooms = room !== undefined ? [room] : [...this.known.keys(), ...this.feed.watched()]
    if (rooms.length === 0) return
    await this.connected('trim', room)
    const pipe = this.command.pipeline()
    // Exact here (appends trim approximately, by whole nodes, which is cheaper).
    for (const r of new Set(rooms)) {
      pipe.xtrim(this.key(r), 'MAXLEN', this.maxEntries)
      if (Number.isFinite(this.maxAgeMs)) pipe.xtrim(this.key(r), 'MINID', this.minId())
    }
    try {
      await pipe.exec()
    } catch (err) {
      throw this.wrap(err, 'trim', room)
    }
  }

  async delete(room: string): Promise<void> {
    await this.connected('delete', room)
    this.known.delete(room)
    try {
      await this.command.del(this.key(room))
    } catch (err) {
      throw this.wrap(err, 'delete', room)
    }
  }

  compareIds(a: string, b: string): number {
    return compareStreamIds(a, b)
  }

  subscribe(listener: ReplayListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  watch(room: string): void {
    if (!this.closed) this.feed.watch(room)
  }

  unwatch(room: string): void {
    this.feed.unwatch(room)
  }

  /**
   * True once the feed follows `room` from a known id: every entry appended from now on, by any instance,
   * will be emitted. (Right after `watch` the starting point is still being read.)
   */
  isFollowing(room: string): boolean {
    return this.feed.following(room)
  }

  /** Rooms the feed follows now (rooms with clients in this process). */
  watchedRooms(): string[] {
    return this.feed.watched()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.feed.close()
    this.reader.disconnect()
    if (this.ownCommand) {
      await this.command.quit().catch(() => this.command.disconnect())
    }
  }

  /** Latest id of a room, or `0-0` when it has none (used as the feed's starting point). */
  private async latestId(room: string): Promise<string> {
    const rows = (await this.command.xrevrange(this.key(room), '+', '-', 'COUNT', 1)) as RawEntry[]
    return rows[0]?.[0] ?? '0-0'
  }

  private async lastGeneratedId(key: string): Promise<string | undefined> {
    try {
      const info = (await this.command.xinfo('STREAM', key)) as unknown[]
      const at = info.indexOf('last-generated-id')
      return at >= 0 ? String(info[at + 1]) : undefined
    } catch (err) {
      if (isReplyError(err)) return undefined // no such key
      throw this.wrap(err, 'since', undefined)
    }
  }

  /** Oldest id kept by the age bound (this process's clock; ids carry the Redis server's). */
  private minId(): string {
    return `${Math.max(0, Date.now() - Math.ceil(this.maxAgeMs))}-0`
  }

  private async connected(operation: string, room: string | undefined): Promise<void> {
    if (this.closed) throw new RedisStoreError('closed', operation, room)
    if (this.command.status === 'ready') return
    try {
      await this.ready()
    } catch {
      throw new RedisStoreError('unavailable', operation, room)
    }
  }

  private wrap(err: unknown, operation: string, room: string | undefined): RedisStoreError {
    if (err instanceof RedisStoreError) return err
    if (this.closed) return new RedisStoreError('closed', operation, room, err)
    return new RedisStoreError(isReplyError(err) ? 'command' : 'unavailable', operation, room, err)
  }

  private emit(room: string, entry: ReplayEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(room, entry)
      } catch (err) {
        this.report(err)
      }
    }
  }

  private setStatus(status: RedisStoreStatus): void {
    if (this.status === status) return
    this.status = status
    try {
      this.options.onStatus?.(status)
    } catch (err) {
      this.report(err)
    }
  }

  private report(err: unknown): void {
    if (this.closed) return
    try {
      this.options.onError?.(err)
    } catch {
      // A reporter that throws has nowhere left to report to.
    }
  }
}

const nonZero = (id: string): string | undefined => (id === '0-0' ? undefined : id)

/** Creates a Redis Streams replay store: pass it as `createHub({ store })` on every instance. */
export function createRedisReplayStore(options: RedisReplayStoreOptions = {}): RedisReplayStore {
  return new RedisReplayStore(options)
}
