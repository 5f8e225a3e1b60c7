/**
 * Kernel 1 — the parallel part: one invocation per voice and group of frames of a round
 * ({@link FRAMES_PER_INVOCATION}). Everything here is closed form in
 * the voice-local frame k (u32 phase accumulators `phase + inc·k`, exponential decays, the ADSR, the hash
 * noise), as the CPU kernel's module comment describes, so frames are independent. It writes the filter input
 * (`sig0`), the filter bypass (`sig1`) and the amplitude envelope times gain (`sig2`); for a voice without a
 * filter or a Karplus–Strong string it writes the finished sample into `sig0` directly.
 */
import { COMMON_WGSL } from './common.js'
import { LAYOUT_WGSL, MAX_GROUPS_PER_DIM, WORKGROUP } from './layout.js'

/**
 * Frames each invocation of the sources kernel renders (strided by the dispatch width, so that neighbouring
 * invocations still write neighbouring frames); the voice's parameters are loaded once for all of them.
 */
export const FRAMES_PER_INVOCATION = 8

/** WGSL source of the sources kernel (entry point `sources`). */
export const SOURCES_WGSL: string = /* wgsl */ `
${COMMON_WGSL}
${LAYOUT_WGSL}

@group(0) @binding(0) var<uniform> rp: Round;
@group(0) @binding(1) var<storage, read> voices: array<Voice>;
@group(0) @binding(2) var<storage, read> jobs: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> sig0: array<f32>;
@group(0) @binding(4) var<storage, read_write> sig1: array<f32>;
@group(0) @binding(5) var<storage, read_write> sig2: array<f32>;

// One oscillator of waveform 'wave' (1 sine, 2 triangle, 3 PolyBLEP saw, 4 PolyBLEP square) at u32 phase p,
// moved by w frames of time warp and with its rate scaled by 'rate' when 'warp' is set.
fn osc_wave(wave: u32, p: u32, inc: u32, pw: f32, warp: bool, w: f32, rate: f32) -> f32 {
  let incf = f32(inc) * U32F;
  var t = unit_phase(p);
  var dt = incf;
  if (warp) {
    t = t + incf * w;
    t = t - floor(t);
    dt = incf * rate;
  }
  if (wave == 1u) {
    return sin_cycles(t);
  }
  if (wave == 2u) {
    return select(3.0 - 4.0 * t, 4.0 * t - 1.0, t < 0.5);
  }
  if (wave == 3u) {
    return 2.0 * t - 1.0 - poly_blep(t, dt);
  }
  var t2 = t - pw;
  if (t2 < 0.0) { t2 = t2 + 1.0; }
  return select(-1.0, 1.0, t < pw) + poly_blep(t, dt) - poly_blep(t2, dt);
}

@compute @workgroup_size(${WORKGROUP})
fn sources(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = wid.y + wid.z * ${MAX_GROUPS_PER_DIM}u;
  if (i >= rp.job_count) { return; }
  let job = jobs[rp.job_start + i];
  // The voice is read once into function memory and serves all the frames of this invocation.
  var voice = voices[job.x];
  let v = &voice;
  let start = (*v).start;
  let stride = nwg.x * ${WORKGROUP}u;
  let noise_key = pcg((*v).seed);
  for (var q = 0u; q < ${FRAMES_PER_INVOCATION}u; q = q + 1u) {
    let j = gid.x + q * stride;
    if (j >= rp.block) { break; }
    let row = i * rp.block + j;
    let f = rp.frame0 + j;
    if (f < start || f - start >= (*v).length) {
      sig0[row] = 0.0;
      sig1[row] = 0.0;
      sig2[row] = 0.0;
      continue;
    }
    let k = f - start;
    let kf = f32(k);
    let flags = (*v).flags;

    // Time warp W(k) and rate R(k): pitch envelope and vibrato.
    let warp = (flags & 32u) != 0u;
    var w = 0.0;
    var rate = 1.0;
    if (warp) {
      let pa = (*v).pitchAmount;
      let pt = (*v).pitchTau;
      if (pa != 0.0 && pt > 0.0) {
        let u = exp(-kf / pt);
        w = pa * pt * (1.0 - u);
        rate = rate + pa * u;
      }
      if ((*v).vibDepth != 0.0) {
        var fade: f32;
        if ((*v).vibRise > 0.0) {
          fade = clamp((kf - (*v).vibDelay) / (*v).vibRise, 0.0, 1.0);
        } else {
          fade = select(0.0, 1.0, kf >= (*v).vibDelay);
        }
        if (fade > 0.0) {
          let lfo = (*v).phase[7] + (*v).inc[7] * k;
          w = w + (*v).vibFrames * sin_u32(lfo) * fade;
          rate = rate + (*v).vibDepth * sin_u32(lfo + 0x40000000u) * fade;
        }
      }
    }

    // Oscillator bank: A (unison), B, the FM pair, the metallic squares.
    var osc = 0.0;
    let wave_a = (*v).waveA;
    if (wave_a != 0u) {
      for (var s = 0u; s < (*v).unison; s = s + 1u) {
        let inc = (*v).inc[s];
        osc = osc + (*v).levelA * osc_wave(wave_a, (*v).phase[s] + inc * k, inc, (*v).pwA, warp, w, rate);
      }
    }
    let wave_b = (*v).waveB;
    if (wave_b != 0u) {
      let inc = (*v).inc[4];
      osc = osc + (*v).levelB * osc_wave(wave_b, (*v).phase[4] + inc * k, inc, (*v).pwB, warp, w, rate);
    }
    if ((flags & 1u) != 0u) {
      let i0 = (*v).fmIndex / TAU;
      var index = i0;
      if ((*v).fmIndexTau > 0.0) {
        let sus = (*v).fmIndexSustain;
        index = i0 * sus + i0 * (1.0 - sus) * exp(-kf / (*v).fmIndexTau);
      }
      let inc_m = (*v).inc[5];
      let inc_c = (*v).inc[6];
      let pm = (*v).phase[5] + inc_m * k;
      let pc = (*v).phase[6] + inc_c * k;
      var c: f32;
      if (warp) {
        c = sin_cycles(unit_phase(pc) + f32(inc_c) * U32F * w
          + index * sin_cycles(unit_phase(pm) + f32(inc_m) * U32F * w));
      } else {
        c = sin_cycles(unit_phase(pc) + index * sin_u32(pm));
      }
      osc = osc + (*v).levelFm * c;
    }
    if ((flags & 4u) != 0u) {
      let lm = (*v).levelMetal;
      for (var s = 8u; s < 14u; s = s + 1u) {
        let p = (*v).phase[s] + (*v).inc[s] * k;
        osc = osc + select(-lm, lm, (p & 0x80000000u) == 0u);
      }
    }
    if ((*v).oscTau > 0.0) {
      osc = osc * exp(-kf / (*v).oscTau);
    }

    // Routing into the filter input (pre) or around the filter (post).
    let has_filter = (*v).filterMode != 0u;
    let osc_to_f = has_filter && (flags & 8u) != 0u;
    let noise_to_f = has_filter && (flags & 16u) != 0u;
    var pre = select(0.0, osc, osc_to_f);
    var post = select(osc, 0.0, osc_to_f);

    // Noise with its bursts and decay.
    if ((*v).levelNoise != 0.0) {
      let bl = (*v).burstLength;
      let span = (*v).burstCount * bl;
      var e = 1.0;
      if (k < span) {
        if ((*v).burstTau > 0.0) { e = exp(-f32(k % bl) / (*v).burstTau); }
      } else if ((*v).noiseTau > 0.0) {
        let sus = (*v).noiseSustain;
        e = sus + (1.0 - sus) * exp(-f32(k - span) / (*v).noiseTau);
      }
      let n = (*v).levelNoise * e * noise_at(noise_key, k);
      if (noise_to_f) { pre = pre + n; } else { post = post + n; }
    }

    let amp = env_at(kf, f32((*v).gate), f32((*v).ampAttack), f32((*v).ampDecay), (*v).ampSustain,
      f32((*v).ampRelease), (*v).ampReleaseLevel) * (*v).gain;
    if (has_filter || (flags & 2u) != 0u) {
      sig0[row] = pre;
      sig1[row] = post;
      sig2[row] = amp;
    } else {
      sig0[row] = (pre + post) * amp;
    }
  }
}
`
