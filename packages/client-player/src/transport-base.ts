/**
 * What the SSE and WebSocket transports share: connection state, the last event id to resume from, and
 * reconnection with exponential backoff and full jitter.
 */
import { backoffDelay } from './backoff.js'
import type { ConnectionState, TransportHandlers, TransportOptions } from './transport.js'
import { withQuery } from './urls.js'

/** Base of the transports: subclasses open and close the actual connection. */
export abstract class ReconnectingTransport {
  /** Id of the last event received (resume point). */
  protected lastId: string | undefined
  /** True once a connection has opened (later opens are reconnections). */
  protected opened = false
  /** Consecutive failed attempts (the backoff exponent). */
  protected attempt = 0
  /** True after {@link close}: no more reconnections. */
  protected closed = false
  private current: ConnectionState = 'idle'
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private reconnectCount = 0

  constructor(
    protected readonly url: string,
    protected readonly handlers: TransportHandlers,
    protected readonly options: TransportOptions = {},
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

  /** Opens the connection (with `?lastEventId=` when resuming). */
  connect(lastEventId?: string): void {
    this.assertAvailable()
    this.closed = false
    if (lastEventId !== undefined) this.lastId = lastEventId
    this.open()
  }

  /** Forgets the last event id. */
  forgetLastEventId(): void {
    this.lastId = undefined
  }

  /** Closes the connection for good. */
  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.closeConnection()
    this.setState('closed')
  }

  /** Throws a PlayerError when the platform lacks this transport. */
  protected abstract assertAvailable(): void
  /** Opens a new connection to {@link resumeUrl}. */
  protected abstract open(): void
  /** Closes the current connection, if any, without reconnecting. */
  protected abstract closeConnection(): void

  protected setState(s: ConnectionState): void {
    if (s === this.current) return
    this.current = s
    this.handlers.onState(s)
  }

  /** The stream URL, with the resume point as a `lastEventId` query parameter when there is one. */
  protected resumeUrl(): string {
    return this.lastId ? withQuery(this.url, 'lastEventId', this.lastId) : this.url
  }

  /** Marks a connection as open (counting it as a reconnection after the first). */
  protected markOpen(): void {
    if (this.opened) this.reconnectCount++
    this.opened = true
    this.setState('open')
  }

  /** Reconnects after the next backoff delay; returns that delay in ms. */
  protected scheduleRetry(): number {
    this.setState('reconnecting')
    const delay = backoffDelay(this.attempt++, this.options.random ?? Math.random, {
      baseMs: this.options.backoffBaseMs ?? 250,
      capMs: this.options.backoffCapMs ?? 10_000,
    })
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.open()
    }, delay)
    return delay
  }
}
