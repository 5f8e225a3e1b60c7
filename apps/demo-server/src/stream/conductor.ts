import { sectionDuration, type ControlsMessage, type ControlsRequest, type Section } from '@auralis/protocol'
import { fallbackSection, sectionEnd } from './fallback.js'
import { systemClock, type Clock, type ComposerPort, type PublishPort } from './types.js'

/** What happened when one section was published (for metrics and logs). */
export interface SectionReport {
  section: Section
  /** Message id the hub assigned. */
  id: string
  /** Milliseconds spent composing (0 for a fallback after a failure). */
  composeMs: number
  /** Seconds between publishing and the section's start (the lead actually achieved). */
  leadSeconds: number
  /** True when the section was published with less than `minLeadSeconds` to spare. */
  late: boolean
  /** True when a fallback was published instead of a composed section. */
  fallback: boolean
}

/** Options for a {@link Conductor}. */
export interface ConductorOptions {
  /** Hub room the stream publishes to. */
  room: string
  /** Stream epoch: server wall-clock ms at its start. */
  epoch: number
  composer: ComposerPort
  publisher: PublishPort
  clock?: Clock
  /** Seconds of lead beyond one section (DESIGN: ≈1 s plus one section). */
  leadSeconds?: number
  /** A section published with less lead than this counts as late. */
  minLeadSeconds?: number
  /** Longest wait for an asynchronous (LLM) composition, in ms, before a fallback is published instead. */
  asyncBudgetMs?: number
  /** Sections kept for exports and late joiners. */
  historyLimit?: number
  /** Called after each publish. */
  onSection?: (report: SectionReport) => void
  /** Called when composing or publishing fails (the stream goes on). */
  onError?: (err: unknown, phase: 'compose' | 'publish') => void
  /**
   * Sections of this stream already published (by another instance, say), oldest first: the conductor
   * continues after the last one, so `composer` must be in the state that follows it (a restored snapshot).
   */
  history?: readonly { section: Section; id: string }[]
  /** The controls message in force (default: the composer's controls from bar 0). */
  controls?: ControlsMessage
}

/**
 * Drives one stream: composes sections ahead of their start and publishes them, keeping about
 * `leadSeconds` plus one section buffered. Failed or overdue compositions become fallback sections,
 * so a stream never has a silent gap.
 */
export class Conductor {
  readonly room: string
  readonly epoch: number
  private readonly composer: ComposerPort
  private readonly publisher: PublishPort
  private readonly clock: Clock
  private readonly lead: number
  /** Seconds of lead beyond one section. */
  get leadSeconds(): number {
    return this.lead
  }
  private readonly minLead: number
  private readonly asyncBudgetMs: number
  private readonly historyLimit: number
  private readonly onSection?: (r: SectionReport) => void
  private readonly onError?: (err: unknown, phase: 'compose' | 'publish') => void
  private readonly sections: { section: Section; id: string }[] = []
  private cancelTimer: (() => void) | null = null
  private running = false
  private busy = false
  private controlsMessage: ControlsMessage
  /** Counters since start. */
  readonly counters = { published: 0, fallbacks: 0, late: 0, errors: 0 }

  constructor(options: ConductorOptions) {
    this.room = options.room
    this.epoch = options.epoch
    this.composer = options.composer
    this.publisher = options.publisher
    this.clock = options.clock ?? systemClock
    this.lead = options.leadSeconds ?? 1
    this.minLead = options.minLeadSeconds ?? 0.25
    this.asyncBudgetMs = options.asyncBudgetMs ?? 8000
    this.historyLimit = options.historyLimit ?? 4096
    this.onSection = options.onSection
    this.onError = options.onError
    this.controlsMessage = options.controls ?? { controls: { ...this.composer.controls }, bar: 0, time: 0 }
    for (const h of options.history ?? []) this.record(h.section, h.id)
  }

  /**
   * Records a section published elsewhere (a relay following another instance's conductor), for late joiners
   * and exports. Ignored unless it comes after the last one known, so a repeat is harmless.
   */
  record(section: Section, id: string): boolean {
    const last = this.last()
    if (last && section.index <= last.index) return false
    this.sections.push({ section, id })
    if (this.sections.length > this.historyLimit) this.sections.splice(0, this.sections.length - this.historyLimit)
    return true
  }

  /** Records the controls message published elsewhere (a relay following another instance's conductor). */
  recordControls(message: ControlsMessage): void {
    this.controlsMessage = message
  }

  /** True while the loop runs (this instance composes the stream). */
  get isRunning(): boolean {
    return this.running
  }

  /** Controls in force and the bar they applied from. */
  get controls(): ControlsMessage {
    return this.controlsMessage
  }

  /** Seconds since the epoch, now. */
  nowSeconds(): number {
    return (this.clock.now() - this.epoch) / 1000
  }

  /** Starts composing and publishing. */
  start(): void {
    if (this.running) return
    this.running = true
    void this.tick()
  }

  /** Stops the loop (the composer keeps its state). */
  stop(): void {
    this.running = false
    this.cancelTimer?.()
    this.cancelTimer = null
  }

  /** Changes controls from the next bar not yet published, announces them on the stream, and returns them. */
  async setControls(request: ControlsRequest): Promise<ControlsMessage> {
    const { bar, time } = this.composer.set(request)
    this.controlsMessage = { controls: { ...this.composer.controls }, bar, time }
    try {
      await this.publisher.publish(this.room, 'controls', this.controlsMessage)
    } catch (err) {
      this.onError?.(err, 'publish')
    }
    return this.controlsMessage
  }

  /** Sections published so far (most recent `historyLimit`), optionally those overlapping [from, to) seconds. */
  history(from = -Infinity, to = Infinity): Section[] {
    return this.sections.map((s) => s.section).filter((s) => sectionEnd(s) > from && s.startTime < to)
  }

  /** Published sections still playing or yet to play at `nowSeconds` (what a late joiner needs), with ids. */
  upcoming(nowSeconds = this.nowSeconds()): { section: Section; id: string }[] {
    return this.sections.filter((s) => sectionEnd(s.section) > nowSeconds)
  }

  /** The most recently published section, if any. */
  last(): Section | undefined {
    return this.sections.at(-1)?.section
  }

  /** The composer's snapshot (plain JSON). */
  snapshot(): unknown {
    return this.composer.snapshot()
  }

  private async tick(): Promise<void> {
    if (!this.running || this.busy) return
    this.busy = true
    try {
      while (this.running && this.needsSection()) await this.publishNext()
    } finally {
      this.busy = false
    }
    if (this.running) this.scheduleNext()
  }

  private lastDuration(): number {
    const last = this.last()
    return last ? sectionDuration(last) : 0
  }

  private nextStart(): number {
    const last = this.last()
    return last ? sectionEnd(last) : 0
  }

  private needsSection(): boolean {
    return this.nextStart() - this.nowSeconds() <= this.lead + this.lastDuration() + 1e-9
  }

  private scheduleNext(): void {
    const waitSeconds = this.nextStart() - this.nowSeconds() - this.lead - this.lastDuration()
    this.cancelTimer = this.clock.setTimer(() => void this.tick(), Math.max(1, waitSeconds * 1000))
  }

  /**
   * Composes the next section. An asynchronous (LLM) composition races the slot's deadline; one that loses is
   * kept as `pending` and the slots it holds up get fallbacks until it settles, so the loop never blocks.
   */
  private async compose(): Promise<Section> {
    if (!this.composer.nextAsync) return this.composer.next()
    const started = this.clock.now()
    const deadline = Math.min(this.asyncBudgetMs, (this.nextStart() - this.minLead) * 1000 + this.epoch - started)
    const pending = { settled: false, promise: this.composer.nextAsync() }
    pending.promise.then(() => { pending.settled = true }, () => { pending.settled = true })
    let cancel: () => void = () => {}
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.clock.setTimer(() => {
        this.pending = pending
        reject(new Error(`composition overdue after ${Math.round(deadline)} ms`))
      }, Math.max(0, deadline))
    })
    try {
      return await Promise.race([pending.promise, timeout])
    } finally {
      cancel()
    }
  }

  /** An asynchronous composition that missed its deadline and has not settled yet. */
  private pending: { settled: boolean; promise: Promise<Section> } | null = null

  private async publishNext(): Promise<void> {
    const previous = this.last()
    const slot = previous
      ? { index: previous.index + 1, startTime: sectionEnd(previous), bar: previous.bar + previous.bars }
      : { index: 0, startTime: 0, bar: 0 }
    const started = performance.now()
    let section: Section | undefined
    let fallback = false
    try {
      if (this.pending && !this.pending.settled) throw new Error('previous composition still running')
      this.pending = null
      section = await this.compose()
      // A composer that fell behind (e.g. after a failure) is advanced to the slot being filled.
      for (let i = 0; i < 64 && section.startTime < slot.startTime - 1e-9; i++) section = this.composer.next()
    } catch (err) {
      this.counters.errors++
      this.onError?.(err, 'compose')
    }
    if (!section || Math.abs(section.startTime - slot.startTime) > 1e-6) {
      if (!previous) {
        // Nothing to repeat yet: try the synchronous generator once more before giving up on this tick.
        section = this.composer.next()
      } else {
        section = fallbackSection(previous, slot)
        fallback = true
      }
    }
    const composeMs = performance.now() - started
    let id: string
    try {
      id = await this.publisher.publish(this.room, 'section', section)
    } catch (err) {
      this.counters.errors++
      this.onError?.(err, 'publish')
      id = ''
    }
    this.sections.push({ section, id })
    if (this.sections.length > this.historyLimit) this.sections.splice(0, this.sections.length - this.historyLimit)
    const leadSeconds = section.startTime - this.nowSeconds()
    const late = leadSeconds < this.minLead
    this.counters.published++
    if (fallback) this.counters.fallbacks++
    if (late) this.counters.late++
    this.onSection?.({ section, id, composeMs, leadSeconds, late, fallback })
  }
}
