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
import { PlayerError } from './errors.js'
import type { Transport } from './transport.js'
import { ReconnectingTransport } from './transport-base.js'

/** The SSE transport (see {@link Transport}). */
export class SseTransport extends ReconnectingTransport implements Transport {
  /** Transport kind. */
  readonly kind = 'sse' as const
  private es: EventSource | undefined

  protected assertAvailable(): void {
    if (typeof EventSource === 'undefined') throw new PlayerError('transport', 'EventSource is not available in this environment')
  }

  protected closeConnection(): void {
    this.es?.close()
    this.es = undefined
  }

  protected open(): void {
    this.es?.close()
    const url = this.resumeUrl()
    this.setState(this.opened ? 'reconnecting' : 'connecting')
    const es = new EventSource(url)
    this.es = es
    es.addEventListener('open', () => {
      if (this.es !== es) return
      this.attempt = 0
      this.markOpen()
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
    const delay = this.scheduleRetry()
    this.handlers.onError(new PlayerError('transport', `event stream closed by the browser; reconnecting in ${Math.round(delay)} ms`))
  }
}
