/**
 * A test station: publishes sections (validated by the protocol's schemas, written with its encoders) ahead of time into a replay
 * log, and serves them over SSE (resume by Last-Event-ID header or `lastEventId` query) and WebSocket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { encodeSseMessage, encodeSseRetry, encodeWsText, parseMessage, sectionDuration, type NoteEvent, type Section, type ServerMessage } from '@auralis/protocol'
import { acceptWebSocket, type WsConnection } from './ws-server.js'

/** What a station plays. */
export interface StationSpec {
  /** Station id (URL segment). */
  readonly id: string
  /** Tempo; sections are one 4/4 bar. */
  readonly bpm: number
  /** Events of section `index`. */
  readonly events: (index: number) => NoteEvent[]
  /** Publish each section this long before it starts (ms). */
  readonly leadMs?: number
}

interface LogEntry {
  readonly id: number
  readonly type: 'section'
  readonly data: Section
}

/** A record of one client connection, for assertions. */
export interface ConnectionRecord {
  readonly transport: 'sse' | 'ws'
  readonly headerLastEventId: string | undefined
  readonly queryLastEventId: string | undefined
  readonly at: number
  readonly sentIds: number[]
  readonly status: number
}

/** A running test station. */
export class Station {
  readonly epoch = Date.now()
  readonly log: LogEntry[] = []
  readonly connections: ConnectionRecord[] = []
  private sse = new Set<ServerResponse>()
  private ws = new Set<WsConnection>()
  private timer: ReturnType<typeof setInterval>
  private next = 0
  /** Answer the next N stream requests (SSE or WS) with 503. */
  refuseNext = 0

  constructor(readonly spec: StationSpec) {
    this.publishDue()
    this.timer = setInterval(() => this.publishDue(), 20)
  }

  private sectionAt(index: number): Section {
    const dur = (4 * 60) / this.spec.bpm
    const msg = parseMessage({
      type: 'section',
      data: {
        index, startTime: index * dur, bar: index, bpm: this.spec.bpm, bars: 1, beatsPerBar: 4, key: 'A', mode: 'aeolian',
        style: 'ambient', intensity: 0.5, swing: 0.5, chords: [{ bar: 0, beat: 0, symbol: index % 2 ? 'Dm7' : 'Am7' }],
        events: this.spec.events(index), source: 'algorithmic',
      },
    })
    return msg.data as Section
  }

  private publishDue(): void {
    const lead = this.spec.leadMs ?? 1500
    for (;;) {
      const s = this.sectionAt(this.next)
      if (Date.now() < this.epoch + s.startTime * 1000 - lead) break
      const entry: LogEntry = { id: this.next + 1, type: 'section', data: s }
      this.log.push(entry)
      this.next++
      for (const res of this.sse) this.writeSse(res, entry)
      for (const c of this.ws) this.writeWs(c, entry)
    }
  }

  private hello(): ServerMessage {
    return parseMessage({ type: 'hello', data: {
      protocol: 1, stream: this.spec.id, kind: 'station', epoch: this.epoch, serverTime: Date.now(),
      controls: { key: 'A', mode: 'aeolian', bpm: this.spec.bpm, intensity: 0.5, style: 'ambient' }, mode: 'events',
    } })
  }

  /** Entries a (re)connecting client gets: after its last id, or the current and upcoming sections. */
  private backlog(lastId: string | undefined): LogEntry[] {
    if (lastId !== undefined && /^\d+$/.test(lastId)) return this.log.filter((e) => e.id > Number(lastId))
    const nowS = (Date.now() - this.epoch) / 1000
    return this.log.filter((e) => e.data.startTime + sectionDuration(e.data) > nowS)
  }

  private record: Map<object, ConnectionRecord> = new Map()

  private writeSse(res: ServerResponse, e: LogEntry): void {
    res.write(encodeSseMessage({ type: e.type, data: e.data }, e.id))
    this.record.get(res)?.sentIds.push(e.id)
  }

  private writeWs(c: WsConnection, e: LogEntry): void {
    c.send(encodeWsText({ type: e.type, data: e.data }, e.id))
    this.record.get(c)?.sentIds.push(e.id)
  }

  /** Serves `GET …/events`. */
  handleSse(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const header = req.headers['last-event-id'] as string | undefined
    const query = url.searchParams.get('lastEventId') ?? undefined
    const rec: ConnectionRecord = { transport: 'sse', headerLastEventId: header, queryLastEventId: query, at: Date.now(), sentIds: [], status: this.refuseNext > 0 ? 503 : 200 }
    this.connections.push(rec)
    if (this.refuseNext > 0) {
      this.refuseNext--
      res.writeHead(503, { 'access-control-allow-origin': '*' }).end('busy')
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'access-control-allow-origin': '*' })
    res.write(encodeSseRetry(200) + '\n')
    this.record.set(res, rec)
    res.write(encodeSseMessage(this.hello()))
    for (const e of this.backlog(header ?? query)) this.writeSse(res, e)
    this.sse.add(res)
    res.on('close', () => this.sse.delete(res))
  }

  /** Serves the `…/ws` upgrade. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, url: URL): void {
    const query = url.searchParams.get('lastEventId') ?? undefined
    const rec: ConnectionRecord = { transport: 'ws', headerLastEventId: undefined, queryLastEventId: query, at: Date.now(), sentIds: [], status: this.refuseNext > 0 ? 503 : 101 }
    this.connections.push(rec)
    if (this.refuseNext > 0) {
      this.refuseNext--
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const c = acceptWebSocket(req, socket)
    this.record.set(c, rec)
    c.send(encodeWsText(this.hello()))
    for (const e of this.backlog(query)) this.writeWs(c, e)
    this.ws.add(c)
    socket.on('close', () => this.ws.delete(c))
  }

  /**
   * Sends `reset` on every open connection, then starts each over from "now" (hello, then the current and
   * upcoming sections again), as a server does for a Last-Event-ID it can no longer replay.
   */
  resetAll(reason: string): void {
    const reset = parseMessage({ type: 'reset', data: { reason } })
    for (const res of this.sse) {
      res.write(encodeSseMessage(reset))
      res.write(encodeSseMessage(this.hello()))
      for (const e of this.backlog(undefined)) this.writeSse(res, e)
    }
    for (const c of this.ws) {
      c.send(encodeWsText(reset))
      c.send(encodeWsText(this.hello()))
      for (const e of this.backlog(undefined)) this.writeWs(c, e)
    }
  }

  /** Sends a server `error` message on every open connection (the stream stays open). */
  sendError(code: string, message: string): void {
    const msg = parseMessage({ type: 'error', data: { code, message } })
    for (const res of this.sse) res.write(encodeSseMessage(msg))
    for (const c of this.ws) c.send(encodeWsText(msg))
  }

  /** Cuts every open stream connection abruptly. */
  dropAll(): number {
    const n = this.sse.size + this.ws.size
    for (const res of this.sse) res.socket?.destroy()
    for (const c of this.ws) c.drop()
    this.sse.clear()
    this.ws.clear()
    return n
  }

  /** Stops publishing and closes connections. */
  close(): void {
    clearInterval(this.timer)
    this.dropAll()
  }
}
