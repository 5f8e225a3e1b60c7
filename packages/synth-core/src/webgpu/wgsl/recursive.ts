/**
 * Kernel 2 — the recursive part: one invocation per voice, running along the round's frames in order. It adds
 * the Karplus–Strong string (excitation low-pass, two-tap average, tuning all-pass, loop gain; its delay line
 * lives in the state buffer) to the filter input, runs the TPT state-variable filter (coefficients recomputed at
 * every 16th voice-local frame from the closed-form filter envelope), adds the bypass and applies the amplitude
 * envelope — the CPU kernel's `renderKs` and `renderFilter`. State persists across rounds in `state`.
 */
import { KS_NOISE_SALT } from '../../voice/kernel.js'
import { CONTROL_INTERVAL } from '../../dsp/math.js'
import { COMMON_WGSL } from './common.js'
import { LAYOUT_WGSL, STATE_WORDS, WORKGROUP } from './layout.js'

/** WGSL source of the recursive kernel (entry point `recursive`). */
export const RECURSIVE_WGSL: string = /* wgsl */ `
${COMMON_WGSL}
${LAYOUT_WGSL}

@group(0) @binding(0) var<uniform> rp: Round;
@group(0) @binding(1) var<storage, read> voices: array<Voice>;
@group(0) @binding(2) var<storage, read> jobs: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> sig0: array<f32>;
@group(0) @binding(4) var<storage, read_write> sig1: array<f32>;
@group(0) @binding(5) var<storage, read_write> sig2: array<f32>;
@group(0) @binding(6) var<storage, read_write> state: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn recursive(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= rp.job_count) { return; }
  let job = jobs[rp.job_start + i];
  let v = &voices[job.x];
  let mode = (*v).filterMode;
  let has_ks = ((*v).flags & 2u) != 0u;
  if (mode == 0u && !has_ks) { return; }
  let start = (*v).start;
  let end = start + (*v).length;
  let f0 = rp.frame0;
  let ja = select(0u, start - f0, start > f0);
  let jb = min(rp.block, end - f0);
  let sb = job.x * ${STATE_WORDS}u;
  var ic1 = state[sb];
  var ic2 = state[sb + 1u];
  var a1 = state[sb + 2u];
  var a2 = state[sb + 3u];
  var a3 = state[sb + 4u];
  var s1 = state[sb + 5u];
  var v1 = state[sb + 6u];
  var ex = state[sb + 7u];
  let damp = (*v).damping;
  let cutoff = (*v).cutoff;
  let env_oct = (*v).envOctaves;
  let max_cutoff = 0.45 * rp.sample_rate;
  let gate = f32((*v).gate);
  let size = (*v).ksDelay + 1u;
  let ks_base = job.z;
  let ks_key = pcg((*v).seed ^ ${KS_NOISE_SALT >>> 0}u);
  let exc_len = (*v).ksExcLength;
  let pole = (*v).ksExcPole;
  let ks_level = (*v).levelKs;
  let rho = (*v).ksRho;
  let ap = (*v).ksAllpass;
  let row = i * rp.block;
  for (var j = ja; j < jb; j = j + 1u) {
    let k = f0 + j - start;
    var x = sig0[row + j];
    if (has_ks) {
      var e = 0.0;
      if (k < exc_len) {
        ex = (1.0 - pole) * noise_at(ks_key, k) + pole * ex;
        e = ks_level * ex;
      }
      let idx = k % size;
      let nxt = select(idx + 1u, 0u, idx + 1u == size);
      let s = 0.5 * (state[ks_base + nxt] + state[ks_base + idx]);
      let vv = ap * s + s1 - ap * v1;
      s1 = s;
      v1 = vv;
      var y = e + rho * vv;
      if (abs(y) < FLUSH) { y = 0.0; }
      state[ks_base + idx] = y;
      x = x + y;
    }
    if (mode != 0u) {
      if ((k & ${CONTROL_INTERVAL - 1}u) == 0u) {
        var fc = cutoff;
        if (env_oct != 0.0) {
          let env = env_at(f32(k), gate, f32((*v).filAttack), f32((*v).filDecay), (*v).filSustain,
            f32((*v).filRelease), (*v).filReleaseLevel);
          fc = cutoff * exp(env_oct * env * LN2);
        }
        if (fc > max_cutoff) { fc = max_cutoff; } else if (fc < 20.0) { fc = 20.0; }
        let g = tan_pi(fc / rp.sample_rate);
        a1 = 1.0 / (1.0 + g * (g + damp));
        a2 = g * a1;
        a3 = g * a2;
        if (abs(ic1) < FLUSH) { ic1 = 0.0; }
        if (abs(ic2) < FLUSH) { ic2 = 0.0; }
      }
      let v3 = x - ic2;
      let t1 = a1 * ic1 + a2 * v3;
      let t2 = ic2 + a2 * ic1 + a3 * v3;
      ic1 = 2.0 * t1 - ic1;
      ic2 = 2.0 * t2 - ic2;
      if (mode == 1u) {
        x = t2;
      } else if (mode == 2u) {
        x = damp * t1;
      } else {
        x = x - damp * t1 - t2;
      }
    }
    sig0[row + j] = (x + sig1[row + j]) * sig2[row + j];
  }
  state[sb] = ic1;
  state[sb + 1u] = ic2;
  state[sb + 2u] = a1;
  state[sb + 3u] = a2;
  state[sb + 4u] = a3;
  state[sb + 5u] = s1;
  state[sb + 6u] = v1;
  state[sb + 7u] = ex;
}
`
