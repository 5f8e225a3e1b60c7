/**
 * Host-side planning of a batch (pure, no GPU): time is cut into rounds of `block` frames shared by all streams;
 * a round's jobs are the voices that sound in it (ordered by stream, then by the voices' order), each job one
 * row of the scratch signals. Rounds are gathered into output groups whose buses fit one output buffer; each
 * group is one queue submission (a batch whose buses fit the output limit is one submission).
 */
import { VOICE_FLAG, packVoices, type VoiceDescriptor } from '../voice/descriptor.js'
import { JOB_WORDS, ROUND_STREAM_WORDS, STATE_WORDS } from './wgsl/layout.js'

/** The four buses a stream's voices are mixed into. */
export const BUS_COUNT = 4

/** One output group: consecutive rounds rendered by one submission. */
export interface PlanGroup {
  /** First round (inclusive). */
  readonly roundStart: number
  /** Last round (exclusive). */
  readonly roundEnd: number
  /** First stream frame covered (roundStart · block). */
  readonly frameStart: number
  /** f32 words of the group's output buffer. */
  readonly outWords: number
  /** Per stream: word offset of its four buses in the output buffer. */
  readonly outBase: readonly number[]
  /** Per stream: frames of each bus in this group (0 once the stream has ended). */
  readonly outFrames: readonly number[]
}

/** A planned batch: everything the host uploads, and the dispatch schedule. */
export interface BatchPlan {
  /** Frames per round. */
  readonly block: number
  readonly streamCount: number
  /** Per stream: frames of bus output (the end of its last voice). */
  readonly streamFrames: readonly number[]
  readonly voiceCount: number
  /** Voices of all streams, packed ({@link packVoices}); starts are stream-relative. */
  readonly voices: ArrayBuffer
  /** {@link JOB_WORDS} u32 per job: voice, stream, state offset of its string's delay line, 0. */
  readonly jobs: Uint32Array
  /** f32 words of recursive state (per-voice filter/string state, then the strings' delay lines). */
  readonly stateWords: number
  /** Rounds (= ceil(max stream frames / block)). */
  readonly roundCount: number
  /** Per round: index of its first job. */
  readonly roundJobStart: Uint32Array
  /** Per round: number of jobs. */
  readonly roundJobCount: Uint32Array
  /** Per round: whether any of its voices has a filter or a string (else the recursive kernel is skipped). */
  readonly roundRecursive: Uint8Array
  /** {@link ROUND_STREAM_WORDS} u32 per (round, stream): first job (relative to the round), count, out base, out frames. */
  readonly roundStreams: Uint32Array
  /** Most jobs in one round (rows of scratch). */
  readonly maxJobs: number
  readonly groups: readonly PlanGroup[]
}

/** Limits for {@link planBatch}. */
export interface PlanLimits {
  /** Preferred frames per round (a power of two); halved until the scratch fits. Default 4096. */
  readonly block?: number
  /** Smallest block tried. Default 256. */
  readonly minBlock?: number
  /** Largest scratch signal (one of three), in f32 words. */
  readonly maxScratchWords: number
  /** Largest output buffer, in f32 words. */
  readonly maxOutputWords: number
}

/** Thrown when a batch cannot be fitted into the device's buffer limits. */
export class BatchTooLargeError extends RangeError {
  override readonly name = 'BatchTooLargeError'
}

function streamEnd(voices: readonly VoiceDescriptor[]): number {
  let end = 0
  for (const v of voices) end = Math.max(end, v.start + v.length)
  return end
}

function maxJobsFor(streams: readonly (readonly VoiceDescriptor[])[], block: number, rounds: number): number {
  const diff = new Int32Array(rounds + 1)
  for (const voices of streams) {
    for (const v of voices) {
      diff[Math.floor(v.start / block)]++
      diff[Math.floor((v.start + v.length - 1) / block) + 1]--
    }
  }
  let run = 0
  let max = 0
  for (let r = 0; r < rounds; r++) {
    run += diff[r]
    if (run > max) max = run
  }
  return max
}

function planGroups(streamFrames: readonly number[], block: number, rounds: number, maxOutputWords: number): PlanGroup[] {
  const groups: PlanGroup[] = []
  let r0 = 0
  while (r0 < rounds) {
    let r1 = r0
    let words = 0
    while (r1 < rounds) {
      let add = 0
      for (const frames of streamFrames) add += BUS_COUNT * Math.max(0, Math.min(block, frames - r1 * block))
      if (words + add > maxOutputWords) break
      words += add
      r1++
    }
    if (r1 === r0) throw new BatchTooLargeError(`one round of ${block} frames needs more than ${maxOutputWords} output words`)
    const frameStart = r0 * block
    const outFrames = streamFrames.map((f) => Math.max(0, Math.min((r1 - r0) * block, f - frameStart)))
    const outBase: number[] = []
    let base = 0
    for (const f of outFrames) {
      outBase.push(base)
      base += BUS_COUNT * f
    }
    groups.push({ roundStart: r0, roundEnd: r1, frameStart, outWords: base, outBase, outFrames })
    r0 = r1
  }
  return groups
}

/** Plans a batch: chooses the block, lists each round's jobs and groups the rounds for output. */
export function planBatch(streams: readonly (readonly VoiceDescriptor[])[], limits: PlanLimits): BatchPlan {
  for (const [s, voices] of streams.entries()) {
    for (const v of voices) {
      if (!Number.isInteger(v.start) || v.start < 0 || !Number.isInteger(v.length) || v.length < 1) {
        throw new RangeError(`stream ${s}: a voice has start ${v.start} and length ${v.length} (need integers ≥ 0 and ≥ 1)`)
      }
    }
  }
  const streamFrames = streams.map(streamEnd)
  const total = Math.max(0, ...streamFrames)
  const minBlock = limits.minBlock ?? 256
  let block = limits.block ?? 4096
  let rounds = Math.ceil(total / block)
  let maxJobs = maxJobsFor(streams, block, rounds)
  let groups: PlanGroup[] | null = null
  for (;;) {
    const fits = maxJobs * block <= limits.maxScratchWords && streams.length * BUS_COUNT * block <= limits.maxOutputWords
    if (fits || block <= minBlock) {
      if (!fits) {
        throw new BatchTooLargeError(
          `batch too large for the device: ${maxJobs} voices sound at once in ${streams.length} streams ` +
          `(scratch ${maxJobs * block} > ${limits.maxScratchWords} words at ${block} frames per round)`,
        )
      }
      groups = planGroups(streamFrames, block, rounds, limits.maxOutputWords)
      break
    }
    block >>= 1
    rounds = Math.ceil(total / block)
    maxJobs = maxJobsFor(streams, block, rounds)
  }

  // Flatten voices; string delay lines follow the per-voice state.
  const all: VoiceDescriptor[] = []
  const voiceStream: number[] = []
  streams.forEach((voices, s) => voices.forEach((v) => { all.push(v); voiceStream.push(s) }))
  const stateOffset = new Uint32Array(all.length)
  let stateWords = all.length * STATE_WORDS
  all.forEach((v, i) => {
    if (v.flags & VOICE_FLAG.ks) {
      stateOffset[i] = stateWords
      stateWords += v.ksDelay + 1
    }
  })

  // Counting sort of (round, stream, voice) entries by round; iteration order keeps stream then voice order.
  const S = streams.length
  const perRoundStream = new Uint32Array(rounds * S)
  const span = (v: VoiceDescriptor): [number, number] => [Math.floor(v.start / block), Math.floor((v.start + v.length - 1) / block)]
  all.forEach((v, i) => {
    const [r0, r1] = span(v)
    for (let r = r0; r <= r1; r++) perRoundStream[r * S + voiceStream[i]]++
  })
  const roundJobStart = new Uint32Array(rounds)
  const roundJobCount = new Uint32Array(rounds)
  const roundStreams = new Uint32Array(rounds * S * ROUND_STREAM_WORDS)
  let jobsTotal = 0
  for (let r = 0; r < rounds; r++) {
    roundJobStart[r] = jobsTotal
    let rel = 0
    for (let s = 0; s < S; s++) {
      const n = perRoundStream[r * S + s]
      roundStreams[(r * S + s) * ROUND_STREAM_WORDS] = rel
      roundStreams[(r * S + s) * ROUND_STREAM_WORDS + 1] = n
      rel += n
    }
    roundJobCount[r] = rel
    jobsTotal += rel
  }
  const jobs = new Uint32Array(jobsTotal * JOB_WORDS)
  const fill = new Uint32Array(rounds * S) // next free slot per (round, stream), relative to the round
  const roundRecursive = new Uint8Array(rounds)
  all.forEach((v, i) => {
    const s = voiceStream[i]
    const recursive = v.filterMode !== 0 || (v.flags & VOICE_FLAG.ks) !== 0
    const [r0, r1] = span(v)
    for (let r = r0; r <= r1; r++) {
      const slot = roundJobStart[r] + roundStreams[(r * S + s) * ROUND_STREAM_WORDS] + fill[r * S + s]++
      jobs[slot * JOB_WORDS] = i
      jobs[slot * JOB_WORDS + 1] = s
      jobs[slot * JOB_WORDS + 2] = stateOffset[i]
      if (recursive) roundRecursive[r] = 1
    }
  })
  for (const g of groups) {
    for (let r = g.roundStart; r < g.roundEnd; r++) {
      for (let s = 0; s < S; s++) {
        roundStreams[(r * S + s) * ROUND_STREAM_WORDS + 2] = g.outBase[s]
        roundStreams[(r * S + s) * ROUND_STREAM_WORDS + 3] = g.outFrames[s]
      }
    }
  }

  return {
    block, streamCount: S, streamFrames, voiceCount: all.length, voices: packVoices(all, 0), jobs, stateWords,
    roundCount: rounds, roundJobStart, roundJobCount, roundRecursive, roundStreams, maxJobs, groups,
  }
}
