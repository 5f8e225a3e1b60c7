import type { Redis } from 'ioredis'
import type { ReplayEntry } from '@auralis/server-sse'
import { toReplayEntry, type RawEntry } from './entries.js'
import { compareStreamIds } from './ids.js'

/** A watched room: the last id this process has emitted (or started after). */
interface Watched {
  refs: number
  /** Null until the starting point is known. */
  cursor: string | null
}

/** What the feed needs from its store. */
export interface FeedHost {
  /** The connection used for blocking reads (nothing else runs on it). */
  readonly reader: Redis
  /** The command connection (used to wake the reader with CLIENT UNBLOCK). */
  readonly command: Redis
  key(room: string): string
  room(key: string): string
  emit(room: string, entry: ReplayEntry): void
  report(error: unknown): void
  /** Latest id of a room now (`0-0` when empty), read on the command connection. */
  latestId(room: string): Promise<string>
}

/** Options of {@link StreamFeed}. */
export interface FeedOptions {
  /** Longest single blocking read, in ms. */
  blockMs: number
  /** Most entries read per room per round trip. */
  count: number
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Cross-instance fan-out: one blocking `XREAD` over every watched room, on a dedicated connection. It emits
 * each entry once, in id order per room, and keeps a cursor per room so that after a lost connection it
 * resumes from the last id it emitted (no duplicate; no gap for entries still retained).
 */
export class StreamFeed {
  private readonly rooms = new Map<string, Watched>()
  private readonly host: FeedHost
  private readonly options: FeedOptions
  private closed = false
  private running = false
  private blocked = false
  private readerId: number | null = null
  private wakeIdle: (() => void) | null = null

  constructor(host: FeedHost, options: FeedOptions) {
    this.host = host
    this.options = options
    host.reader.on('close', () => {
      this.readerId = null
    })
  }

  /** True when this process follows `room`. */
  watching(room: string): boolean {
    return this.rooms.has(room)
  }

  /** True when `room` is followed and its starting point is known (entries from then on will be emitted). */
  following(room: string): boolean {
    return (this.rooms.get(room)?.cursor ?? null) !== null
  }

  /** Rooms followed now. */
  watched(): string[] {
    return [...this.rooms.keys()]
  }

  /** Starts following a room from its latest entry (read now on the command connection). */
  watch(room: string): void {
    const known = this.rooms.get(room)
    if (known) {
      known.refs++
      return
    }
    const w: Watched = { refs: 1, cursor: null }
    this.rooms.set(room, w)
    this.resolve(room, w)
    this.start()
  }

  /** Stops following a room once every watcher has left. */
  unwatch(room: string): void {
    const w = this.rooms.get(room)
    if (!w) return
    if (--w.refs <= 0) this.rooms.delete(room)
  }

  /** Stops the loop (the store closes the connection). */
  close(): void {
    this.closed = true
    this.wake()
  }

  /** Reads the room's starting point; issued synchronously, so it orders before later commands. */
  private resolve(room: string, w: Watched): void {
    this.host.latestId(room).then(
      (id) => {
        if (this.rooms.get(room) !== w || w.cursor !== null) return
        w.cursor = id
        this.wake()
      },
      (err) => {
        // Retried by the loop once Redis answers again.
        this.host.report(err)
      },
    )
  }

  private wake(): void {
    const idle = this.wakeIdle
    this.wakeIdle = null
    idle?.()
    if (this.blocked && this.readerId !== null && this.host.command.status === 'ready') {
      this.host.command.client('UNBLOCK', this.readerId).catch(() => {})
    }
  }

  private start(): void {
    if (this.running || this.closed) return
    this.running = true
    void this.loop()
  }

  private async loop(): Promise<void> {
    const { reader } = this.host
    let failures = 0
    while (!this.closed) {
      if (this.rooms.size === 0) {
        // Set here, not after the promise settles, so a watch() right after this finds the loop stopped.
        this.running = false
        return
      }
      try {
        if (reader.status !== 'ready') await this.readerReady()
        if (this.closed) return
        // Known before the read is armed (from here to the XREAD is synchronous), so wake() can always unblock it.
        if (this.readerId === null) this.readerId = Number(await reader.client('ID'))
        // Rooms whose starting point could not be read at watch() time (Redis was down) are read now.
        for (const [room, w] of [...this.rooms]) {
          if (w.cursor !== null) continue
          const id = await this.host.latestId(room)
          if (this.rooms.get(room) === w && w.cursor === null) w.cursor = id
        }
        const keys: string[] = []
        const ids: string[] = []
        for (const [room, w] of this.rooms) {
          if (w.cursor === null) continue
          keys.push(this.host.key(room))
          ids.push(w.cursor)
        }
        if (keys.length === 0) {
          await new Promise<void>((r) => {
            this.wakeIdle = r
            setTimeout(r, this.options.blockMs)
          })
          continue
        }
        this.blocked = true
        let result: [string, RawEntry[]][] | null
        try {
          result = (await reader.xread('COUNT', this.options.count, 'BLOCK', this.options.blockMs, 'STREAMS', ...keys, ...ids)) as
            | [string, RawEntry[]][]
            | null
        } finally {
          this.blocked = false
        }
        failures = 0
        if (result) this.deliver(result)
      } catch (err) {
        if (this.closed) return
        failures++
        this.host.report(err)
        await sleep(Math.min(50 * failures, 500))
      }
    }
  }

  private deliver(result: [string, RawEntry[]][]): void {
    for (const [key, entries] of result) {
      const room = this.host.room(key)
      for (const raw of entries) {
        // Looked up per entry: a listener may unwatch (or a re-watch may move the cursor) meanwhile.
        const w = this.rooms.get(room)
        if (!w || w.cursor === null) break
        if (compareStreamIds(raw[0], w.cursor) <= 0) continue
        w.cursor = raw[0]
        this.host.emit(room, toReplayEntry(raw))
      }
    }
  }

  private readerReady(): Promise<void> {
    const { reader } = this.host
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        reader.off('ready', done)
        resolve()
      }
      const timer = setTimeout(done, 1000)
      reader.once('ready', done)
    })
  }
}
