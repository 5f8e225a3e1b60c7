/**
 * Server-Sent Events transport on the browser's native `EventSource`.
 *
 * Resume: while `readyState` is CONNECTING after an error, the browser reconnects by itself and sends the
 * last `id:` it saw in a `Last-Event-ID` header (after the server's `retry:` delay — send a short one).
 * When the browser gives up (`readyState` CLOSED: an HTTP error or a wrong content type), this transport
 * reconnects itself with exponential backoff and full jitter, passing the id as a `lastEventId` query
 * parameter because `EventSource` cannot set headers. Servers should prefer the header when both are present.
 */
import { SERVER_MESSAGE_TYPES, parseSseEvent } from '@auralis/protocol'
import { backoffDelay } from './backoff.js'
import { PlayerError } from './errors.js'
import type { ConnectionState, Transport, TransportHandlers, TransportOptions } from './transport.js'
import { withQuery } from './urls.js'

/** The SSE transport (see {@link Transport}). */
export class SseTransport implements Transport {
  /** Transport kind. */
  readonly kind = 'sse' as const
  private es: EventSource | undefined
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

  /** Opens the EventSource (with `?lastEventId=` when resuming). */
  connect(lastEventId?: string): void {
    if (typeof EventSource === 'undefined') throw new PlayerError('transport', 'EventSource is not available in this environment')
    this.closed = false
    if (lastEventId !== undefined) this.lastId = lastEventId
    this.open()
  }

  private open(): void {
    this.es?.close()
    const url = this.lastId ? withQuery(this.url, 'lastEventId', this.lastId) : this.url
    this.setState(this.opened ? 'reconnecting' : 'connecting')
    const es = new EventSource(url)
    this.es = es
    es.addEventListener('open', () => {
      if (this.es !== es) return
      if (this.opened) this.reconnectCount++
      this.opened = true
      this.attempt = 0
      this.setState('open')
    })
    for (const type of SERVER_MESSAGE_TYPES) {
      if (type === 'error') continue
      es.addEventListener(type, (e) => this.onEvent(es, type, e as MessageEvent))
    }
    // `error` is both the connection-error event and the server's `error` message type.
    es.addEventListener('error', (e) => {
      if (this.es !== es) return
      if (e instanceof MessageEvent && typeof e.data === 'string') return this.onEvent(es, 'error', e)
      this.onConnectionError(es)
    })
  }

  private onEvent(es: EventSource, type: string, e: MessageEvent): void {
    if (this.es !== es) return
    if (e.lastEventId) this.lastId = e.lastEventId
    let msg
    try {
      msg = parseSseEvent(type, String(e.data))
    } catch (err) {
      this.handlers.onError(new PlayerError('protocol', `bad "${type}" event: ${(err as Error).message}`, { cause: err }))
      return
    }
    this.handlers.onMessage(msg, e.lastEventId || undefined)
  }

  private onConnectionError(es: EventSource): void {
    if (this.closed) return
    if (es.readyState === EventSource.CONNECTING) {
      // The browser retries on its own and sends Last-Event-ID.
      this.setState('reconnecting')
      return
    }
    es.close()
    this.setState('reconnecting')
    const delay = backoffDelay(this.attempt++, this.options.random ?? Math.random, {
      baseMs: this.options.backoffBaseMs ?? 250,
      capMs: this.options.backoffCapMs ?? 10_000,
    })
    this.handlers.onError(new PlayerError('transport', `event stream closed by the browser; reconnecting in ${Math.round(delay)} ms`))
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (!this.closed) this.open()
    }, delay)
  }

  /** Forgets the last event id. */
  forgetLastEventId(): void {
    this.lastId = undefined
  }

  /** Closes the EventSource for good. */
  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.es?.close()
    this.es = undefined
    this.setState('closed')
  }
}
