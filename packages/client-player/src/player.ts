/**
 * The player: transport → note queue → lookahead scheduler → output, with clock sync.
 */
import { audioMessageToChunk, type AudioChunk, type Controls, type Hello, type Section } from '@auralis/protocol'
import { createAudioOutput, isStreamAudioOutput, type AudioOutputOptions, type AudioOutputStats } from './audio-output.js'
import { ClockSync } from './clock-sync.js'
import { Emitter } from './emitter.js'
import { PlayerError } from './errors.js'
import { createMidiOutput, type MidiOutputOptions } from './midi-output.js'
import { NoteQueue } from './note-queue.js'
import { nowPlayingAt, type NowPlaying } from './now-playing.js'
import type { Output, ScheduledNote } from './output.js'
import {
  bufferedAheadS, performanceToServerMs, serverToContextS, serverToPerformanceMs, updateAudioClockMap, type AudioClockMap,
} from './schedule-math.js'
import { startTicker, type Ticker } from './timer.js'
import { createToneOutput } from './tone-output.js'
import type { ConnectionState, Transport, TransportHandlers } from './transport.js'
import { SseTransport } from './transport-sse.js'
import { WsTransport } from './transport-ws.js'
import { resolveStreamUrls, type StreamUrls } from './urls.js'

/** Options of {@link createPlayer}. */
export interface PlayerOptions {
  /** Stream base URL (`…/api/stations/ambient`), or its events (`…/events`) or WebSocket (`…/ws`) URL. */
  readonly url: string
  /** `sse` (default) or `ws`. */
  readonly transport?: 'sse' | 'ws'
  /**
   * `tone` (default), `midi`, `audio` (the server's own render, for audio-mode streams: needs a cross-origin
   * isolated page), or your own {@link Output}.
   */
  readonly output?: 'tone' | 'midi' | 'audio' | Output
  /** Clock endpoint (default `/api/time` on the stream's origin). */
  readonly timeUrl?: string
  /** Scheduler timer interval in ms (default 25). */
  readonly lookahead?: number
  /** How far ahead notes are handed to the output, in ms (default 120). */
  readonly scheduleAhead?: number
  /** Use this AudioContext instead of creating one in `play()`. */
  readonly audioContext?: AudioContext
  /** Clock pings per burst (default 7). */
  readonly clockSamples?: number
  /** Time between clock re-syncs in ms (default 5000). */
  readonly clockIntervalMs?: number
  /** Reconnect backoff first bound in ms (default 250). */
  readonly backoffBaseMs?: number
  /** Reconnect backoff cap in ms (default 10 000). */
  readonly backoffCapMs?: number
  /** Options of the `midi` output. */
  readonly midi?: MidiOutputOptions
  /** Options of the `audio` output (`bufferMs`: the jitter buffer's target depth). */
  readonly audio?: AudioOutputOptions
  /** Run the scheduler timer in a Worker (default true; falls back to the main thread). */
  readonly workerTimer?: boolean
}

/** Lifecycle of a player. */
export type PlayerState = 'idle' | 'starting' | 'buffering' | 'playing' | 'stopped' | 'error'

/** Payload of the `section` event. */
export interface SectionEvent {
  /** The section. */
  readonly section: Section
  /** Its event id. */
  readonly id: string | undefined
  /** Server time (ms) at which it starts. */
  readonly serverMs: number
}

/** Payload of the `state` event. */
export interface StateEvent {
  /** Player state. */
  readonly state: PlayerState
  /** Connection state. */
  readonly connection: ConnectionState
}

/** Payload of the `controls` event (from `hello` or a `controls` message). */
export interface ControlsEvent {
  /** Controls in force. */
  readonly controls: Controls
  /** First bar they apply from (absent for the controls of `hello`). */
  readonly bar?: number
  /** Stream time (s since epoch) of that bar. */
  readonly time?: number
}

/** Events of a player and their payloads. */
export interface PlayerEvents {
  /** A new section arrived. */
  section: SectionEvent
  /** A note was handed to the output (ahead of time), with its AudioContext time. */
  note: ScheduledNote
  /** Player or connection state changed. */
  state: StateEvent
  /** Controls in force (hello) or changed. */
  controls: ControlsEvent
  /** The stream greeted (on every (re)connection). */
  hello: Hello
  /** The server reset the stream: buffered notes were dropped. */
  reset: { readonly reason: string; readonly dropped: number }
  /** Something went wrong (the player keeps going where it can). */
  error: PlayerError
}

/** Numbers about a running player. */
export interface PlayerStats {
  /** Player state. */
  readonly state: PlayerState
  /** Connection state. */
  readonly connection: ConnectionState
  /** Transport kind. */
  readonly transport: 'sse' | 'ws'
  /** Output name. */
  readonly output: string
  /** Where the scheduler timer runs (`worker`, `main`), or `none` when stopped. */
  readonly timer: 'worker' | 'main' | 'none'
  /** Seconds of music received ahead of now. */
  readonly bufferedAheadS: number
  /** Notes received and not yet scheduled. */
  readonly queuedNotes: number
  /** Current scheduling horizon in ms (`scheduleAhead`, widened while timer ticks arrive late). */
  readonly scheduleAheadMs: number
  /** Server clock − local clock (ms), once known. */
  readonly clockOffsetMs: number | undefined
  /** Median RTT of the last clock burst (ms). */
  readonly rttMs: number | undefined
  /** Clock bursts completed. */
  readonly clockSyncs: number
  /** Notes handed to the output. */
  readonly scheduledNotes: number
  /** Notes skipped because their time had passed when the scheduler reached them. */
  readonly lateNotes: number
  /** Notes dropped on arrival because they were already in the past (late join), or by a reset/stop. */
  readonly skippedNotes: number
  /** Sections received (duplicates excluded). */
  readonly sectionsReceived: number
  /** Sections received twice (ignored). */
  readonly duplicateSections: number
  /** Reconnections of the transport. */
  readonly reconnects: number
  /** Resets received. */
  readonly resets: number
  /** Last event id received. */
  readonly lastEventId: string | undefined
  /** The AudioContext's output latency (s), when known. */
  readonly outputLatencyS: number | undefined
  /** Figures of the `audio` output (buffer depth, underruns, rate…), when it is the output in use. */
  readonly audio?: AudioOutputStats
}

const RECENT_SECTIONS = 16

/** A player of one stream. Create with {@link createPlayer}. */
export class Player {
  private readonly emitter = new Emitter<PlayerEvents>()
  private readonly urls: StreamUrls
  private readonly queue = new NoteQueue()
  private readonly clock: ClockSync
  private readonly seen = new Set<number>()
  private recent: Section[] = []
  private output: Output
  private transport: Transport | undefined
  private ticker: Ticker | undefined
  private ctx: AudioContext | undefined
  private map: AudioClockMap | undefined
  private epoch: number | undefined
  private current: PlayerState = 'idle'
  private connection: ConnectionState = 'idle'
  private reconnectBase = 0
  private counts = { scheduled: 0, late: 0, skipped: 0, sections: 0, duplicates: 0, resets: 0 }
  private starting: Promise<void> | undefined
  private ticking = false
  private lastTickPerf: number | undefined
  /** Server time up to which notes have been handed to the output. */
  private horizonMs: number | undefined
  /** After a reset: notes before this server time were already handed to the output; never again. */
  private replayFloorMs: number | undefined
  private slowestTickMs = 0
  private lastHello: Hello | undefined

  constructor(private readonly options: PlayerOptions) {
    const base = typeof location !== 'undefined' ? location.href : undefined
    this.urls = resolveStreamUrls(options.url, base, options.timeUrl)
    if (options.transport !== undefined && options.transport !== 'sse' && options.transport !== 'ws') {
      throw new PlayerError('invalid-option', `transport must be "sse" or "ws", got "${String(options.transport)}"`)
    }
    for (const k of ['lookahead', 'scheduleAhead'] as const) {
      const v = options[k]
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new PlayerError('invalid-option', `${k} must be a positive number of ms, got ${v}`)
    }
    this.output = this.makeOutput(options.output ?? 'tone')
    this.clock = new ClockSync({ url: this.urls.time, samples: options.clockSamples, intervalMs: options.clockIntervalMs })
  }

  private makeOutput(o: 'tone' | 'midi' | 'audio' | Output): Output {
    const out = this.buildOutput(o)
    if (isStreamAudioOutput(out)) out.setErrorHandler((e) => this.emitter.emit('error', e))
    return out
  }

  private buildOutput(o: 'tone' | 'midi' | 'audio' | Output): Output {
    if (o === 'tone') return createToneOutput()
    if (o === 'midi') return createMidiOutput(this.options.midi)
    if (o === 'audio') return createAudioOutput(this.options.audio)
    if (o && typeof o === 'object' && typeof o.play === 'function' && typeof o.start === 'function') return o
    throw new PlayerError('invalid-option', `output must be "tone", "midi", "audio" or an Output object, got ${JSON.stringify(o)}`)
  }

  /** The resolved endpoints. */
  get endpoints(): StreamUrls {
    return this.urls
  }

  /** Current state. */
  get state(): PlayerState {
    return this.current
  }

  /** The AudioContext (after `play()`). */
  get audioContext(): AudioContext | undefined {
    return this.ctx
  }

  /** The output in use. */
  get currentOutput(): Output {
    return this.output
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof PlayerEvents>(name: K, fn: (payload: PlayerEvents[K]) => void): () => void {
    return this.emitter.on(name, fn)
  }

  /** Removes a listener. */
  off<K extends keyof PlayerEvents>(name: K, fn: (payload: PlayerEvents[K]) => void): void {
    this.emitter.off(name, fn)
  }

  private setState(s: PlayerState): void {
    if (s === this.current) return
    this.current = s
    this.emitter.emit('state', { state: s, connection: this.connection })
  }

  private fail(err: unknown, code: PlayerError['code'] = 'output'): PlayerError {
    const e = err instanceof PlayerError ? err : new PlayerError(code, (err as Error)?.message ?? String(err), { cause: err })
    this.emitter.emit('error', e)
    return e
  }

  /**
   * Starts playing. Call it from a user gesture (a click): it creates or resumes the AudioContext
   * synchronously before anything else, as autoplay policies require. Resolves once the output is ready
   * and the stream is connecting; rejects with a {@link PlayerError} when the output cannot start.
   */
  play(): Promise<void> {
    if (this.starting) return this.starting
    if (this.current === 'buffering' || this.current === 'playing') return Promise.resolve()
    let ctx: AudioContext
    try {
      ctx = this.ensureContext()
    } catch (err) {
      this.setState('error')
      return Promise.reject(this.fail(err, 'audio-unavailable'))
    }
    const resumed = ctx.resume()
    this.setState('starting')
    this.connect()
    this.starting = (async () => {
      try {
        await resumed
        await this.output.start({ audioContext: ctx })
      } catch (err) {
        this.starting = undefined
        this.stopInternal('error')
        throw this.fail(err)
      }
      try {
        // The first clock burst ran while the page was busy building the output; a second one now, with
        // the page idle, adds low-RTT samples to the estimate's window before anything is scheduled.
        await this.clock.syncOnce()
      } catch (err) {
        this.emitter.emit('error', err instanceof PlayerError ? err : new PlayerError('clock', String(err), { cause: err }))
      }
      this.starting = undefined
      if (this.current !== 'starting') return
      this.setState('buffering')
      this.ticker?.stop()
      this.ticking = false
      this.ticker = startTicker(this.options.lookahead ?? 25, () => this.tick(false), this.options.workerTimer ?? true)
      this.tick(true)
    })()
    return this.starting
  }

  private ensureContext(): AudioContext {
    if (this.ctx && this.ctx.state !== 'closed') return this.ctx
    if (this.options.audioContext) return (this.ctx = this.options.audioContext)
    if (typeof AudioContext === 'undefined') throw new PlayerError('audio-unavailable', 'Web Audio (AudioContext) is not available in this environment')
    // Streamed audio comes at 48 kHz: a context at the same rate plays it sample for sample (no resampling).
    const rate = isStreamAudioOutput(this.output) ? { sampleRate: 48_000 } : {}
    return (this.ctx = new AudioContext({ latencyHint: 'interactive', ...rate }))
  }

  private connect(): void {
    const handlers: TransportHandlers = {
      onMessage: (m, id) => this.onMessage(m, id),
      onState: (s) => {
        this.connection = s
        this.emitter.emit('state', { state: this.current, connection: s })
      },
      onError: (e) => this.emitter.emit('error', e),
      onAudio: (chunk) => this.onAudio(chunk),
    }
    const topts = { backoffBaseMs: this.options.backoffBaseMs, backoffCapMs: this.options.backoffCapMs }
    const kind = this.options.transport ?? 'sse'
    const resumeFrom = this.transport?.lastEventId
    if (this.transport) this.reconnectBase += this.transport.reconnects
    this.transport = kind === 'ws' ? new WsTransport(this.urls.ws, handlers, topts) : new SseTransport(this.urls.events, handlers, topts)
    this.clock.stop()
    void this.clock.start((e) => this.emitter.emit('error', e))
    try {
      this.transport.connect(resumeFrom)
    } catch (err) {
      this.fail(err, 'transport')
    }
  }

  private onMessage(m: import('@auralis/protocol').ServerMessage, id: string | undefined): void {
    switch (m.type) {
      case 'hello': {
        if (this.epoch !== undefined && this.epoch !== m.data.epoch) {
          this.dropBuffered()
          this.horizonMs = this.replayFloorMs = undefined
        }
        this.epoch = m.data.epoch
        this.lastHello = m.data
        this.clock.seed(m.data.serverTime)
        const out = this.output
        if (m.data.mode === 'audio' && isStreamAudioOutput(out) && m.data.audio) out.configure(m.data.audio, m.data.epoch)
        else if (m.data.mode === 'audio') {
          this.fail(new PlayerError('invalid-option', 'this stream is in audio mode; play it with output "audio" (this output plays event streams, mode "events")'))
        } else if (isStreamAudioOutput(out)) {
          this.fail(new PlayerError('invalid-option', 'this stream is in events mode; output "audio" plays audio-mode streams'))
        }
        this.emitter.emit('hello', m.data)
        this.emitter.emit('controls', { controls: m.data.controls })
        return
      }
      case 'section': {
        const s = m.data
        if (this.epoch === undefined) {
          this.fail(new PlayerError('protocol', `section ${s.index} arrived before hello; ignored`))
          return
        }
        if (this.seen.has(s.index)) {
          this.counts.duplicates++
          return
        }
        this.seen.add(s.index)
        if (this.seen.size > 4096) this.seen.delete(this.seen.values().next().value as number)
        const now = this.serverNow() ?? -Infinity
        const r = this.queue.add(s, this.epoch, Math.max(now, this.replayFloorMs ?? -Infinity))
        this.counts.skipped += r.skipped
        this.counts.sections++
        this.recent = [...this.recent, s].slice(-RECENT_SECTIONS)
        this.emitter.emit('section', { section: s, id, serverMs: this.epoch + s.startTime * 1000 })
        // Schedule at once what is already due: past notes of a section that just arrived were never
        // schedulable on time, so they count as skipped (network lateness), not as scheduler lateness.
        if (this.ticker) this.tick(true)
        return
      }
      case 'controls':
        this.emitter.emit('controls', { controls: m.data.controls, bar: m.data.bar, time: m.data.time })
        return
      case 'reset': {
        const dropped = this.dropBuffered()
        // The server will send the current sections again: what was already scheduled must not play twice.
        this.replayFloorMs = this.horizonMs
        this.counts.resets++
        this.transport?.forgetLastEventId()
        void this.clock.syncOnce().catch((e) => this.emitter.emit('error', e))
        this.emitter.emit('reset', { reason: m.data.reason, dropped })
        return
      }
      case 'error':
        this.fail(new PlayerError('server', `${m.data.code}: ${m.data.message}`))
        return
      case 'audio': {
        if (!isStreamAudioOutput(this.output)) return
        let chunk: AudioChunk
        try {
          chunk = audioMessageToChunk(m.data)
        } catch (err) {
          this.fail(err, 'protocol')
          return
        }
        this.onAudio(chunk)
        return
      }
    }
  }

  /** An `audio` chunk (from JSON or a binary WebSocket frame) goes to the audio output. */
  private onAudio(chunk: AudioChunk): void {
    const out = this.output
    if (isStreamAudioOutput(out) && this.epoch !== undefined) out.receiveAudio(chunk)
  }

  private dropBuffered(): number {
    const dropped = this.queue.clear()
    this.counts.skipped += dropped
    this.seen.clear()
    this.recent = []
    return dropped
  }

  /** Server time now (ms), once the clock offset is known. */
  serverNow(): number | undefined {
    const offset = this.clock.offsetMs
    return offset === undefined ? undefined : performanceToServerMs(performance.now(), offset, performance.timeOrigin)
  }

  /** Converts a server time (ms) to the AudioContext time (s) at which it is heard, once both clocks are known. */
  serverToContextTime(serverMs: number): number | undefined {
    const offset = this.clock.offsetMs
    if (offset === undefined || !this.map) return undefined
    return serverToContextS(serverMs, offset, performance.timeOrigin, this.map)
  }

  private updateMap(ctx: AudioContext): void {
    const ts = typeof ctx.getOutputTimestamp === 'function' ? ctx.getOutputTimestamp() : undefined
    const next = ts && ts.performanceTime ? updateAudioClockMap(this.map, { contextTime: ts.contextTime ?? NaN, performanceTime: ts.performanceTime }) : undefined
    if (next) this.map = next
    else if (ctx.state === 'running') {
      // No usable output timestamp: estimate it from currentTime minus the output latency.
      const latency = (ctx as AudioContext & { outputLatency?: number }).outputLatency || ctx.baseLatency || 0
      this.map = updateAudioClockMap(this.map, { contextTime: ctx.currentTime - latency, performanceTime: performance.now() })
    }
  }

  /**
   * One scheduler pass: hand every note due within `scheduleAhead` to the output. Notes whose time has
   * passed are dropped: counted as late when a previous pass could have scheduled them, as skipped when
   * `fresh` (first pass after start, or a section that just arrived).
   */
  private tick(fresh: boolean): void {
    const ctx = this.ctx
    const offset = this.clock.offsetMs
    if (!ctx || offset === undefined || this.epoch === undefined) return
    this.updateMap(ctx)
    const map = this.map
    if (!map || ctx.state !== 'running') return
    const origin = performance.timeOrigin
    const audioOut = isStreamAudioOutput(this.output) ? this.output : undefined
    // Streamed audio: the worklet maps context time to stream time itself (t · 1000 + this offset).
    audioOut?.setClock(origin + offset - map.biasS * 1000 - this.epoch)
    const nowPerf = performance.now()
    const nowServer = performanceToServerMs(nowPerf, offset, origin)
    const horizon = nowServer + this.aheadMs(nowPerf, fresh)
    this.horizonMs = Math.max(this.horizonMs ?? -Infinity, horizon)
    const due = this.queue.takeDue(horizon)
    const floor = ctx.currentTime
    for (const n of due) {
      const time = serverToContextS(n.serverMs, offset, origin, map) - (this.output.latency ?? 0)
      if (time < floor) {
        if (fresh || !this.ticking) this.counts.skipped++
        else this.counts.late++
        continue
      }
      const note: ScheduledNote = { ...n, time, timestamp: serverToPerformanceMs(n.serverMs, offset, origin) }
      this.output.play(note)
      this.counts.scheduled++
      this.emitter.emit('note', note)
    }
    if (!fresh) this.ticking = true
    if (this.current === 'buffering' && (audioOut ? audioOut.playing : this.counts.scheduled > 0)) this.setState('playing')
  }

  /**
   * The scheduling horizon (ms): `scheduleAhead`, widened to 1.5× the longest recent gap between timer
   * ticks (a busy main thread delays them) so a slow tick does not make notes late; at most 1 s.
   * The longest gap decays by 2 % per tick, so the horizon shrinks back once the page is calm.
   */
  private aheadMs(nowPerf: number, fresh: boolean): number {
    if (!fresh) {
      if (this.lastTickPerf !== undefined) this.slowestTickMs = Math.max(nowPerf - this.lastTickPerf, this.slowestTickMs * 0.98)
      this.lastTickPerf = nowPerf
    }
    return Math.min(1000, Math.max(this.options.scheduleAhead ?? 120, 1.5 * this.slowestTickMs))
  }

  /** The section and chord sounding now (for a now-playing display). */
  nowPlaying(): NowPlaying | undefined {
    const now = this.serverNow()
    if (now === undefined || this.epoch === undefined) return undefined
    return nowPlayingAt(this.recent, (now - this.epoch) / 1000)
  }

  /** Stops: closes the connection, silences the output, drops buffered notes, suspends the AudioContext. */
  stop(): void {
    this.stopInternal('stopped')
  }

  private stopInternal(state: PlayerState): void {
    this.ticker?.stop()
    this.ticker = undefined
    this.lastTickPerf = undefined
    this.slowestTickMs = 0
    this.clock.stop()
    if (this.transport) {
      this.reconnectBase += this.transport.reconnects
      this.transport.close()
      this.transport = undefined
    }
    this.output.silence()
    this.dropBuffered()
    this.epoch = undefined
    this.map = undefined
    this.horizonMs = this.replayFloorMs = undefined
    void this.ctx?.suspend().catch(() => undefined)
    this.setState(state)
  }

  /**
   * Switches the output. While playing, the new output is started first (on the same AudioContext) and
   * then replaces the old one, which is silenced and disposed. Rejects (keeping the old output) when the
   * new one cannot start.
   */
  async setOutput(output: 'tone' | 'midi' | 'audio' | Output): Promise<void> {
    const next = this.makeOutput(output)
    const h = this.lastHello
    if (isStreamAudioOutput(next) && h?.mode === 'audio' && h.audio && this.epoch !== undefined) next.configure(h.audio, this.epoch)
    const ctx = this.ctx
    if (ctx && (this.current === 'buffering' || this.current === 'playing' || this.current === 'starting')) {
      try {
        await next.start({ audioContext: ctx })
      } catch (err) {
        throw this.fail(err)
      }
    }
    const old = this.output
    this.output = next
    old.silence()
    old.dispose()
  }

  /** Numbers about the player (see {@link PlayerStats}). */
  stats(): PlayerStats {
    const now = this.serverNow()
    const est = this.clock.estimate
    return {
      state: this.current,
      connection: this.connection,
      transport: this.options.transport ?? 'sse',
      output: this.output.name,
      timer: this.ticker?.kind ?? 'none',
      bufferedAheadS: now === undefined ? 0 : bufferedAheadS(this.queue.bufferedUntilMs, now),
      queuedNotes: this.queue.size,
      scheduleAheadMs: Math.min(1000, Math.max(this.options.scheduleAhead ?? 120, 1.5 * this.slowestTickMs)),
      clockOffsetMs: this.clock.offsetMs,
      rttMs: est?.rttMs,
      clockSyncs: this.clock.syncCount,
      scheduledNotes: this.counts.scheduled,
      lateNotes: this.counts.late,
      skippedNotes: this.counts.skipped,
      sectionsReceived: this.counts.sections,
      duplicateSections: this.counts.duplicates,
      reconnects: this.reconnectBase + (this.transport?.reconnects ?? 0),
      resets: this.counts.resets,
      lastEventId: this.transport?.lastEventId,
      outputLatencyS: (this.ctx as (AudioContext & { outputLatency?: number }) | undefined)?.outputLatency,
      ...(isStreamAudioOutput(this.output) ? { audio: this.output.audioStats() } : {}),
    }
  }
}

/** Creates a player (nothing starts until `play()`). @throws PlayerError `invalid-option` for bad options. */
export function createPlayer(options: PlayerOptions): Player {
  return new Player(options)
}
