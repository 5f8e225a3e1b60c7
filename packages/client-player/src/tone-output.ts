/**
 * The Tone.js output: one default patch per instrument id, a shared reverb bus and a master limiter.
 */
import { INSTRUMENT_IDS, type InstrumentId } from '@auralis/protocol'
import { Context } from 'tone/build/esm/core/context/Context.js'
import { Gain } from 'tone/build/esm/core/context/Gain.js'
import { setContext } from 'tone/build/esm/core/Global.js'
import { Limiter } from 'tone/build/esm/component/dynamics/Limiter.js'
import { Reverb } from 'tone/build/esm/effect/Reverb.js'
import { PlayerError } from './errors.js'
import type { Output, OutputStartContext, ScheduledNote } from './output.js'
import { buildPatch, midiToHz, type ToneVoice } from './tone-patches.js'

/** Options of {@link createToneOutput}. */
export interface ToneOutputOptions {
  /** Master level in dB before the limiter (default −3). */
  readonly masterDb?: number
  /** Limiter threshold in dBFS (default −1). */
  readonly limitDb?: number
  /** Reverb decay in seconds (default 3.2). */
  readonly reverbDecay?: number
}

const dbToGain = (db: number): number => 10 ** (db / 20)

/**
 * Tone's lookAhead while playing. Notes arrive with explicit future times, and Tone's PolySynth defers any
 * note later than `currentTime + lookAhead` to its own timer, then starts it at a time already past (late
 * by up to a timer tick; measured: kick onsets off by up to 500 ms with lookAhead 0). A lookAhead beyond the
 * player's horizon (≤ 1 s) makes it schedule every note at once, sample-accurately. Nothing here relies
 * on Tone's `now()` while playing: params are set at explicit times.
 */
const PLAYING_LOOKAHEAD_S = 2

/** The Tone.js output (see {@link Output}). */
export class ToneOutput implements Output {
  /** Output name. */
  readonly name = 'tone'
  /**
   * The master limiter (a DynamicsCompressorNode) delays its signal by a fixed 6 ms lookahead in
   * Chromium (measured here: onsets 6.4 ms after their start time without this compensation).
   */
  readonly latency = 0.006
  private voices: Partial<Record<InstrumentId, ToneVoice>> = {}
  private channels: Gain[] = []
  private sends: Gain[] = []
  private master: Gain | undefined
  private limiter: Limiter | undefined
  private reverb: Reverb | undefined
  private muted: Gain | undefined
  private errors = 0
  private raw: AudioContext | undefined
  private tone: Context | undefined
  private mutedNow = false

  constructor(private readonly options: ToneOutputOptions = {}) {}

  /** Notes Tone refused (e.g. a time already past); they are dropped. */
  get droppedNotes(): number {
    return this.errors
  }

  /**
   * Wraps the player's `AudioContext` in a Tone context (made Tone's global one), builds every instrument,
   * the reverb bus and the limiter (the reverb's impulse response renders in the background).
   */
  async start({ audioContext }: OutputStartContext): Promise<void> {
    if (this.master) return
    try {
      const ctx = new Context({ context: audioContext, lookAhead: 0 })
      this.tone = ctx
      this.raw = audioContext
      setContext(ctx)
      const limiter = new Limiter(this.options.limitDb ?? -1)
      const out = new Gain(1)
      limiter.connect(out)
      out.connect(ctx.destination)
      const master = new Gain(dbToGain(this.options.masterDb ?? -3)).connect(limiter)
      const reverb = new Reverb({ decay: this.options.reverbDecay ?? 3.2, preDelay: 0.02, wet: 1 }).connect(master)
      this.master = master
      this.reverb = reverb
      this.buildVoices()
      ctx.lookAhead = PLAYING_LOOKAHEAD_S
      this.limiter = limiter
      this.muted = out
      // The reverb's impulse response renders in the background; notes play dry until it is ready, so
      // the first sound does not wait for it.
      reverb.ready.catch(() => undefined)
    } catch (err) {
      throw new PlayerError('output', `cannot build the Tone.js output: ${(err as Error)?.message ?? String(err)}`, { cause: err })
    }
  }

  /** Builds the instruments with Tone's lookAhead at 0, so what they start on creation (LFOs) starts now. */
  private buildVoices(): void {
    if (this.tone) this.tone.lookAhead = 0
    const master = this.master!
    const reverb = this.reverb!
    for (const id of INSTRUMENT_IDS) {
      const voice = buildPatch(id)
      const channel = new Gain(dbToGain(voice.volumeDb))
      voice.output.connect(channel)
      channel.connect(master)
      this.channels.push(channel)
      if (voice.reverbSend > 0) {
        const send = new Gain(voice.reverbSend)
        channel.connect(send)
        send.connect(reverb)
        this.sends.push(send)
      }
      this.voices[id] = voice
    }
    if (this.tone) this.tone.lookAhead = PLAYING_LOOKAHEAD_S
  }

  private disposeVoices(): void {
    for (const v of Object.values(this.voices)) v?.dispose()
    for (const n of [...this.channels, ...this.sends]) n.dispose()
    this.voices = {}
    this.channels = []
    this.sends = []
  }

  private setMute(muted: boolean): void {
    if (!this.muted || !this.raw) return
    const t = this.raw.currentTime
    this.muted.gain.cancelScheduledValues(t)
    this.muted.gain.setValueAtTime(muted ? 0 : 1, t)
    this.mutedNow = muted
  }

  /** Triggers the instrument at the note's context time. */
  play(note: ScheduledNote): void {
    const v = this.voices[note.inst]
    if (!v) return
    if (this.mutedNow) this.setMute(false)
    try {
      v.trigger(midiToHz(note.note), note.d, note.time, note.vel / 127)
    } catch {
      this.errors++
    }
  }

  /**
   * Connects the master output (after the limiter) to a Web Audio node as well — for meters, analysers
   * or an AudioWorklet tap.
   */
  connectTap(node: AudioNode): void {
    if (!this.muted) throw new PlayerError('output', 'the tone output is not started')
    this.muted.connect(node)
  }

  /**
   * Silences at once: mutes the master, and replaces every instrument with a fresh one so notes already
   * scheduled on the old ones can never sound (not even after a restart). The next `play` unmutes.
   */
  silence(): void {
    if (!this.master) return
    this.setMute(true)
    this.disposeVoices()
    this.buildVoices()
  }

  /** Disposes every node. */
  dispose(): void {
    this.disposeVoices()
    this.reverb?.dispose()
    this.master?.dispose()
    this.limiter?.dispose()
    this.muted?.dispose()
    this.master = this.limiter = this.reverb = this.muted = undefined
  }
}

/** Creates the Tone.js output. */
export function createToneOutput(options: ToneOutputOptions = {}): ToneOutput {
  return new ToneOutput(options)
}
