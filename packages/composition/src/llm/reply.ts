/**
 * Reading a model's reply: the message content → tracker text → validated quartet events.
 */
import type { NoteEvent } from '@auralis/protocol'
import type { LlmSectionRequest } from '../llm-types.js'
import { parseTracker } from '../tracker/parse.js'
import { toTracker } from '../tracker/render.js'
import { TrackerError } from '../tracker/errors.js'
import { QUARTET_HEADERS, headerForInstrument } from '../tracker/instruments.js'

/** A reply that could not be used, and why (in words, without the reply itself). */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReplyError'
  }
}

/**
 * The text of the first choice of a chat-completions reply body (already JSON-parsed). Content given as an
 * array of parts is joined.
 */
export function replyContent(body: unknown): string {
  const choice = (body as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]
  const content = choice?.message?.content
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : '')).join('')
  }
  throw new ReplyError('the reply has no choices[0].message.content')
}

/**
 * The tracker text inside a reply's content: reasoning (`<think>…</think>`) removed, and the insides of
 * Markdown code fences when there are fences holding instrument headers.
 */
export function extractTracker(content: string): string {
  const text = content.replace(/<think>[\s\S]*?(?:<\/think>|$)/gi, '')
  const fenced = [...text.matchAll(/```[^\n]*\n([\s\S]*?)(?:```|$)/g)].map((m) => m[1])
  const withHeaders = fenced.filter((f) => /^\s*[#*]*\s*(BASS|DRUMS|PIANO|SAX)\b/im.test(f))
  return withHeaders.length > 0 ? withHeaders.join('\n') : text
}

/** Options of {@link readReply}. */
export interface ReadReplyOptions {
  /** Keep a reply whose notes fall outside an instrument's range (or the drum map), dropping those notes. */
  allowOutOfRange?: boolean
}

/**
 * Turns a reply's content into the section's events and canonical tracker text, or throws {@link ReplyError}:
 * the text must parse, have all four quartet instruments with exactly `bars × beatsPerBar × 4` steps, and
 * (unless `allowOutOfRange`) every note inside its instrument's range.
 */
export function readReply(content: string, req: LlmSectionRequest, options: ReadReplyOptions = {}): { events: NoteEvent[]; tracker: string } {
  const text = extractTracker(content)
  let parsed
  try {
    parsed = parseTracker(text, { bpm: req.bpm, swing: req.swing, bars: req.bars, beatsPerBar: req.beatsPerBar })
  } catch (e) {
    if (e instanceof TrackerError) throw new ReplyError(`the reply is not a usable section: ${e.message}`)
    throw e
  }
  const missing = QUARTET_HEADERS.filter((h) => !parsed.instruments.includes(h))
  if (missing.length > 0) throw new ReplyError(`the reply lacks ${missing.join(', ')}`)
  if (!options.allowOutOfRange) {
    const bad = parsed.warnings.filter((w) => w.code === 'range' || w.code === 'drum')
    if (bad.length > 0) {
      throw new ReplyError(`the reply has ${bad.length} note(s) outside their instrument's range (first on line ${bad[0].line}: ${bad[0].message})`)
    }
  }
  const events = parsed.events.filter((e) => QUARTET_HEADERS.includes(headerForInstrument(e.inst)))
  const tracker = toTracker({ bpm: req.bpm, swing: req.swing, bars: req.bars, beatsPerBar: req.beatsPerBar, key: req.key, mode: req.mode, events })
  return { events, tracker }
}
