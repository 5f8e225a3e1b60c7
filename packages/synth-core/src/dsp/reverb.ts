/**
 * Stereo reverb: input pre-delay and four series Schroeder all-passes (diffusion) into an 8-line feedback
 * delay network with a Hadamard mixing matrix and one-pole damping in every line (Jot / Stautner–Puckette).
 * Line gains are set from the wanted RT60; the left and right outputs take two orthogonal sign patterns of
 * the lines, so they are decorrelated. States below {@link FLUSH} are flushed to 0 (no denormals, and
 * silence in gives exactly silence out).
 */
import { FLUSH } from './math.js'

/** Reverb settings. */
export interface ReverbOptions {
  /** Time for the tail to fall 60 dB, seconds. Default 2.4. */
  decay?: number
  /** High-frequency damping in the loop, 0–0.95. Default 0.35. */
  damping?: number
  /** Pre-delay, seconds. Default 0.012. */
  predelay?: number
}

const LINES_48K = [1201, 1399, 1601, 1811, 2003, 2251, 2503, 2803]
const DIFFUSERS_48K = [211, 163, 401, 307]
const DIFFUSION = 0.6
const OUT_GAIN = 0.3
const NORM = 0.3535533905932738 // 1/√8

/**
 * The FDN reverb (mono in, stereo out). Output L takes the lines with signs (+ − + − + − + −), R with
 * (+ + − − + + − −): two rows of the Hadamard matrix. The 8 lines live in one buffer; the loop is unrolled.
 */
export class FdnReverb {
  private readonly buf: Float64Array
  /** Per line: start offset in `buf`, length, position; then the one-pole damping states. */
  private readonly off = new Int32Array(8)
  private readonly len = new Int32Array(8)
  private readonly pos = new Int32Array(8)
  private readonly lp = new Float64Array(8)
  private readonly gains = new Float64Array(8)
  private readonly damp: number
  private readonly dbuf: Float64Array
  private readonly doff = new Int32Array(4)
  private readonly dlen = new Int32Array(4)
  private readonly dpos = new Int32Array(4)
  private readonly pre: Float64Array
  private prePos = 0

  constructor(readonly sampleRate: number, options: ReverbOptions = {}) {
    const scale = sampleRate / 48000
    const decay = Math.max(0.05, options.decay ?? 2.4)
    this.damp = Math.min(0.95, Math.max(0, options.damping ?? 0.35))
    let total = 0
    for (let j = 0; j < 8; j++) {
      const n = Math.max(8, Math.round(LINES_48K[j] * scale))
      this.off[j] = total
      this.len[j] = n
      this.gains[j] = Math.pow(10, (-3 * n) / (decay * sampleRate))
      total += n
    }
    this.buf = new Float64Array(total)
    total = 0
    for (let d = 0; d < 4; d++) {
      const n = Math.max(2, Math.round(DIFFUSERS_48K[d] * scale))
      this.doff[d] = total
      this.dlen[d] = n
      total += n
    }
    this.dbuf = new Float64Array(total)
    this.pre = new Float64Array(Math.max(1, Math.round((options.predelay ?? 0.012) * sampleRate)))
  }

  /** Processes `n` frames: mono `input` → adds the wet stereo signal into `outL` / `outR`. */
  process(input: Float64Array, outL: Float64Array, outR: Float64Array, n: number): void {
    const buf = this.buf
    const dbuf = this.dbuf
    const pre = this.pre
    const preLen = pre.length
    let prePos = this.prePos
    const damp = this.damp
    const und = 1 - damp
    const o0 = this.off[0], n0 = this.len[0], g0 = this.gains[0]
    let p0 = this.pos[0], s0 = this.lp[0]
    const o1 = this.off[1], n1 = this.len[1], g1 = this.gains[1]
    let p1 = this.pos[1], s1 = this.lp[1]
    const o2 = this.off[2], n2 = this.len[2], g2 = this.gains[2]
    let p2 = this.pos[2], s2 = this.lp[2]
    const o3 = this.off[3], n3 = this.len[3], g3 = this.gains[3]
    let p3 = this.pos[3], s3 = this.lp[3]
    const o4 = this.off[4], n4 = this.len[4], g4 = this.gains[4]
    let p4 = this.pos[4], s4 = this.lp[4]
    const o5 = this.off[5], n5 = this.len[5], g5 = this.gains[5]
    let p5 = this.pos[5], s5 = this.lp[5]
    const o6 = this.off[6], n6 = this.len[6], g6 = this.gains[6]
    let p6 = this.pos[6], s6 = this.lp[6]
    const o7 = this.off[7], n7 = this.len[7], g7 = this.gains[7]
    let p7 = this.pos[7], s7 = this.lp[7]
    const do0 = this.doff[0], dn0 = this.dlen[0]
    let dp0 = this.dpos[0]
    const do1 = this.doff[1], dn1 = this.dlen[1]
    let dp1 = this.dpos[1]
    const do2 = this.doff[2], dn2 = this.dlen[2]
    let dp2 = this.dpos[2]
    const do3 = this.doff[3], dn3 = this.dlen[3]
    let dp3 = this.dpos[3]
    for (let i = 0; i < n; i++) {
      let x = pre[prePos]
      pre[prePos] = input[i]
      if (++prePos === preLen) prePos = 0
      // Diffusion all-passes: v = x + g·v[−M]; y = v[−M] − g·v.
      {
        const dl = dbuf[do0 + dp0]
        let v = x + DIFFUSION * dl
        if (v < FLUSH && v > -FLUSH) v = 0
        dbuf[do0 + dp0] = v
        x = dl - DIFFUSION * v
        if (++dp0 === dn0) dp0 = 0
      }
      {
        const dl = dbuf[do1 + dp1]
        let v = x + DIFFUSION * dl
        if (v < FLUSH && v > -FLUSH) v = 0
        dbuf[do1 + dp1] = v
        x = dl - DIFFUSION * v
        if (++dp1 === dn1) dp1 = 0
      }
      {
        const dl = dbuf[do2 + dp2]
        let v = x + DIFFUSION * dl
        if (v < FLUSH && v > -FLUSH) v = 0
        dbuf[do2 + dp2] = v
        x = dl - DIFFUSION * v
        if (++dp2 === dn2) dp2 = 0
      }
      {
        const dl = dbuf[do3 + dp3]
        let v = x + DIFFUSION * dl
        if (v < FLUSH && v > -FLUSH) v = 0
        dbuf[do3 + dp3] = v
        x = dl - DIFFUSION * v
        if (++dp3 === dn3) dp3 = 0
      }
      // Read and damp the lines.
      s0 = und * buf[o0 + p0] + damp * s0
      if (s0 < FLUSH && s0 > -FLUSH) s0 = 0
      s1 = und * buf[o1 + p1] + damp * s1
      if (s1 < FLUSH && s1 > -FLUSH) s1 = 0
      s2 = und * buf[o2 + p2] + damp * s2
      if (s2 < FLUSH && s2 > -FLUSH) s2 = 0
      s3 = und * buf[o3 + p3] + damp * s3
      if (s3 < FLUSH && s3 > -FLUSH) s3 = 0
      s4 = und * buf[o4 + p4] + damp * s4
      if (s4 < FLUSH && s4 > -FLUSH) s4 = 0
      s5 = und * buf[o5 + p5] + damp * s5
      if (s5 < FLUSH && s5 > -FLUSH) s5 = 0
      s6 = und * buf[o6 + p6] + damp * s6
      if (s6 < FLUSH && s6 > -FLUSH) s6 = 0
      s7 = und * buf[o7 + p7] + damp * s7
      if (s7 < FLUSH && s7 > -FLUSH) s7 = 0
      outL[i] += (s0 - s1 + s2 - s3 + s4 - s5 + s6 - s7) * OUT_GAIN
      outR[i] += (s0 + s1 - s2 - s3 + s4 + s5 - s6 - s7) * OUT_GAIN
      // Hadamard mix of the attenuated lines (fast Walsh–Hadamard transform).
      const a0 = s0 * g0, a1 = s1 * g1, a2 = s2 * g2, a3 = s3 * g3, a4 = s4 * g4, a5 = s5 * g5, a6 = s6 * g6, a7 = s7 * g7
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3, b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7
      const c0 = b0 + b2, c2 = b0 - b2, c1 = b1 + b3, c3 = b1 - b3, c4 = b4 + b6, c6 = b4 - b6, c5 = b5 + b7, c7 = b5 - b7
      const xin = x
      buf[o0 + p0] = (c0 + c4) * NORM + xin
      if (++p0 === n0) p0 = 0
      buf[o1 + p1] = (c1 + c5) * NORM - xin
      if (++p1 === n1) p1 = 0
      buf[o2 + p2] = (c2 + c6) * NORM + xin
      if (++p2 === n2) p2 = 0
      buf[o3 + p3] = (c3 + c7) * NORM - xin
      if (++p3 === n3) p3 = 0
      buf[o4 + p4] = (c0 - c4) * NORM + xin
      if (++p4 === n4) p4 = 0
      buf[o5 + p5] = (c1 - c5) * NORM - xin
      if (++p5 === n5) p5 = 0
      buf[o6 + p6] = (c2 - c6) * NORM + xin
      if (++p6 === n6) p6 = 0
      buf[o7 + p7] = (c3 - c7) * NORM - xin
      if (++p7 === n7) p7 = 0
    }
    this.prePos = prePos
    this.pos[0] = p0; this.lp[0] = s0
    this.pos[1] = p1; this.lp[1] = s1
    this.pos[2] = p2; this.lp[2] = s2
    this.pos[3] = p3; this.lp[3] = s3
    this.pos[4] = p4; this.lp[4] = s4
    this.pos[5] = p5; this.lp[5] = s5
    this.pos[6] = p6; this.lp[6] = s6
    this.pos[7] = p7; this.lp[7] = s7
    this.dpos[0] = dp0
    this.dpos[1] = dp1
    this.dpos[2] = dp2
    this.dpos[3] = dp3
  }
}
