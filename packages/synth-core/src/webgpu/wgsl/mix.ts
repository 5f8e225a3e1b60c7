/**
 * Kernel 3 — mixing: one invocation per (stream, frame) of a round sums that stream's voices (in job order) into
 * its four buses — dry left and right (equal-power pan), the reverb send and the delay send — as the CPU
 * backend does. Many streams are mixed by one dispatch.
 */
import { LAYOUT_WGSL, MAX_GROUPS_PER_DIM, WORKGROUP } from './layout.js'

/** WGSL source of the mixing kernel (entry point `mix`). */
export const MIX_WGSL: string = /* wgsl */ `
${LAYOUT_WGSL}

@group(0) @binding(0) var<uniform> rp: Round;
@group(0) @binding(1) var<storage, read> voices: array<Voice>;
@group(0) @binding(2) var<storage, read> jobs: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> sig0: array<f32>;
@group(0) @binding(4) var<storage, read> round_streams: array<vec4<u32>>;
@group(0) @binding(5) var<storage, read_write> buses: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn mix(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let j = gid.x;
  let s = wid.y + wid.z * ${MAX_GROUPS_PER_DIM}u;
  if (j >= rp.block || s >= rp.stream_count) { return; }
  let rs = round_streams[rp.rs_base + s];
  let fo = rp.frame0 + j - rp.group_start;
  if (fo >= rs.w) { return; }
  var l = 0.0;
  var r = 0.0;
  var rv = 0.0;
  var dl = 0.0;
  for (var q = 0u; q < rs.y; q = q + 1u) {
    let i = rs.x + q;
    let v = &voices[jobs[rp.job_start + i].x];
    let x = sig0[i * rp.block + j];
    l = l + x * (*v).panL;
    r = r + x * (*v).panR;
    rv = rv + x * (*v).sendReverb;
    dl = dl + x * (*v).sendDelay;
  }
  buses[rs.z + fo] = l;
  buses[rs.z + rs.w + fo] = r;
  buses[rs.z + 2u * rs.w + fo] = rv;
  buses[rs.z + 3u * rs.w + fo] = dl;
}
`
