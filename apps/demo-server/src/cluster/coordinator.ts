import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { createComposer, restoreComposer, type Composer, type ComposerSnapshot } from '@auralis/composition'
import type { ControlsMessage, ControlsRequest, Section } from '@auralis/protocol'
import type { RedisReplayStore } from '@auralis/server-sse-redis'
import type { SectionReport } from '../stream/conductor.js'
import type { SessionRecord, StreamCoordinator, StreamRegistry } from '../stream/registry.js'
import type { StationDefinition } from '../stream/stations.js'
import type { LiveStream } from '../stream/stream.js'
import type { IntervalLog } from './interval-log.js'
import type { ClusterKeys } from './keys.js'
import { RedisLease } from './lock.js'

/** What the leader stores with each published section: enough for another instance to continue exactly. */
export interface StreamState {
  epoch: number
  /** Index and id of the last published section, and the section itself. */
  index: number
  id: string
  section: Section
  /** The composer's snapshot right after composing that section (or after a later control change). */
  snapshot: ComposerSnapshot
  controls: ControlsMessage
}

/** Options of {@link RedisCoordinator}. */
export interface CoordinatorOptions {
  /** Command connection (offline queue disabled: commands fail fast while Redis is down). */
  redis: Redis
  /** A connection for pub/sub only. */
  subscriber: Redis
  store: RedisReplayStore
  keys: ClusterKeys
  logger: Logger
  /** Outage log (once per interval). */
  outage: IntervalLog
  /** Unique id of this instance (the lease token). */
  instanceId: string
  /** Lease time to live, ms (default 1,200): a dead leader is replaced within about ttl + tick. */
  lockTtlMs?: number
  /** How often leases are renewed or tried, ms (default 300). */
  tickMs?: number
  /** A session record lives this long without listeners anywhere, ms. */
  sessionIdleMs: number
  /** How long a forwarded control request waits for the conducting instance, ms (default 3,000). */
  forwardTimeoutMs?: number
}

interface Managed {
  stream: LiveStream
  lease: RedisLease
  def?: StationDefinition
  record?: SessionRecord
  leader: boolean
  /** This instance conducted the stream at some point (its composer is current). */
  wasLeader: boolean
  busy: boolean
  lastRenewedAt: number
  /** The relay has loaded the stream's recent sections and epoch from Redis. */
  caughtUp: boolean
  /**
   * The relay has adopted the conducting instance's epoch. Until then every section it sees re-reads the shared
   * state: on a simultaneous start the leader writes that state only after its first section, and a relay that
   * read too early must not keep its own epoch (its listeners would get a different `hello.epoch`).
   */
  epochSynced?: boolean
}

type ControlMessage =
  | { op: 'controls'; room: string; reqId: string; from: string; request: ControlsRequest }
  | { op: 'reply'; reqId: string; to: string; ok: boolean; result?: ControlsMessage; error?: string }
  | { op: 'end'; room: string; from: string }

/** A stream's composer from the start (station definition or session record), as the registry makes it. */
function freshComposer(m: { def?: StationDefinition; record?: SessionRecord }): Composer {
  if (m.def) return createComposer({ ...m.def.controls, seed: m.def.seed, ...(m.def.form ? { form: m.def.form } : {}) })
  return createComposer({ ...m.record!.controls, seed: m.record!.seed })
}

/**
 * Scale-out on Redis: one instance conducts each stream (a lease per room), the others relay what it publishes
 * (the replay store's feed) and take over from the stored composer snapshot when its lease lapses. Sessions
 * are shared records; controls reaching a relay are forwarded to the conducting instance over pub/sub.
 */
export class RedisCoordinator implements StreamCoordinator {
  private readonly o: Required<Pick<CoordinatorOptions, 'lockTtlMs' | 'tickMs' | 'forwardTimeoutMs'>> & CoordinatorOptions
  private readonly managed = new Map<string, Managed>()
  private readonly pending = new Map<string, { resolve: (m: ControlsMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
  private registry!: StreamRegistry
  private listeners: (room: string) => number = () => 0
  private timer: NodeJS.Timeout | undefined
  private slowTimer: NodeJS.Timeout | undefined
  private readySince = 0
  private closed = false

  constructor(options: CoordinatorOptions) {
    this.o = { ...options, lockTtlMs: options.lockTtlMs ?? 1200, tickMs: options.tickMs ?? 300, forwardTimeoutMs: options.forwardTimeoutMs ?? 3000 }
    options.redis.on('ready', () => (this.readySince = Date.now()))
    if (options.redis.status === 'ready') this.readySince = Date.now()
    options.subscriber.on('message', (_channel, text) => this.onMessage(text))
    options.subscriber.on('ready', () => void options.subscriber.subscribe(options.keys.channel).catch((e) => this.fail(e)))
    options.store.subscribe((room, entry) => this.onEntry(room, entry.type, entry.data, entry.id))
  }

  /** Connects the registry (before any station starts) and the hub's listener count; starts the lease loop. */
  attach(registry: StreamRegistry, listeners: (room: string) => number): void {
    this.registry = registry
    this.listeners = listeners
    this.timer = setInterval(() => void this.tick(), this.o.tickMs)
    this.timer.unref()
    this.slowTimer = setInterval(() => void this.sessionTick(), Math.min(5000, Math.max(500, this.o.sessionIdleMs / 4)))
    this.slowTimer.unref()
  }

  // ---- StreamCoordinator ----

  station(stream: LiveStream, def: StationDefinition): void {
    this.manage(stream, { def })
  }

  sessionCreated(stream: LiveStream, record: SessionRecord): void {
    const m = this.manage(stream, { record })
    // Created here, so conducted here: its lease is new (the id is random), taken at once.
    m.leader = true
    m.wasLeader = true
    m.lastRenewedAt = Date.now()
    const { redis, keys } = this.o
    redis
      .multi()
      .set(m.lease.key, m.lease.token, 'PX', this.o.lockTtlMs)
      .hset(keys.session(record.id), 'record', JSON.stringify(record), 'heard', String(Date.now()))
      .pexpire(keys.session(record.id), this.sessionTtl())
      .exec()
      .catch((e) => this.fail(e))
  }

  conducts(stream: LiveStream): boolean {
    const m = this.managed.get(stream.room)
    return !m || m.leader
  }

  forwardControls(stream: LiveStream, request: ControlsRequest): Promise<ControlsMessage> {
    const reqId = randomBytes(8).toString('hex')
    return new Promise<ControlsMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId)
        reject(new Error('the instance conducting this session did not answer'))
      }, this.o.forwardTimeoutMs)
      this.pending.set(reqId, { resolve, reject, timer })
      this.send({ op: 'controls', room: stream.room, reqId, from: this.o.instanceId, request }).catch((err) => {
        clearTimeout(timer)
        this.pending.delete(reqId)
        reject(err instanceof Error ? err : new Error(String(err)))
      })
    })
  }

  sectionPublished(stream: LiveStream, report: SectionReport): void {
    if (!report.id) return // not published (Redis down): nothing to continue from
    this.saveState(stream, { section: report.section, id: report.id })
  }

  controlsChanged(stream: LiveStream): void {
    const last = stream.conductor.upcoming(-Infinity).at(-1)
    if (last) this.saveState(stream, last)
  }

  sessionEnded(stream: LiveStream): void {
    const m = this.managed.get(stream.room)
    this.forget(stream.room)
    const { redis, keys } = this.o
    redis
      .multi()
      .del(keys.session(stream.id), keys.state(stream.room))
      .eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`, 1, keys.lock(stream.room), m?.lease.token ?? '')
      .exec()
      .then(() => this.send({ op: 'end', room: stream.room, from: this.o.instanceId }))
      .catch((e) => this.fail(e))
  }

  // ---- sessions known from Redis ----

  /** Makes a session created on another instance known here (from its shared record); false when there is none. */
  async ensureSession(id: string): Promise<boolean> {
    if (this.registry.get('session', id)) return true
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return false
    let text: string | null
    try {
      text = await this.o.redis.hget(this.o.keys.session(id), 'record')
    } catch (err) {
      this.fail(err)
      return false
    }
    if (!text || this.closed) return false
    if (this.registry.get('session', id)) return true
    const record = JSON.parse(text) as SessionRecord
    const stream = this.registry.followSession(record)
    const m = this.manage(stream, { record })
    m.busy = true
    try {
      await this.catchUp(m)
    } catch (err) {
      this.fail(err)
    } finally {
      m.busy = false
    }
    return true
  }

  /** True when this instance holds the lease of `room`. */
  isLeader(room: string): boolean {
    return this.managed.get(room)?.leader ?? false
  }

  /** Releases every lease this instance holds (graceful shutdown: the others take over at once). */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    clearInterval(this.slowTimer)
    for (const p of this.pending.values()) clearTimeout(p.timer)
    const held = [...this.managed.values()].filter((m) => m.leader)
    for (const m of held) m.stream.conductor.stop()
    await Promise.all(held.map((m) => m.lease.release().catch(() => false)))
    this.o.subscriber.disconnect()
  }

  // ---- internals ----

  private manage(stream: LiveStream, extra: { def?: StationDefinition; record?: SessionRecord }): Managed {
    const m: Managed = {
      stream, ...extra,
      lease: new RedisLease(this.o.redis, this.o.keys.lock(stream.room), this.o.instanceId, this.o.lockTtlMs),
      leader: false, wasLeader: false, busy: false, lastRenewedAt: 0, caughtUp: false,
    }
    this.managed.set(stream.room, m)
    // Relays follow the room even without listeners here, so they can take over and answer late joiners.
    this.o.store.watch(stream.room)
    return m
  }

  private forget(room: string): void {
    if (!this.managed.delete(room)) return
    this.o.store.unwatch(room)
  }

  private sessionTtl(): number {
    return this.o.sessionIdleMs + 60_000
  }

  private async send(message: ControlMessage): Promise<void> {
    await this.o.redis.publish(this.o.keys.channel, JSON.stringify(message))
  }

  private fail(err: unknown): void {
    if (!this.closed) this.o.outage.failure(err)
  }

  private async tick(): Promise<void> {
    if (this.closed) return
    const now = Date.now()
    const work = [...this.managed.values()].filter((m) => !m.busy)
    await Promise.all(work.map(async (m) => {
      m.busy = true
      try {
        if (m.leader) {
          if (await m.lease.renew()) m.lastRenewedAt = now
          else this.stepDown(m, 'lease lost')
          return
        }
        if (!m.caughtUp) await this.catchUp(m)
        if (await m.lease.acquire()) {
          await this.takeOver(m)
        }
      } catch (err) {
        this.fail(err)
        // Unable to renew: once the lease has surely expired, someone else may conduct; stop composing.
        if (m.leader && Date.now() - m.lastRenewedAt >= this.o.lockTtlMs) this.stepDown(m, 'lease expired while Redis was unreachable')
      } finally {
        m.busy = false
      }
    }))
    if (this.o.redis.status === 'ready' && this.o.outage.failing && this.o.store.isReady()) this.o.outage.recovered()
  }

  /**
   * A relay that starts following a stream loads its epoch, controls and the recent sections (what a late
   * joiner needs, and what a takeover continues after) from Redis.
   */
  private async catchUp(m: Managed): Promise<void> {
    const { stream } = m
    const [state, rows] = await Promise.all([
      this.readState(stream.room),
      this.o.redis.xrevrange(this.o.keys.stream + stream.room, '+', '-', 'COUNT', 32),
    ])
    if (m.leader || !this.managed.has(stream.room)) return
    m.caughtUp = true
    if (!state) return
    const recent: { section: Section; id: string }[] = []
    for (const [id, fields] of rows.reverse()) {
      const at = fields.indexOf('type')
      if (at < 0 || at % 2 !== 0 || fields[at + 1] !== 'section') continue
      const data = fields[fields.indexOf('data') + 1]
      const section = JSON.parse(data) as Section
      if (section.index <= state.index) recent.push({ section, id })
    }
    if (recent.at(-1)?.section.index !== state.index) recent.push({ section: state.section, id: state.id })
    const history = [...stream.conductor.upcoming(-Infinity).filter((h) => h.section.index < recent[0].section.index && state.epoch === stream.conductor.epoch), ...recent]
    this.registry.conductFrom(stream, { composer: freshComposer(m), epoch: state.epoch, history, controls: state.controls, start: false })
    m.epochSynced = true
  }

  private stepDown(m: Managed, why: string): void {
    m.leader = false
    m.stream.conductor.stop()
    this.o.logger.warn({ stream: m.stream.room, why }, 'stopped conducting')
  }

  /** This instance just took the lease: continue the stream from its stored state. */
  private async takeOver(m: Managed): Promise<void> {
    const { stream } = m
    if (!this.managed.has(stream.room)) {
      await m.lease.release()
      return
    }
    const state = await this.readState(stream.room)
    const local = stream.conductor.upcoming(-Infinity)
    let composer: Composer
    let epoch: number
    let history: { section: Section; id: string }[]
    let controls: ControlsMessage | undefined
    if (state) {
      composer = restoreComposer(state.snapshot)
      epoch = state.epoch
      controls = state.controls
      const localLast = local.at(-1)
      if (localLast && localLast.section.index > state.index && stream.conductor.epoch === epoch) {
        // The last leader published more than it recorded: recompose those (deterministic) to catch up.
        for (let i = state.index; i < localLast.section.index; i++) composer.next()
        history = local
      } else {
        history = [...local.filter((h) => h.section.index < state.index), { section: state.section, id: state.id }]
      }
    } else if (m.wasLeader) {
      // Redis lost its data (a restart): this instance conducted last and its composer is current.
      stream.conductor.start()
      m.leader = true
      m.lastRenewedAt = Date.now()
      this.o.logger.info({ stream: stream.room }, 'conducting again (no stored state)')
      return
    } else if (Date.now() - this.readySince < 2 * this.o.lockTtlMs && this.readySince > 0 && local.length > 0) {
      // Just reconnected with no stored state: give the previous conductor the first chance.
      await m.lease.release()
      return
    } else {
      composer = freshComposer(m)
      epoch = m.record && local.length === 0 ? m.record.epoch : Date.now() + stream.conductor.leadSeconds * 1000
      history = []
    }
    this.registry.conductFrom(stream, { composer, epoch, history, controls })
    m.leader = true
    m.wasLeader = true
    m.lastRenewedAt = Date.now()
    this.o.logger.info({ stream: stream.room, from: state ? state.index : null }, 'took over conducting')
  }

  private async readState(room: string): Promise<StreamState | null> {
    const text = await this.o.redis.get(this.o.keys.state(room))
    return text ? (JSON.parse(text) as StreamState) : null
  }

  private saveState(stream: LiveStream, last: { section: Section; id: string }): void {
    const state: StreamState = {
      epoch: stream.conductor.epoch, index: last.section.index, id: last.id, section: last.section,
      snapshot: stream.conductor.snapshot() as ComposerSnapshot, controls: stream.conductor.controls,
    }
    const key = this.o.keys.state(stream.room)
    const write = stream.kind === 'session'
      ? this.o.redis.set(key, JSON.stringify(state), 'PX', this.sessionTtl())
      : this.o.redis.set(key, JSON.stringify(state))
    write.catch((e) => this.fail(e))
  }

  /** Feed of every followed room: relays record what the conductor published (and a changed epoch). */
  private onEntry(room: string, type: string, data: string, id: string): void {
    const m = this.managed.get(room)
    if (!m || m.leader) return
    try {
      if (type === 'section') {
        const section = JSON.parse(data) as Section
        if (section.index === 0 || !m.caughtUp || !m.epochSynced) void this.syncEpoch(m, section, id)
        else m.stream.conductor.record(section, id)
      } else if (type === 'controls') {
        m.stream.conductor.recordControls(JSON.parse(data) as ControlsMessage)
      }
    } catch (err) {
      this.o.logger.warn({ err: String(err), room }, 'unreadable entry in the feed')
    }
  }

  /** A relay's first section of a stream (or a fresh start): adopt the conducting instance's epoch. */
  private async syncEpoch(m: Managed, section: Section, id: string): Promise<void> {
    const state = await this.readState(m.stream.room).catch((e) => (this.fail(e), null))
    const epoch = state?.epoch
    if (epoch !== undefined && epoch !== m.stream.conductor.epoch && !m.leader) {
      const composer = freshComposer(m)
      this.registry.conductFrom(m.stream, { composer, epoch, history: [], controls: state?.controls, start: false })
    }
    if (epoch !== undefined) m.epochSynced = true
    m.stream.conductor.record(section, id)
  }

  private onMessage(text: string): void {
    let msg: ControlMessage
    try {
      msg = JSON.parse(text) as ControlMessage
    } catch {
      return
    }
    if (msg.op === 'reply') {
      if (msg.to !== this.o.instanceId) return
      const p = this.pending.get(msg.reqId)
      if (!p) return
      this.pending.delete(msg.reqId)
      clearTimeout(p.timer)
      if (msg.ok && msg.result) p.resolve(msg.result)
      else p.reject(new Error(msg.error ?? 'controls refused'))
    } else if (msg.op === 'controls') {
      const m = this.managed.get(msg.room)
      if (!m?.leader) return
      this.registry.setControls(m.stream, msg.request).then(
        (result) => this.send({ op: 'reply', reqId: msg.reqId, to: msg.from, ok: true, result }),
        (err) => this.send({ op: 'reply', reqId: msg.reqId, to: msg.from, ok: false, error: String(err) }),
      ).catch((e) => this.fail(e))
    } else if (msg.op === 'end') {
      if (msg.from === this.o.instanceId) return
      const m = this.managed.get(msg.room)
      if (!m || m.stream.kind !== 'session') return
      this.forget(msg.room)
      void this.registry.deleteSession(m.stream.id, 'deleted', { local: true })
    }
  }

  /** Shares "listened to" across instances and ends sessions whose record expired. */
  private async sessionTick(): Promise<void> {
    if (this.closed) return
    const sessions = [...this.managed.values()].filter((m) => m.stream.kind === 'session')
    if (sessions.length === 0) return
    const { redis, keys } = this.o
    const now = Date.now()
    try {
      const pipe = redis.pipeline()
      const listened = sessions.map((m) => this.listeners(m.stream.room) > 0)
      sessions.forEach((m, i) => {
        const key = keys.session(m.stream.id)
        if (listened[i]) pipe.hset(key, 'heard', String(now)).pexpire(key, this.sessionTtl())
        pipe.hget(key, 'heard')
      })
      const heard = ((await pipe.exec()) ?? []).map((r) => r[1])
      let k = 0
      for (const [i, m] of sessions.entries()) {
        if (listened[i]) k += 2
        const value = heard[k++]
        if (value === null || value === undefined) {
          // The record is gone (ended elsewhere, or expired): end it here too.
          this.forget(m.stream.room)
          void this.registry.deleteSession(m.stream.id, 'ended', { local: true })
        } else {
          m.stream.lastListenerAt = Math.max(m.stream.lastListenerAt, Number(value))
        }
      }
    } catch (err) {
      this.fail(err)
    }
  }
}
