/**
 * WebSocket transport: JSON text frames `{ type, id, data }` (decoded by the protocol's `decodeWsText`); reconnects with exponential backoff and full
 * jitter and resumes with a `lastEventId` query parameter. Binary frames (audio mode: one `audio` chunk each, decoded by
 * the protocol's `decodeAudioFrame`) go to the handlers' `onAudio`.
 */
import { decodeAudioFrame, decodeWsText } from '@auralis/protocol'
import { PlayerError } from './errors.js'
import type { Transport } from './transport.js'
import { ReconnectingTransport } from './transport-base.js'

/** The WebSocket transport (see {@link Transport}). */
export class WsTransport extends ReconnectingTransport implements Transport {
  /** Transport kind. */
  readonly kind = 'ws' as const
  private ws: WebSocket | undefined

  protected assertAvailable(): void {
    if (typeof WebSocket === 'undefined') throw new PlayerError('transport', 'WebSocket is not available in this environment')
  }

  protected closeConnection(): void {
    const ws = this.ws
    this.ws = undefined
    ws?.close(1000, 'client closed')
  }

  protected open(): void {
    const url = this.resumeUrl()
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
      this.markOpen()
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
}
