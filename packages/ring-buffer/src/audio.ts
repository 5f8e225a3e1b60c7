import { deinterleave2, interleave2 } from './stereo.js'
import type { WritableArrayLike } from './types.js'

/**
 * Interleaves planar channels into one array: `out[outOffset + i*channels + c] = planar[c][offset + i]`.
 * Allocates nothing.
 * @param planar - One array per channel.
 * @param out - Destination, at least `outOffset + frames × channels` long.
 * @param frames - Frames to interleave; default `planar[0].length - offset`.
 * @param offset - First frame index read from each channel; default 0.
 * @param outOffset - First element index written in `out`; default 0.
 * @returns The number of frames written (`frames`).
 * @throws RangeError if there are no channels or a range does not fit.
 */
export function interleave(
  planar: readonly ArrayLike<number>[],
  out: WritableArrayLike<number>,
  frames?: number,
  offset?: number,
  outOffset?: number,
): number {
  const ch = planar.length
  const off = offset === undefined ? 0 : offset
  const o = outOffset === undefined ? 0 : outOffset
  const n = frames === undefined ? (ch > 0 ? planar[0].length - off : 0) : frames
  checkRanges('interleave', planar, off, n, out.length, o)
  if (ch === 2) {
    interleave2(planar[0], planar[1], off, out, o, n)
    return n
  }
  for (let c = 0; c < ch; c++) {
    const s = planar[c]
    for (let i = 0, p = o + c; i < n; i++, p += ch) out[p] = s[off + i]
  }
  return n
}

/**
 * Splits interleaved samples into planar channels: `planar[c][offset + i] = interleaved[inOffset + i*channels + c]`.
 * Allocates nothing.
 * @param interleaved - Source, at least `inOffset + frames × channels` long.
 * @param planar - One destination array per channel.
 * @param frames - Frames to split; default `planar[0].length - offset`.
 * @param offset - First frame index written in each channel; default 0.
 * @param inOffset - First element index read from `interleaved`; default 0.
 * @returns The number of frames written (`frames`).
 * @throws RangeError if there are no channels or a range does not fit.
 */
export function deinterleave(
  interleaved: ArrayLike<number>,
  planar: readonly WritableArrayLike<number>[],
  frames?: number,
  offset?: number,
  inOffset?: number,
): number {
  const ch = planar.length
  const off = offset === undefined ? 0 : offset
  const o = inOffset === undefined ? 0 : inOffset
  const n = frames === undefined ? (ch > 0 ? planar[0].length - off : 0) : frames
  checkRanges('deinterleave', planar, off, n, interleaved.length, o)
  if (ch === 2) {
    deinterleave2(interleaved, o, planar[0], planar[1], off, n)
    return n
  }
  for (let c = 0; c < ch; c++) {
    const s = planar[c]
    for (let i = 0, p = o + c; i < n; i++, p += ch) s[off + i] = interleaved[p]
  }
  return n
}

function checkRanges(op: string, planar: readonly ArrayLike<unknown>[], off: number, n: number, flatLength: number, flatOffset: number): void {
  const ch = planar.length
  if (ch === 0) throw new RangeError(`${op}: at least one channel is needed`)
  if (off >>> 0 !== off || n >>> 0 !== n || flatOffset >>> 0 !== flatOffset) {
    throw new RangeError(`${op}: offsets and frames must be non-negative integers (offset ${String(off)}, frames ${String(n)}, flat offset ${String(flatOffset)})`)
  }
  for (let c = 0; c < ch; c++) {
    if (off + n > planar[c].length) {
      throw new RangeError(`${op}: channel ${c} has ${planar[c].length} samples, fewer than offset ${off} + frames ${n}`)
    }
  }
  if (flatOffset + n * ch > flatLength) {
    throw new RangeError(`${op}: interleaved array has ${flatLength} elements, fewer than ${flatOffset} + ${n} frames × ${ch} channels`)
  }
}
