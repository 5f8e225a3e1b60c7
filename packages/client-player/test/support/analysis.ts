/**
 * Signal analysis for the browser tests (runs in the page and in Node): RMS, dominant frequency
 * (Hann-windowed FFT with parabolic peak interpolation) and onset detection.
 */

/** Root mean square of a signal. */
export function rms(x: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i] * x[i]
  return x.length ? Math.sqrt(s / x.length) : 0
}

/** In-place radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length
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
        const ar = re[i + k], ai = im[i + k]
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

/** Frequency (Hz) of the strongest spectral peak between `minHz` and `maxHz`, over the first 2^k samples. */
export function dominantFrequency(x: ArrayLike<number>, sampleRate: number, minHz = 30, maxHz = 5000): number {
  let n = 1
  while (n * 2 <= x.length) n *= 2
  const re = new Float64Array(n)
  const im = new Float64Array(n)
  for (let i = 0; i < n; i++) re[i] = x[i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)))
  fft(re, im)
  const mag = (k: number) => Math.log(Math.hypot(re[k], im[k]) + 1e-12)
  const lo = Math.max(1, Math.floor((minHz * n) / sampleRate))
  const hi = Math.min(n / 2 - 2, Math.ceil((maxHz * n) / sampleRate))
  let best = lo
  for (let k = lo; k <= hi; k++) if (mag(k) > mag(best)) best = k
  const a = mag(best - 1), b = mag(best), c = mag(best + 1)
  const p = (0.5 * (a - c)) / (a - 2 * b + c)
  return ((best + (Number.isFinite(p) ? p : 0)) * sampleRate) / n
}

/**
 * Onsets: indices where the absolute signal first exceeds `threshold` after at least `quietSamples`
 * samples below `threshold / 4`.
 */
export function onsets(x: ArrayLike<number>, threshold: number, quietSamples: number): number[] {
  const out: number[] = []
  let quiet = quietSamples
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i])
    const armed = quiet >= quietSamples
    if (v >= threshold && armed) {
      out.push(i)
      quiet = 0
    } else if (v < threshold / 4) quiet++
    else if (!armed) quiet = 0 // a rising edge between threshold/4 and threshold keeps the detector armed
  }
  return out
}
