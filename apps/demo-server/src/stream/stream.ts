import type { AudioFormat, Hello, Style } from '@auralis/protocol'
import type { Conductor } from './conductor.js'
import type { AudioStream } from '../audio/audio-stream.js'

/** One live stream: a shared station or a private session. */
export interface LiveStream {
  /** Station name or session id. */
  id: string
  kind: 'station' | 'session'
  /** Hub room name (`station:ambient`, `session:<id>`). */
  room: string
  /** Display name. */
  name: string
  style: Style
  mode: 'events' | 'audio'
  audio?: AudioFormat
  /** The render/encode pipeline of an audio-mode stream (it runs where the stream is conducted). */
  audioStream?: AudioStream
  conductor: Conductor
  /** Wall-clock ms of the last moment the stream had a listener (or was created). */
  lastListenerAt: number
}

/** The `hello` message a listener receives first. */
export function helloFor(stream: LiveStream, serverTime: number): Hello {
  return {
    protocol: 1,
    stream: stream.id,
    kind: stream.kind,
    epoch: stream.conductor.epoch,
    serverTime,
    controls: stream.conductor.controls.controls,
    mode: stream.mode,
    ...(stream.audio ? { audio: stream.audio } : {}),
  }
}

/** Hub room name for a stream. */
export function roomOf(kind: 'station' | 'session', id: string): string {
  return `${kind}:${id}`
}
