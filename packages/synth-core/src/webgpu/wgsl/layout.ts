/**
 * The WGSL declarations the three kernels share: the packed voice struct (from the descriptor module, so the
 * layout has one source), the per-round uniform and the job record.
 */
import { VOICE_STRUCT_WGSL } from '../../voice/descriptor.js'

/** Bytes between consecutive {@link ROUND_WGSL} records in the uniform buffer (dynamic-offset alignment). */
export const ROUND_STRIDE = 256
/** 32-bit words a round record uses. */
export const ROUND_WORDS = 8
/** u32 words per job record: voice index, stream index, offset of its Karplus–Strong line in the state buffer, spare. */
export const JOB_WORDS = 4
/** u32 words per (round, stream) record: first job (relative to the round), job count, output base, output frames. */
export const ROUND_STREAM_WORDS = 4
/** f32 words of recursive state per voice: filter ic1, ic2, a1, a2, a3; string s1, v1, excitation. */
export const STATE_WORDS = 8
/** Invocations per workgroup in every kernel. */
export const WORKGROUP = 64
/** Workgroups per dispatch dimension used before spilling into the next dimension. */
export const MAX_GROUPS_PER_DIM = 65535

/** The per-round uniform, the job record and the voice struct. */
export const LAYOUT_WGSL: string = /* wgsl */ `
${VOICE_STRUCT_WGSL}

struct Round {
  frame0: u32,
  job_start: u32,
  job_count: u32,
  block: u32,
  stream_count: u32,
  group_start: u32,
  rs_base: u32,
  sample_rate: f32,
}
`
