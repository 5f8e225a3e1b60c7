/** Small analysis helpers for the tests: FFT, Goertzel, zero crossings, levels. */

/** In-place radix-2 complex FFT (length a power of two). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length
  if (n & (n - 1)) throw new RangeError('fft length must be a power of two')
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      ;[re[i], re[j]] = [re[j], re[i]]
      ;[im[i], im[j]] = [im[j], im[i]]
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len
    const wr = Math.cos(ang)
    const wi = Math.sin(ang)
    for (let i = 0; i < n; i += len) {
      let cr = 1
      let ci = 0
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k]
        const ai = im[i + k]
        const br = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci
        const bi = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr
        re[i + k] = ar + br
        im[i + k] = ai + bi
        re[i + k + len / 2] = ar - br
        im[i + k + len / 2] = ai - bi
        const t = cr * wr - ci * wi
        ci = cr * wi + ci * wr
        cr = t
      }
    }
  }
}

/** Power spectrum |X[k]|² for k = 0..n/2 of the first n samples (n a power of two), optional Hann window. */
export function powerSpectrum(x: ArrayLike<number>, n: number, hann = true): Float64Array {
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const w = hann ? 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n) : 1
    re[i] = (x[i] ?? 0) * w
  }
  fft(re, im)
  const p = new Float64Array(n / 2 + 1)
  for (let k = 0; k <= n / 2; k++) p[k] = re[k] * re[k] + im[k] * im[k]
  return p
}

/** Frequency of the strongest spectral peak in [minHz, maxHz] (parabolic interpolation on log power). */
export function peakFrequency(x: ArrayLike<number>, sampleRate: number, n = 1 << 16, minHz = 20, maxHz = sampleRate / 2): number {
  const p = powerSpectrum(x, n)
  let best = Math.max(1, Math.ceil((minHz * n) / sampleRate))
  const last = Math.min(p.length - 2, Math.floor((maxHz * n) / sampleRate))
  for (let k = best; k <= last; k++) if (p[k] > p[best]) best = k
  const a = Math.log(p[best - 1] + 1e-30)
  const b = Math.log(p[best] + 1e-30)
  const c = Math.log(p[best + 1] + 1e-30)
  const delta = (0.5 * (a - c)) / (a - 2 * b + c)
  return ((best + delta) * sampleRate) / n
}

/** Goertzel magnitude (amplitude of a sinusoid at `hz`, Hann-windowed) over `x`. */
export function goertzel(x: ArrayLike<number>, hz: number, sampleRate: number, start = 0, length = x.length - start): number {
  const w = (2 * Math.PI * hz) / sampleRate
  const coeff = 2 * Math.cos(w)
  let s1 = 0
  let s2 = 0
  let wsum = 0
  for (let i = 0; i < length; i++) {
    const win = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length)
    wsum += win
    const s = x[start + i] * win + coeff * s1 - s2
    s2 = s1
    s1 = s
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2
  return (2 * Math.sqrt(Math.max(0, power))) / wsum
}

/** Frequency from rising zero crossings with linear interpolation, between the first and last crossing. */
export function zeroCrossingFrequency(x: ArrayLike<number>, sampleRate: number, start = 0, end = x.length): number {
  let first = -1
  let last = -1
  let count = 0
  for (let i = start + 1; i < end; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const t = i - 1 + x[i - 1] / (x[i - 1] - x[i])
      if (first < 0) first = t
      else count++
      last = t
    }
  }
  return (count * sampleRate) / (last - first)
}

/** Root mean square over a range. */
export function rms(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0
  for (let i = start; i < end; i++) s += x[i] * x[i]
  return Math.sqrt(s / Math.max(1, end - start))
}

/** Largest absolute sample. */
export function peak(x: ArrayLike<number>): number {
  let p = 0
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i])
    if (a > p) p = a
  }
  return p
}

/** 20·log10. */
export const db = (x: number): number => 20 * Math.log10(x)
