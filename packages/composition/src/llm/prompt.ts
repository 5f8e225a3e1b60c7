/**
 * The chat messages that ask a model for one jazz section in tracker text.
 */
import type { Chord } from '@auralis/protocol'
import type { LlmSectionRequest } from '../llm-types.js'

/** One chat message of the OpenAI-compatible protocol. */
export interface ChatMessage {
  /** Who speaks. */
  readonly role: 'system' | 'user' | 'assistant'
  /** What is said. */
  readonly content: string
}

/** Steps per instrument a request asks for. */
export function requestSteps(req: Pick<LlmSectionRequest, 'bars' | 'beatsPerBar' | 'stepsPerBeat'>): number {
  return req.bars * req.beatsPerBar * req.stepsPerBeat
}

/**
 * The chord chart in words, one line per bar with the step each chord starts on, e.g.
 * `bar 1 (steps 1–16): Dm7 from step 1, G7 from step 9`, plus a one-line `| Dm7 G7 | Cmaj7 |` summary.
 */
export function describeChart(chords: readonly Chord[], bars: number, beatsPerBar: number, stepsPerBeat: number): string {
  if (chords.length === 0) return 'No chord chart: improvise in the key.'
  const sorted = [...chords].sort((a, b) => a.bar - b.bar || a.beat - b.beat)
  const perBar = beatsPerBar * stepsPerBeat
  const lines: string[] = []
  const summary: string[] = []
  let sounding = ''
  for (let bar = 0; bar < bars; bar++) {
    const here = sorted.filter((c) => c.bar === bar)
    const first = bar * perBar + 1
    const parts = here.map((c) => `${c.symbol} from step ${first + Math.round(c.beat * stepsPerBeat)}`)
    if (here.length === 0 || here[0].beat > 0) {
      if (sounding) parts.unshift(`${sounding} (held) from step ${first}`)
    }
    if (here.length > 0) sounding = here[here.length - 1].symbol
    lines.push(`bar ${bar + 1} (steps ${first}–${first + perBar - 1}): ${parts.join(', ') || 'rest'}`)
    summary.push(here.length > 0 ? here.map((c) => c.symbol).join(' ') : '%')
  }
  return `| ${summary.join(' | ')} |\n${lines.join('\n')}`
}

const SYSTEM = (steps: number) =>
  [
    'You are a jazz quartet (bass, drums, piano, tenor sax) improvising together. You write music as tracker text.',
    '',
    'TRACKER FORMAT (follow it exactly):',
    '- Four sections in this order, each starting with its header on a line of its own: BASS, DRUMS, PIANO, SAX.',
    `- Under each header exactly ${steps} numbered lines, one per 16th-note step, numbered from 1 to ${steps}.`,
    '- A line is: "N NOTE:VELOCITY" (e.g. "1 C2:80"), a chord "N NOTE:VEL,NOTE:VEL" (e.g. "1 C3:65,E3:60,Bb3:62"),',
    '  "N ." for a rest, or "N ^" to hold the previous step\'s notes one more step (a tie).',
    '- Note names carry an octave; C4 is middle C (MIDI 60). Use # for sharps and b for flats. Velocity is 1-127.',
    '- DRUMS play the drum map: C2 kick, D2 snare, F#2 closed hi-hat, Bb2 open hi-hat, Eb3 ride, Eb2 clap, C#3 crash.',
    '- Ranges: BASS E1-G2, PIANO C3-C5, SAX A3-F5 (one note at a time).',
    '- Write straight 16ths: swing is applied when the music is played.',
    '- Output only the tracker text: no explanations, no commentary.',
    '',
    'STYLE:',
    '- BASS walks in quarter notes: a chord tone on each downbeat, scale or chromatic approach notes into the next chord.',
    '- DRUMS: ride cymbal pattern, hi-hat on beats 2 and 4, sparse kick and snare comping.',
    '- PIANO: rootless voicings (3rd and 7th plus colour tones), syncopated comping, space between hits.',
    '- SAX: phrases built on the chord scales, with rests and motifs that develop; vary rhythm, do not repeat the previous section.',
  ].join('\n')

/** The system and user messages for a request. `direction` is optional extra guidance appended to the prompt. */
export function buildMessages(req: LlmSectionRequest, direction?: string): ChatMessage[] {
  const steps = requestSteps(req)
  const perBar = req.beatsPerBar * req.stepsPerBeat
  const user = [
    `Tempo: ${req.bpm} BPM, ${req.beatsPerBar}/4, swing ratio ${req.swing} on off-beat eighths.`,
    `Key: ${req.key} ${req.mode}.`,
    `Length: ${req.bars} bar${req.bars === 1 ? '' : 's'} = ${steps} steps per instrument (${perBar} steps per bar, ${req.stepsPerBeat} per beat; beats start on steps ${Array.from({ length: req.beatsPerBar }, (_, b) => b * req.stepsPerBeat + 1).join(', ')} of each bar).`,
    '',
    'Chord chart:',
    describeChart(req.chords, req.bars, req.beatsPerBar, req.stepsPerBeat),
  ]
  if (req.previousTracker) {
    user.push('', 'Previous section (continue from it; vary it, do not copy it):', req.previousTracker.trim())
  }
  if (direction) user.push('', 'Direction:', direction)
  user.push('', `Write the next ${req.bars} bar${req.bars === 1 ? '' : 's'} now: BASS, DRUMS, PIANO and SAX, ${steps} numbered lines each.`)
  return [
    { role: 'system', content: SYSTEM(steps) },
    { role: 'user', content: user.join('\n') },
  ]
}
