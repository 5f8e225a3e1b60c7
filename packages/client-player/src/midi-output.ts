/**
 * Web MIDI output: each instrument on its channel with its General MIDI program, drums on channel 10,
 * notes sent with timestamps on the performance clock so the browser's MIDI stack plays them on time.
 */
import { INSTRUMENTS } from '@auralis/protocol'
import { PlayerError } from './errors.js'
import { allNotesOff, noteMessages, programChanges } from './midi-messages.js'
import type { Output, ScheduledNote } from './output.js'

/** The part of a `MIDIOutput` the player uses (inject a fake one in tests). */
export interface MidiOutputLike {
  /** Sends bytes, at `timestamp` (`performance.now()` ms) or at once when omitted. */
  send(data: number[], timestamp?: number): void
  /** Cancels messages queued with future timestamps (Chromium implements it). */
  clear?(): void
  /** Port name. */
  readonly name?: string | null
}

/** The part of `MIDIAccess` the player uses. */
export interface MidiAccessLike {
  /** Output ports by id. */
  readonly outputs: { values(): IterableIterator<MidiOutputLike> }
}

/** Options of {@link createMidiOutput}. */
export interface MidiOutputOptions {
  /** Use this port instead of asking the browser (tests, or a port the page already opened). */
  readonly port?: MidiOutputLike
  /** Pick the first output whose name contains this text (case-insensitive); default: the first output. */
  readonly portName?: string
  /** How to get MIDI access; default `navigator.requestMIDIAccess`. */
  readonly requestAccess?: () => Promise<MidiAccessLike>
  /** Performance clock, for the program changes sent at start; default `performance.now()`. */
  readonly now?: () => number
}

/** Resolves a MIDI output port, with a clear {@link PlayerError} (`midi-unavailable`) when there is none. */
export async function openMidiPort(options: MidiOutputOptions = {}): Promise<MidiOutputLike> {
  if (options.port) return options.port
  let request = options.requestAccess
  if (!request) {
    const nav = (globalThis as { navigator?: { requestMIDIAccess?: (o?: { sysex?: boolean }) => Promise<MidiAccessLike> } }).navigator
    if (typeof nav?.requestMIDIAccess !== 'function') {
      throw new PlayerError('midi-unavailable',
        'Web MIDI is not available in this browser (navigator.requestMIDIAccess is missing; it needs a secure context and a browser with Web MIDI). Use the "tone" output instead.')
    }
    request = () => nav.requestMIDIAccess!({ sysex: false })
  }
  let access: MidiAccessLike
  try {
    access = await request()
  } catch (err) {
    throw new PlayerError('midi-unavailable', `Web MIDI access was denied or failed: ${(err as Error)?.message ?? String(err)}`, { cause: err })
  }
  const ports = [...access.outputs.values()]
  const wanted = options.portName?.toLowerCase()
  const port = wanted ? ports.find((p) => (p.name ?? '').toLowerCase().includes(wanted)) : ports[0]
  if (!port) {
    throw new PlayerError('midi-unavailable', wanted
      ? `no MIDI output named like "${options.portName}" (found: ${ports.map((p) => p.name).join(', ') || 'none'})`
      : 'Web MIDI is available but no MIDI output port is connected')
  }
  return port
}

/** The Web MIDI output (see {@link Output}). */
export class MidiOutput implements Output {
  /** Output name. */
  readonly name = 'midi'
  private port: MidiOutputLike | undefined
  private readonly options: MidiOutputOptions
  private readonly usedChannels = new Set<number>()

  constructor(options: MidiOutputOptions = {}) {
    this.options = options
  }

  /** Opens the port and sends a program change on every melodic channel. */
  async start(): Promise<void> {
    this.port = await openMidiPort(this.options)
    const now = this.options.now?.() ?? performance.now()
    for (const m of programChanges(now)) this.port.send([...m.data], m.timestamp)
  }

  /** Sends the note's note-on and note-off with their timestamps. */
  play(note: ScheduledNote): void {
    if (!this.port) return
    const [on, off] = noteMessages(note)
    this.usedChannels.add(INSTRUMENTS[note.inst].channel)
    this.port.send([...on.data], on.timestamp)
    this.port.send([...off.data], off.timestamp)
  }

  /** Cancels queued messages (where the port can) and sends All Notes Off on every channel used. */
  silence(): void {
    if (!this.port) return
    this.port.clear?.()
    for (const ch of this.usedChannels) this.port.send(allNotesOff(ch))
  }

  /** Silences and lets go of the port. */
  dispose(): void {
    this.silence()
    this.port = undefined
  }
}

/** Creates a Web MIDI output. */
export function createMidiOutput(options: MidiOutputOptions = {}): MidiOutput {
  return new MidiOutput(options)
}
