/**
 * The output contract: where scheduled notes go (Tone.js instruments, Web MIDI, or your own).
 */
import type { InstrumentId } from '@auralis/protocol'

/** A note handed to an output, with its time on every clock an output may need. */
export interface ScheduledNote {
  /** Instrument id. */
  readonly inst: InstrumentId
  /** MIDI note number 0–127. */
  readonly note: number
  /** MIDI velocity 1–127. */
  readonly vel: number
  /** Duration in seconds. */
  readonly d: number
  /** Server time (ms) at which the note sounds. */
  readonly serverMs: number
  /**
   * `AudioContext` time (s) at which to start it: the moment it is heard at the speakers (from
   * `getOutputTimestamp()`, so the device's output latency is compensated) minus the output's own `latency`.
   */
  readonly time: number
  /** `performance.now()` time (ms) at which to start it — a Web MIDI timestamp. */
  readonly timestamp: number
  /** Index of the section it belongs to. */
  readonly section: number
}

/** What an output gets when the player starts it. */
export interface OutputStartContext {
  /** The player's running `AudioContext` (created or resumed in `play()`, inside the user gesture). */
  readonly audioContext: AudioContext
}

/** A destination for notes. Implement it to send notes anywhere (e.g. a visualizer or a custom synth). */
export interface Output {
  /** Short name used in stats and errors. */
  readonly name: string
  /**
   * Processing delay the output adds before its sound is heard, in seconds (e.g. a limiter's lookahead).
   * The player starts notes this much earlier so they are heard on time. Default 0.
   */
  readonly latency?: number
  /** Prepares the output (builds instruments, opens ports). Rejects with a `PlayerError` when it cannot. */
  start(ctx: OutputStartContext): Promise<void>
  /** Schedules one note. Called ahead of time (by the scheduler's lookahead), in time order. */
  play(note: ScheduledNote): void
  /** Silences everything now, including notes scheduled but not yet started where the output can. */
  silence(): void
  /** Releases everything the output holds; it is not used again. */
  dispose(): void
}
