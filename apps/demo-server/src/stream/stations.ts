import type { AudioCodec, Controls } from '@auralis/protocol'

/** A station that plays from start-up, forever, shared by all its listeners. */
export interface StationDefinition {
  id: string
  name: string
  seed: number
  controls: Controls
  /** Jazz form (`blues`, `ii-V-I`, `rhythm-changes`) when the style is jazz. */
  form?: 'blues' | 'ii-V-I' | 'rhythm-changes'
  /** `audio`: the server renders the sound and streams it (Opus by default); `events` (default): notes only. */
  mode?: 'events' | 'audio'
  /** Codec of an audio-mode station (default `opus`). */
  codec?: AudioCodec
  /** Opus bitrate of an audio-mode station, bits/s (default 48,000). */
  bitrate?: number
}

/** The embedded default stations: `ambient` and `jazz`. */
export const DEFAULT_STATIONS: readonly StationDefinition[] = [
  { id: 'ambient', name: 'Ambient Drift', seed: 42, controls: { style: 'ambient', key: 'A', mode: 'aeolian', bpm: 70, intensity: 0.5 } },
  { id: 'jazz', name: 'Infinite Jazz Quartet', seed: 7, form: 'rhythm-changes', controls: { style: 'jazz', key: 'Bb', mode: 'ionian', bpm: 132, intensity: 0.6 } },
  { id: 'radio', name: 'Ambient Radio (server audio)', seed: 23, mode: 'audio', controls: { style: 'ambient', key: 'E', mode: 'lydian', bpm: 66, intensity: 0.45 } },
]

/** Default controls of a private session per style, before the request's own. */
export const SESSION_DEFAULTS: Readonly<Record<Controls['style'], Controls>> = {
  ambient: { style: 'ambient', key: 'D', mode: 'dorian', bpm: 72, intensity: 0.5 },
  jazz: { style: 'jazz', key: 'F', mode: 'ionian', bpm: 140, intensity: 0.6 },
}
