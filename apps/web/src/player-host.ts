/**
 * Holds the one player the app plays at a time, its shared AudioContext, the recent sections and the
 * stream epoch; tells listeners when any of it changes.
 */
import { createPlayer, type Player } from '@auralis/client-player'
import type { Section } from '@auralis/protocol'

/** What is playing. */
export interface Playing {
  /** `station:ambient`, `session:<id>`. */
  readonly key: string
  /** Name to show. */
  readonly label: string
  /** The player. */
  readonly player: Player
}

/** Sections kept for the views. */
const KEEP_SECTIONS = 24

/** The app's player slot (one stream at a time). */
export class PlayerHost extends EventTarget {
  private ctx: AudioContext | undefined
  private current: Playing | undefined
  private recent: Section[] = []
  private epochMs: number | undefined

  /** What is playing, if anything. */
  get playing(): Playing | undefined {
    return this.current
  }

  /** The player, if any. */
  get player(): Player | undefined {
    return this.current?.player
  }

  /** Recent sections of the current stream, oldest first. */
  get sections(): readonly Section[] {
    return this.recent
  }

  /** The stream's epoch (server ms), once greeted. */
  get epoch(): number | undefined {
    return this.epochMs
  }

  /** The AudioContext every player shares (created on first use, inside a user gesture). */
  audioContext(): AudioContext {
    if (!this.ctx || this.ctx.state === 'closed') this.ctx = new AudioContext({ latencyHint: 'interactive' })
    return this.ctx
  }

  /** Seconds since the epoch at the output now (what is heard), once known. */
  streamTime(): number | undefined {
    const now = this.current?.player.serverNow()
    return now === undefined || this.epochMs === undefined ? undefined : (now - this.epochMs) / 1000
  }

  /**
   * Stops what plays and plays the stream at `url`. Call from a user gesture. Dispatches `player` (before
   * `play()`, so a listener can hook the player's events) and `change`.
   */
  start(key: string, label: string, url: string, bufferMs?: number, output: 'tone' | 'audio' = 'tone'): Promise<void> {
    this.stop()
    // `bufferMs` is the notes' schedule-ahead for Tone.js, or the jitter-buffer depth of server-rendered audio.
    const player = output === 'audio'
      ? createPlayer({ url, output: 'audio', audioContext: this.audioContext(), ...(bufferMs === undefined ? {} : { audio: { bufferMs } }) })
      : createPlayer({ url, output: 'tone', audioContext: this.audioContext(), scheduleAhead: bufferMs })
    const playing: Playing = { key, label, player }
    this.current = playing
    player.on('hello', (h) => {
      if (this.epochMs !== h.epoch) this.recent = []
      this.epochMs = h.epoch
    })
    player.on('section', ({ section }) => {
      this.recent = [...this.recent, section].slice(-KEEP_SECTIONS)
      this.emit('sections')
    })
    player.on('state', () => this.emit('change'))
    this.dispatchEvent(new CustomEvent('player', { detail: playing }))
    const started = player.play()
    this.emit('change')
    return started
  }

  /** Stops and releases the current player (the shared AudioContext stays, suspended). */
  stop(): void {
    const p = this.current
    if (!p) return
    this.current = undefined
    this.recent = []
    this.epochMs = undefined
    p.player.stop()
    p.player.currentOutput.dispose()
    this.emit('change')
  }

  private emit(type: string): void {
    this.dispatchEvent(new Event(type))
  }
}
