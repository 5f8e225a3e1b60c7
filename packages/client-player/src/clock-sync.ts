/**
 * Clock sync against the server's `GET /api/time` (`{ serverTime }` in ms): bursts of pings, the estimate
 * of clock-math.ts, re-synced every few seconds.
 */
import { TimeResponseSchema, parseWith } from '@auralis/protocol'
import { estimateClock, mergeOffset, type ClockEstimate, type ClockSample } from './clock-math.js'
import { PlayerError } from './errors.js'

/** Options of {@link ClockSync}. */
export interface ClockSyncOptions {
  /** The clock endpoint. */
  readonly url: string
  /** Pings per burst (default 7). */
  readonly samples?: number
  /** Time between bursts, ms (default 5000; the second burst comes after 1 s). */
  readonly intervalMs?: number
  /**
   * Samples older than this (ms) leave the estimate (default 30 000). The estimate uses every sample in
   * the window, so the best (lowest-RTT) pings of several bursts are kept — pings taken while the page or
   * network was busy are outvoted.
   */
  readonly windowMs?: number
  /** Local clock in ms (default `performance.timeOrigin + performance.now()`). */
  readonly now?: () => number
  /** Give up on one ping after this many ms (default 2000). */
  readonly timeoutMs?: number
  /** `fetch` to use (default the global one). */
  readonly fetch?: typeof fetch
}

/** Keeps an estimate of `server clock − local clock`. */
export class ClockSync {
  private offset: number | undefined
  private last: ClockEstimate | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private running = false
  private syncs = 0
  private window: ClockSample[] = []
  private readonly now: () => number

  constructor(private readonly options: ClockSyncOptions) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now())
  }

  /** Current offset (server − local, ms), once a burst succeeded. */
  get offsetMs(): number | undefined {
    return this.offset
  }

  /** The latest burst's estimate (RTT, samples used). */
  get estimate(): ClockEstimate | undefined {
    return this.last
  }

  /** Bursts completed. */
  get syncCount(): number {
    return this.syncs
  }

  /** Local clock now (ms). */
  localNow(): number {
    return this.now()
  }

  /**
   * Seeds the offset from a one-way reading (e.g. `hello.serverTime` at arrival) while no ping has
   * answered yet. Ignored once a burst succeeded.
   */
  seed(serverTimeMs: number): void {
    if (this.syncs === 0) this.offset = serverTimeMs - this.now()
  }

  /** One ping. */
  private async ping(): Promise<ClockSample> {
    const f = this.options.fetch ?? fetch
    const t0 = this.now()
    const res = await f(this.options.url, { cache: 'no-store', signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000) })
    const t1 = this.now()
    if (!res.ok) throw new PlayerError('clock', `GET ${this.options.url} answered ${res.status}`)
    const body = parseWith(TimeResponseSchema, await res.text())
    return { t0, t1, serverTime: body.serverTime }
  }

  /** Runs one burst of pings and updates the offset; rejects with `PlayerError('clock')` when all fail. */
  async syncOnce(): Promise<ClockEstimate> {
    const n = this.options.samples ?? 7
    const samples: ClockSample[] = []
    let lastErr: unknown
    for (let i = 0; i < n; i++) {
      try {
        samples.push(await this.ping())
      } catch (err) {
        lastErr = err
      }
    }
    const horizon = this.now() - (this.options.windowMs ?? 30_000)
    this.window = [...this.window.filter((w) => w.t1 >= horizon), ...samples]
    const est = samples.length ? estimateClock(this.window) : undefined
    if (!est) {
      throw new PlayerError('clock', `clock sync failed: ${(lastErr as Error)?.message ?? 'no valid sample'}`, { cause: lastErr })
    }
    this.offset = this.syncs === 0 ? est.offsetMs : mergeOffset(this.offset, est.offsetMs)
    this.last = est
    this.syncs++
    return est
  }

  /** Starts periodic re-sync (the first burst runs at once); errors go to `onError`. */
  start(onError: (e: PlayerError) => void): Promise<void> {
    this.running = true
    const loop = async (): Promise<void> => {
      try {
        await this.syncOnce()
      } catch (err) {
        onError(err instanceof PlayerError ? err : new PlayerError('clock', String(err), { cause: err }))
      }
      const interval = this.options.intervalMs ?? 5000
      if (this.running) this.timer = setTimeout(loop, this.syncs === 1 ? Math.min(1000, interval) : interval)
    }
    return loop()
  }

  /** Stops re-syncing. */
  stop(): void {
    this.running = false
    clearTimeout(this.timer)
  }
}
