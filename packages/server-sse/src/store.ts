/**
 * The replay log behind a hub: ids, bounded history and the feed of appended entries.
 *
 * The interface is asynchronous and id-based so that a shared store (Redis Streams, say) can implement it:
 * ids are opaque strings ordered by {@link ReplayStore.compareIds}, and the hub fans out what the store's
 * {@link ReplayStore.subscribe} feed emits — so entries appended by another server instance reach this
 * instance's clients the same way as its own.
 */

/** One published message as the store keeps it. */
export interface ReplayEntry {
  /** Id, unique and increasing within its room (an SSE `id`). */
  readonly id: string
  /** Message type (the SSE `event` name). */
  readonly type: string
  /** Serialised payload (JSON text unless the publisher passed its own string). */
  readonly data: string
  /** Wall-clock milliseconds when it was appended. */
  readonly time: number
}

/** What {@link ReplayStore.since} found. */
export type ReplayResult =
  /** Every entry after the given id, oldest first (empty: nothing was missed). */
  | { readonly entries: readonly ReplayEntry[] }
  /**
   * The id is older than the log (trimmed), unknown, or from another generation of the log: the missed
   * entries cannot be listed. `latestId` is the newest id at the time of the read, if any.
   */
  | { readonly expired: true; readonly latestId?: string }

/** Called with every entry appended to any room, in id order within a room. */
export type ReplayListener = (room: string, entry: ReplayEntry) => void

/**
 * Storage for room logs. All reads and writes may be asynchronous.
 *
 * Contract the hub relies on:
 * - `append` assigns an id greater than every earlier id of that room and resolves with the entry;
 * - every appended entry (from this process or, for shared stores, from any process) is emitted to the
 *   `subscribe` listeners exactly once, in id order per room — the hub delivers to live clients from this
 *   feed only, never from `append`'s result;
 * - `since(room, lastId)` lists every retained entry with an id greater than `lastId`, or says `expired`
 *   when some of them are no longer retained (or `lastId` is not an id of this log);
 * - `compareIds` orders two ids of the same room.
 */
export interface ReplayStore {
  append(room: string, type: string, data: string): Promise<ReplayEntry>
  since(room: string, lastId: string): Promise<ReplayResult>
  latest(room: string): Promise<ReplayEntry | undefined>
  /** Applies the count and age bounds now (stores may also trim lazily on their own). */
  trim(room?: string): Promise<void>
  /** Forgets a room and its log. */
  delete(room: string): Promise<void>
  /** Negative, zero or positive as `a` is before, equal to or after `b`. */
  compareIds(a: string, b: string): number
  /** Registers a feed listener; returns the function that removes it. */
  subscribe(listener: ReplayListener): () => void
  /** Hint: this process now has clients in `room` (a shared store starts following it). */
  watch?(room: string): void
  /** Hint: this process has no more clients in `room`. */
  unwatch?(room: string): void
  /** Releases timers and connections. */
  close?(): void | Promise<void>
}

/** Bounds of the in-memory log, per room. */
export interface MemoryStoreOptions {
  /** Entries kept per room (default 1,000). */
  maxEntries?: number
  /** Age in milliseconds after which an entry is dropped (default 5 minutes). */
  maxAgeMs?: number
  /**
   * First id of a new room, minus one. Default: `Date.now() * 1000` when the room is created, so ids keep
   * increasing across restarts and a client resuming with an id from an earlier process gets `reset`
   * instead of someone else's messages. Tests may pass 0 for ids 1, 2, 3…
   */
  startSeq?: number | (() => number)
  /** Clock (default `Date.now`), for tests. */
  now?: () => number
}

interface RoomLog {
  /** The sequence number before the room's first id: ids of an earlier generation are at most this. */
  readonly base: number
  /** Last sequence number assigned. */
  seq: number
  /** Retained entries from `head` on; sequence numbers are contiguous. */
  entries: StoredEntry[]
  head: number
}

interface StoredEntry extends ReplayEntry {
  readonly seq: number
}

const SEQ = /^(0|[1-9][0-9]{0,15})$/

/**
 * The default store: one bounded array per room, ids are decimal integers (as strings). It emits each
 * entry to subscribers synchronously inside `append`, so a hub using it starts the fan-out before
 * `publish` returns (and finishes it there unless it is longer than the hub's `fanoutSliceMs`).
 */
export class MemoryReplayStore implements ReplayStore {
  readonly maxEntries: number
  readonly maxAgeMs: number
  private readonly rooms = new Map<string, RoomLog>()
  private readonly listeners = new Set<ReplayListener>()
  private readonly startSeq: () => number
  private readonly now: () => number

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000
    this.maxAgeMs = options.maxAgeMs ?? 5 * 60_000
    if (!(this.maxEntries >= 0) || !(this.maxAgeMs >= 0)) throw new RangeError('maxEntries and maxAgeMs must be >= 0')
    this.now = options.now ?? Date.now
    const start = options.startSeq
    this.startSeq = typeof start === 'function' ? start : start !== undefined ? () => start : () => this.now() * 1000
  }

  async append(room: string, type: string, data: string): Promise<ReplayEntry> {
    return this.appendSync(room, type, data)
  }

  /** `append` without the promise (the in-memory store can answer at once). */
  appendSync(room: string, type: string, data: string): ReplayEntry {
    let log = this.rooms.get(room)
    if (!log) {
      const base = this.startSeq()
      log = { base, seq: base, entries: [], head: 0 }
      this.rooms.set(room, log)
    }
    const seq = ++log.seq
    const entry: StoredEntry = { id: String(seq), seq, type, data, time: this.now() }
    log.entries.push(entry)
    this.trimLog(log)
    for (const listener of this.listeners) listener(room, entry)
    return entry
  }

  async since(room: string, lastId: string): Promise<ReplayResult> {
    return this.sinceSync(room, lastId)
  }

  /** `since` without the promise. */
  sinceSync(room: string, lastId: string): ReplayResult {
    const log = this.rooms.get(room)
    const latestId = log && log.seq > log.base ? String(log.seq) : undefined
    if (!SEQ.test(lastId)) return { expired: true, latestId }
    const last = Number(lastId)
    // Unknown room: nothing was ever published here (in this process), so the id cannot be ours.
    if (!log || last < log.base || last > log.seq) return { expired: true, latestId }
    if (last === log.seq) return { entries: [] }
    this.trimLog(log)
    const first = log.entries[log.head]
    if (!first || first.seq > last + 1) return { expired: true, latestId }
    return { entries: log.entries.slice(log.head + (last + 1 - first.seq)) }
  }

  async latest(room: string): Promise<ReplayEntry | undefined> {
    const log = this.rooms.get(room)
    if (!log) return undefined
    this.trimLog(log)
    return log.entries[log.entries.length - 1]
  }

  async trim(room?: string): Promise<void> {
    if (room !== undefined) {
      const log = this.rooms.get(room)
      if (log) this.trimLog(log)
      return
    }
    for (const log of this.rooms.values()) this.trimLog(log)
  }

  async delete(room: string): Promise<void> {
    this.rooms.delete(room)
  }

  compareIds(a: string, b: string): number {
    return Number(a) - Number(b)
  }

  subscribe(listener: ReplayListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Retained entries of a room (for tests and inspection). */
  size(room: string): number {
    const log = this.rooms.get(room)
    if (!log) return 0
    this.trimLog(log)
    return log.entries.length - log.head
  }

  private trimLog(log: RoomLog): void {
    const { entries } = log
    let head = log.head
    const excess = entries.length - head - this.maxEntries
    if (excess > 0) head += excess
    const oldest = this.now() - this.maxAgeMs
    while (head < entries.length && entries[head].time < oldest) head++
    if (head === log.head) return
    // Compact once the dead prefix is large, so shifting stays amortised O(1).
    if (head >= 1024 || head * 2 >= entries.length) {
      log.entries = entries.slice(head)
      log.head = 0
    } else {
      log.head = head
    }
  }
}
