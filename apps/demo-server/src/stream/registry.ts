import { randomBytes, randomInt } from 'node:crypto'
import type { Logger } from 'pino'
import { createComposer, type Composer } from '@auralis/composition'
import type { Section } from '@auralis/protocol'
import type { Hub, HubClient } from '@auralis/server-sse'
import type { AudioCodec, AudioFormat, Controls, ControlsMessage, ControlsRequest, LlmConfig, SessionCreateRequest } from '@auralis/protocol'
import type { Metrics } from '../metrics.js'
import { Conductor, type SectionReport } from './conductor.js'
import { SESSION_DEFAULTS, type StationDefinition } from './stations.js'
import { helloFor, roomOf, type LiveStream } from './stream.js'
import { AudioStream } from '../audio/audio-stream.js'
import { systemClock, type Clock } from './types.js'
import { createLlmSource } from './llm.js'

/** Options of {@link StreamRegistry}. */
export interface RegistryOptions {
  hub: Hub
  metrics: Metrics
  logger: Logger
  clock?: Clock
  /** Seconds of lead beyond one section (default 1). */
  leadSeconds?: number
  /** Lead for sessions whose sections an LLM writes (default 10 s: the LLM's time budget). */
  llmLeadSeconds?: number
  /** A session with no listener for this long is reclaimed (default 5 min). */
  sessionIdleMs?: number
  /** Most sessions alive at once (default 500). */
  maxSessions?: number
  /** Scale-out: decides which instance conducts each stream (absent: this instance conducts them all). */
  coordinator?: StreamCoordinator
}

/** What a session is made of, as shared between instances (never the LLM key). */
export interface SessionRecord {
  id: string
  style: Controls['style']
  seed: number
  controls: Controls
  /** Stream epoch, server ms. */
  epoch: number
  /** Seconds of lead of its conductor. */
  lead: number
}

/**
 * The scale-out hooks of a registry (`cluster/` implements them on Redis): which instance composes a stream,
 * and how the others relay it. Without one, every stream is conducted here.
 */
export interface StreamCoordinator {
  /** A station was set up here: the coordinator starts its conductor here, or relays it. */
  station(stream: LiveStream, def: StationDefinition): void
  /** A session was created here (its conductor runs here); shares its record. */
  sessionCreated(stream: LiveStream, record: SessionRecord): void
  /** True when this instance composes the stream now. */
  conducts(stream: LiveStream): boolean
  /** Controls for a stream another instance composes: forwarded there; resolves with what it applied. */
  forwardControls(stream: LiveStream, request: ControlsRequest): Promise<ControlsMessage>
  /** A section was published here. */
  sectionPublished(stream: LiveStream, report: SectionReport): void
  /** Controls changed here. */
  controlsChanged(stream: LiveStream): void
  /** A session ended here (deleted or reclaimed): end it on every instance. */
  sessionEnded(stream: LiveStream): void
}

/** Thrown when a session cannot be created for lack of room; maps to HTTP 503. */
export class CapacityError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CapacityError'
  }
}

interface SessionExtras {
  /** Held in memory for this session only: never logged, stored or returned. */
  llm?: LlmConfig
}

/**
 * Every live stream of this server: the stations (started at once, forever) and the private sessions
 * (created on request, reclaimed when idle). Each has its own composer and conductor publishing to a hub room.
 */
export class StreamRegistry {
  private readonly stations = new Map<string, LiveStream>()
  private readonly sessions = new Map<string, LiveStream & SessionExtras>()
  private readonly hub: Hub
  private readonly metrics: Metrics
  private readonly logger: Logger
  private readonly clock: Clock
  private readonly lead: number
  private readonly llmLead: number
  private readonly idleMs: number
  private readonly maxSessions: number
  private readonly coordinator: StreamCoordinator | undefined

  constructor(options: RegistryOptions) {
    this.hub = options.hub
    this.metrics = options.metrics
    this.logger = options.logger
    this.clock = options.clock ?? systemClock
    this.lead = options.leadSeconds ?? 1
    this.llmLead = options.llmLeadSeconds ?? 10
    this.idleMs = options.sessionIdleMs ?? 5 * 60_000
    this.maxSessions = options.maxSessions ?? 500
    this.coordinator = options.coordinator
  }

  /** Starts a station; it plays until {@link stop}. */
  startStation(def: StationDefinition): LiveStream {
    const composer = createComposer({ ...def.controls, seed: def.seed, ...(def.form ? { form: def.form } : {}) })
    const stream = this.makeStream('station', def.id, def.name, composer, this.lead)
    if (def.mode === 'audio') this.enableAudio(stream, def.codec ?? 'opus', def.bitrate)
    this.stations.set(def.id, stream)
    if (this.coordinator) this.coordinator.station(stream, def)
    else stream.conductor.start()
    this.logger.info({ station: def.id, style: def.controls.style, seed: def.seed }, 'station started')
    return stream
  }

  /** Creates and starts a private session with an opaque 128-bit id. */
  createSession(request: SessionCreateRequest): LiveStream {
    if (this.sessions.size >= this.maxSessions) throw new CapacityError(`the server holds its maximum of ${this.maxSessions} sessions`)
    const id = randomBytes(16).toString('base64url')
    const controls = { ...SESSION_DEFAULTS[request.style], ...request.controls, style: request.style }
    const seed = request.seed ?? randomInt(0, 2 ** 32)
    const llm = request.llm ? createLlmSource(request.llm) : undefined
    const composer = createComposer({ ...controls, seed, ...(llm ? { llm, llmTimeoutMs: (this.llmLead - 1) * 1000 } : {}) })
    const stream: LiveStream & SessionExtras = this.makeStream('session', id, `Session ${id.slice(0, 6)}`, composer, llm ? this.llmLead : this.lead)
    if (request.llm) stream.llm = request.llm
    if (request.mode === 'audio') this.enableAudio(stream, 'opus')
    this.sessions.set(id, stream)
    stream.conductor.start()
    this.coordinator?.sessionCreated(stream, { id, style: controls.style, seed, controls, epoch: stream.conductor.epoch, lead: llm ? this.llmLead : this.lead })
    this.metrics.sessions.set(this.sessions.size)
    this.metrics.sessionsCreated.inc()
    this.logger.info({ session: id, style: controls.style, seed, llm: request.llm ? request.llm.provider : undefined }, 'session created')
    return stream
  }

  /** A station or session by id, or undefined. */
  get(kind: 'station' | 'session', id: string): LiveStream | undefined {
    return kind === 'station' ? this.stations.get(id) : this.sessions.get(id)
  }

  /** All stations, in start order. */
  listStations(): LiveStream[] {
    return [...this.stations.values()]
  }

  /** Number of live sessions. */
  sessionCount(): number {
    return this.sessions.size
  }

  /** Changes a stream's controls from the next bar not yet published. */
  setControls(stream: LiveStream, request: ControlsRequest): Promise<ControlsMessage> {
    if (this.coordinator && !this.coordinator.conducts(stream)) return this.coordinator.forwardControls(stream, request)
    return stream.conductor.setControls(request).then((applied) => {
      this.coordinator?.controlsChanged(stream)
      return applied
    })
  }

  /**
   * Scale-out: a session another instance created, known here from its shared record. Its conductor does not
   * run here until this instance takes it over; meanwhile it records what the conducting instance publishes.
   */
  followSession(record: SessionRecord): LiveStream {
    const known = this.sessions.get(record.id)
    if (known) return known
    const composer = createComposer({ ...record.controls, seed: record.seed })
    const stream = this.makeStream('session', record.id, `Session ${record.id.slice(0, 6)}`, composer, record.lead, record.epoch)
    this.sessions.set(record.id, stream)
    this.metrics.sessions.set(this.sessions.size)
    return stream
  }

  /**
   * Scale-out: (re)starts a stream's conductor here from a composer in the state that follows `history`'s
   * last section (a restored snapshot), keeping the stream's epoch. Used when this instance takes a stream over
   * or learns the shared epoch; `start: false` only replaces the (stopped) conductor.
   */
  conductFrom(stream: LiveStream, from: { composer: Composer; epoch: number; history: { section: Section; id: string }[]; controls?: ControlsMessage; start?: boolean }): void {
    stream.conductor.stop()
    const lead = stream.conductor.leadSeconds
    stream.conductor = this.makeConductor(stream.kind, stream.room, from.composer, lead, from.epoch, () => stream, from.history, from.controls)
    if (from.start !== false) stream.conductor.start()
  }

  /** Ends a session: stops its conductor and closes its listeners' streams with a last message. */
  async deleteSession(id: string, reason = 'deleted', options: { local?: boolean } = {}): Promise<boolean> {
    const stream = this.sessions.get(id)
    if (!stream) return false
    this.sessions.delete(id)
    if (!options.local) this.coordinator?.sessionEnded(stream)
    stream.conductor.stop()
    void stream.audioStream?.stop()
    stream.llm = undefined
    this.metrics.sessions.set(this.sessions.size)
    this.metrics.listeners.remove(stream.room)
    await this.hub.closeRoom(stream.room, { event: { type: 'error', data: { code: 'session_ended', message: `session ${reason}` } } })
    this.logger.info({ session: id, reason }, 'session ended')
    return true
  }

  /** Reclaims sessions that have had no listener for the idle time; returns how many. */
  async reclaimIdle(): Promise<number> {
    const now = this.clock.now()
    let reclaimed = 0
    for (const stream of [...this.sessions.values()]) {
      if (this.hub.clientCount(stream.room) > 0) stream.lastListenerAt = now
      else if (now - stream.lastListenerAt >= this.idleMs) {
        await this.deleteSession(stream.id, 'reclaimed after idling')
        this.metrics.sessionsReclaimed.inc()
        reclaimed++
      }
    }
    return reclaimed
  }

  /** The hub's `onConnect`: `hello`, the controls in force, then (for a first connect) what is still to play. */
  onConnect(client: HubClient): void {
    const stream = this.byRoom(client.room)
    if (!stream) return
    stream.lastListenerAt = this.clock.now()
    client.send('hello', helloFor(stream, this.clock.now()))
    client.send('controls', stream.conductor.controls)
    if (client.lastEventId === undefined) {
      for (const { section, id } of stream.conductor.upcoming()) client.send('section', section, { id })
    }
    this.metrics.listeners.set({ stream: stream.room }, this.hub.clientCount(stream.room))
  }

  /** The hub's `onDisconnect`. */
  onDisconnect(client: HubClient): void {
    const stream = this.byRoom(client.room)
    if (!stream) return
    stream.lastListenerAt = this.clock.now()
    this.metrics.listeners.set({ stream: stream.room }, this.hub.clientCount(stream.room))
  }

  /** The room of a stream request path, if it names a live stream. */
  roomFor(kind: 'station' | 'session', id: string): string | undefined {
    return this.get(kind, id)?.room
  }

  /** True when every station is running and has published. */
  ready(): boolean {
    return this.stations.size > 0 && [...this.stations.values()].every((s) => s.conductor.last() !== undefined)
  }

  /** Stops every conductor (the hub is closed by the server). */
  stop(): void {
    for (const s of [...this.stations.values(), ...this.sessions.values()]) {
      s.conductor.stop()
      void s.audioStream?.stop()
    }
  }

  /** Puts a stream in audio mode: the sections it publishes are rendered, encoded and published as `audio`. */
  private enableAudio(stream: LiveStream, codec: AudioCodec, bitrate?: number): void {
    const format: AudioFormat = { codec, sampleRate: 48000, channels: 2 }
    stream.mode = 'audio'
    stream.audio = format
    let behindSince = 0
    stream.audioStream = new AudioStream({
      room: stream.room, epoch: stream.conductor.epoch, publisher: this.hub, format, clock: this.clock, bitrate,
      onChunk: (c) => {
        this.metrics.audioChunks.inc({ codec })
        this.metrics.audioBytes.inc({ codec }, c.bytes)
        if (c.leadSeconds < 0) {
          this.metrics.audioLateChunks.inc({ codec })
          const now = this.clock.now()
          if (now - behindSince > 10_000) {
            behindSince = now
            this.logger.warn({ stream: stream.room, behindSeconds: -c.leadSeconds }, 'audio rendering is behind real time')
          }
        }
      },
      onLoad: (load) => this.metrics.audioRenderLoad.set({ stream: stream.room }, load),
      onError: (err) => this.logger.error({ err: String(err), stream: stream.room }, 'audio render worker failed; restarted'),
    })
    stream.audioStream.start()
  }

  /** The live stream published to a hub room (`station:<id>` or `session:<id>`), or undefined. */
  byRoom(room: string): LiveStream | undefined {
    const [kind, id] = room.split(':', 2) as ['station' | 'session', string]
    return this.get(kind, id)
  }

  private makeStream(kind: 'station' | 'session', id: string, name: string, composer: Composer, lead: number, epoch = this.clock.now() + lead * 1000): LiveStream {
    const room = roomOf(kind, id)
    const style = composer.controls.style
    const stream: LiveStream = { id, kind, room, name, style, mode: 'events', conductor: undefined as unknown as Conductor, lastListenerAt: this.clock.now() }
    stream.conductor = this.makeConductor(kind, room, composer, lead, epoch, () => stream)
    return stream
  }

  private makeConductor(
    kind: 'station' | 'session', room: string, composer: Composer, lead: number, epoch: number, stream: () => LiveStream,
    history?: { section: Section; id: string }[], controls?: ControlsMessage,
  ): Conductor {
    return new Conductor({
      room,
      epoch,
      composer,
      publisher: this.hub,
      clock: this.clock,
      leadSeconds: lead,
      history,
      controls,
      onSection: (r) => {
        this.recordSection(kind, r)
        stream().audioStream?.schedule(r.section)
        this.coordinator?.sectionPublished(stream(), r)
      },
      onError: (err, phase) => this.logger.warn({ err: String(err), stream: room, phase }, 'conductor error (fallback published)'),
    })
  }

  private recordSection(kind: string, r: SectionReport): void {
    this.metrics.sectionsPublished.inc({ kind })
    this.metrics.publishLead.observe({ kind }, r.leadSeconds)
    if (!r.fallback) this.metrics.compositionSeconds.observe({ style: r.section.style }, r.composeMs / 1000)
    if (r.late) this.metrics.lateSections.inc({ kind })
    if (r.fallback) this.metrics.fallbackSections.inc({ kind })
    if (r.late || r.fallback) this.logger.warn({ index: r.section.index, lead: r.leadSeconds, fallback: r.fallback }, 'section late or fallback')
  }
}
