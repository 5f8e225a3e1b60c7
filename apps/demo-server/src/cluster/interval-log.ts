import type { Logger } from 'pino'

/**
 * Logs an outage once per interval, not once per failure: the first failure is logged at once, later ones are
 * counted and summarised at most every `intervalMs`; the recovery is logged once.
 */
export class IntervalLog {
  private failures = 0
  private lastLogAt = -Infinity
  private down = false
  private quietUntil: number

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
    /** Failures in the first `graceMs` are not logged unless {@link connected} was called (start-up). */
    graceMs = 0,
  ) {
    this.quietUntil = now() + graceMs
  }

  /** The first connection was made: from now on every failure counts. */
  connected(): void {
    this.quietUntil = 0
  }

  /** True between a failure and the next recovery. */
  get failing(): boolean {
    return this.down
  }

  /**
   * Records one failure (logs when the interval has passed). An error Redis answered (a `ReplyError`) is no
   * outage: it is logged under the same interval but does not mark the dependency down.
   */
  failure(err: unknown): void {
    if (this.now() < this.quietUntil) return
    if ((err as Error | undefined)?.name !== 'ReplyError') this.down = true
    this.failures++
    const t = this.now()
    if (t - this.lastLogAt < this.intervalMs) return
    this.logger.warn({ err: err instanceof Error ? err.message : String(err), failures: this.failures }, `${this.what} unavailable`)
    this.failures = 0
    this.lastLogAt = t
  }

  /** Records that the dependency answers again (logged once). */
  recovered(): void {
    if (!this.down) return
    this.down = false
    this.failures = 0
    this.logger.info(`${this.what} reachable again`)
  }
}
