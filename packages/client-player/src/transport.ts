/**
 * The transport contract shared by the SSE and WebSocket transports.
 */
import type { AudioChunk, ServerMessage } from '@auralis/protocol'
import type { PlayerError } from './errors.js'

/** State of the connection to the stream. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** Callbacks a transport reports to. */
export interface TransportHandlers {
  /** A valid server message arrived, with its event id (if it had one). */
  onMessage(message: ServerMessage, id: string | undefined): void
  /** The connection state changed. */
  onState(state: ConnectionState): void
  /** A recoverable problem (bad message, failed connection attempt). */
  onError(error: PlayerError): void
  /** An `audio` chunk that arrived as raw bytes (a binary WebSocket frame), with its event id. */
  onAudio?(chunk: AudioChunk, id: string | undefined): void
}

/** A live connection to a stream that reconnects by itself and resumes from the last event id. */
export interface Transport {
  /** `sse` or `ws`. */
  readonly kind: 'sse' | 'ws'
  /** Current state. */
  readonly state: ConnectionState
  /** Id of the last event received (resumes from here). */
  readonly lastEventId: string | undefined
  /** Successful reconnections so far. */
  readonly reconnects: number
  /** Opens the connection; resumes after `lastEventId` when given. */
  connect(lastEventId?: string): void
  /** Forgets the last event id (after a `reset`, the server starts the client over from "now"). */
  forgetLastEventId(): void
  /** Closes for good (no reconnect). */
  close(): void
}

/** Options shared by both transports. */
export interface TransportOptions {
  /** Reconnect backoff: first bound (ms). */
  readonly backoffBaseMs?: number
  /** Reconnect backoff: cap (ms). */
  readonly backoffCapMs?: number
  /** Random source in [0, 1) for the jitter; default `Math.random`. */
  readonly random?: () => number
}
