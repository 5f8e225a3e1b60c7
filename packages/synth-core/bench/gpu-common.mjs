// Shared by gpu-batch.mjs and gpu-large.mjs: the bench streams (excerpts of the ambient and jazz bench scores,
// one seed per stream) and timing helpers.
import { loadScores } from './scores.mjs'

/** The first `seconds` of both bench scores: notes starting later are dropped, held notes cut at `seconds`. */
export async function excerpts(seconds) {
  const scores = await loadScores(seconds)
  const cut = (sections) => {
    const t0 = sections[0].startTime
    return sections.filter((s) => s.startTime - t0 < seconds).map((s) => {
      const left = seconds - (s.startTime - t0)
      const bars = Math.min(s.bars, (left * s.bpm) / (60 * s.beatsPerBar)) // the section ends with the excerpt
      return { ...s, bars, events: s.events.filter((e) => e.t < left).map((e) => ({ ...e, d: Math.min(e.d, left - e.t) })) }
    })
  }
  return { source: scores.source, ambient: cut(scores.ambient), jazz: cut(scores.jazz) }
}

/** n independent streams: ambient and jazz alternately, each with its own seed. */
export function makeStreams(ex, n, tail = 0.5) {
  return Array.from({ length: n }, (_, i) => ({ input: i % 2 ? ex.jazz : ex.ambient, options: { tail, seed: i + 1 } }))
}

/** Voices per stream, as the GPU renderer builds them (for timing the GPU stage alone). */
export function streamVoices(lib, streams, sampleRate = 48000) {
  return streams.map((s) => {
    const tl = lib.toTimeline(s.input, sampleRate)
    const seed = (s.options?.seed ?? 0) >>> 0
    return tl.notes.map((n) => lib.buildVoice(lib.PRESETS[n.inst], n, { sampleRate, seed, instrument: n.inst }))
  })
}

/** Wall-clock milliseconds of an async function, with its result. */
export async function timed(fn) {
  const t0 = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - t0 }
}

/** Audio seconds of rendered streams. */
export function audioSeconds(rendered) {
  return rendered.reduce((s, r) => s + r.channels[0].length / r.sampleRate, 0)
}

export const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—')
