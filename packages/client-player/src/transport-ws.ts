/**
 * WebSocket transport: JSON text frames `{ type, id, data }` (decoded by the protocol's `decodeWsText`); reconnects with exponential backoff and full
 * jitter and resumes with a `lastEventId` query parameter. Binary frames (audio mode: one `audio` chunk each, decoded by
 * the protocol's `decodeAudioFrame`) go to the handlers' `onAudio`.
 */
import { decodeAudioFrame, decodeWsText } from '@auralis/protocol'
import { backoffDelay } from './backoff.js'
import { PlayerError } from './errors.js'
import type { ConnectionState, Transport, TransportHandlers, TransportOptions } from './transport.js'
import { withQuery } from './urls.js'

/** The WebSocket transport (see {@link Transport}). */
export class WsTransport implements Transport {
  /** Transport kind. */
  readonly kind = 'ws' as const
  private ws: WebSocket | undefined
  private lastId: string | undefined
  private current: ConnectionState = 'idle'
  private opened = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private closed = false
  private reconnectCount = 0

  constructor(
    private readonly url: string,
    private readonly handlers: TransportHandlers,
    private readonly options: TransportOptions = {},
  ) {}

  /** Current state. */
  get state(): ConnectionState {
    return this.current
  }

  /** Id of the last event received. */
  get lastEventId(): string | undefined {
    return this.lastId
  }

  /** Successful reconnections so far. */
  get reconnects(): number {
    return this.reconnectCount
  }

  private setState(s: ConnectionState): void {
    if (s === this.current) return
    this.current = s
    this.handlers.onState(s)
  }

  /** Opens the socket (with `?lastEventId=` when resuming). */
  connect(lastEventId?: string): void {
    if (typeof WebSocket === 'undefined') throw new PlayerError('transport', 'WebSocket is not available in this environment')
    this.closed = false
    if (lastEventId !== undefined) this.lastId = lastEventId
    this.open()
  }

  private open(): void {
    const url = this.lastId ? withQuery(this.url, 'lastEventId', this.lastId) : this.url
    this.setState(this.opened ? 'reconnecting' : 'connecting')
    let ws: WebSocket
    try {
      ws = new WebSocket(url)
    } catch (err) {
      this.handlers.onError(new PlayerError('transport', `cannot open WebSocket ${url}: ${(err as Error).message}`, { cause: err }))
      this.scheduleRetry()
      return
    }
    this.ws = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      if (this.ws !== ws) return
      if (this.opened) this.reconnectCount++
      this.opened = true
      this.setState('open')
    }
    ws.onmessage = (e) => {
      if (this.ws !== ws) return
      if (e.data instanceof ArrayBuffer) return this.onBinary(e.data)
      if (typeof e.data !== 'string') return
      this.attempt = 0 // a message got through: the next failure starts the backoff over
      let frame
      try {
        frame = decodeWsText(e.data)
      } catch (err) {
        this.handlers.onError(new PlayerError('protocol', `bad WebSocket frame: ${(err as Error).message}`, { cause: err }))
        return
      }
      if (frame.id !== undefined) this.lastId = frame.id
      this.handlers.onMessage(frame.message, frame.id)
    }
    ws.onclose = () => {
      if (this.ws !== ws || this.closed) return
      this.ws = undefined
      this.scheduleRetry()
    }
  }

  private onBinary(data: ArrayBuffer): void {
    this.attempt = 0
    let frame
    try {
      frame = decodeAudioFrame(data)
    } catch (err) {
      this.handlers.onError(new PlayerError('protocol', `bad binary WebSocket frame: ${(err as Error).message}`, { cause: err }))
      return
    }
    if (frame.id !== undefined) this.lastId = frame.id
    this.handlers.onAudio?.(frame.audio, frame.id)
  }

  private scheduleRetry(): void {
    this.setState('reconnecting')
    const delay = backoffDelay(this.attempt++, this.options.random ?? Math.random, {
      baseMs: this.options.backoffBaseMs ?? 250,
      capMs: this.options.backoffCapMs ?? 10_000,
    })
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.open()
    }, delay)
  }

  /** Forgets the last event id. */
  forgetLastEventId(): void {
    this.lastId = undefined
  }

  /** Closes the socket for good. */
  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    const ws = this.ws
    this.ws = undefined
    ws?.close(1000, 'client closed')
    this.setState('closed')
  }
}
