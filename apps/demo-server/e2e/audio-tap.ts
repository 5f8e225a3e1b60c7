/**
 * Audio tap for the browser e2e tests: an AudioWorklet that copies what flows into it to the page as
 * Float32 blocks stamped with their context frame, the page-side helpers to hook it onto the app's (or an
 * `<auralis-player>`'s) output and to read samples back by wall-clock time, and Node-side analysis
 * (RMS, spectrum, onsets, cross-correlation).
 *
 * Wall time of a sample: its context time mapped through `AudioContext.getOutputTimestamp()` to
 * `performance` time, plus `performance.timeOrigin` — when it leaves the speakers, on the same clock as
 * the server here (one machine), measured independently of the player's own clock sync.
 */

/**
 * Page-side init script (pass to `page.addInitScript`). Defines `window.__tap` with:
 * `hookApp()` (load the worklet into the app's AudioContext and connect every player's Tone output as soon
 * as it is started), `hookContext(ctx, connect)` (the same for any context), `clickAt` (wall ms of the last
 * click), `firstSoundWall(threshold)`, `segment(fromWall, toWall)` (samples as a plain array) and
 * `sampleRate`.
 */
export function tapInit(): void {
  const SRC = `class Tap extends AudioWorkletProcessor{constructor(){super();this.buf=new Float32Array(1024);this.n=0;this.start=0}
process(inputs){const ch=inputs[0]&&inputs[0][0];const len=ch?ch.length:128;if(this.n===0)this.start=currentFrame;
if(ch)this.buf.set(ch,this.n);else this.buf.fill(0,this.n,this.n+len);this.n+=len;
if(this.n>=1024){this.port.postMessage({frame:this.start,data:this.buf});this.buf=new Float32Array(1024);this.n=0}return true}}
registerProcessor('e2e-tap',Tap)`
  type Block = { frame: number; data: Float32Array }
  const state = {
    blocks: [] as Block[],
    ctx: undefined as AudioContext | undefined,
    node: undefined as AudioWorkletNode | undefined,
    clickAt: 0,
    connected: 0,
  }
  document.addEventListener('click', () => { state.clickAt = performance.timeOrigin + performance.now() }, true)
  const ctxToWall = (ctxTime: number): number => {
    const ts = state.ctx!.getOutputTimestamp()
    return performance.timeOrigin + (ts.performanceTime ?? 0) + (ctxTime - (ts.contextTime ?? 0)) * 1000
  }
  const wallToCtx = (wall: number): number => {
    const ts = state.ctx!.getOutputTimestamp()
    return (ts.contextTime ?? 0) + (wall - performance.timeOrigin - (ts.performanceTime ?? 0)) / 1000
  }
  const hookContext = async (ctx: AudioContext): Promise<AudioWorkletNode> => {
    if (state.ctx === ctx && state.node) return state.node
    await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([SRC], { type: 'text/javascript' })))
    const node = new AudioWorkletNode(ctx, 'e2e-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers' })
    const sink = ctx.createGain()
    sink.gain.value = 0
    node.connect(sink).connect(ctx.destination)
    node.port.onmessage = (e: MessageEvent<Block>) => state.blocks.push(e.data)
    state.ctx = ctx
    state.node = node
    return node
  }
  const scan = { key: '', block: 0, found: undefined as number | undefined }
  type Tappable = { connectTap?: (n: AudioNode) => void }
  type PlayerLike = { currentOutput: Tappable; audioContext?: AudioContext; on(ev: 'state', fn: (s: { state: string }) => void): () => void }
  /** Connects a player's output as soon as it is started (its `buffering` state, before the first note). */
  const follow = (player: PlayerLike, node: AudioWorkletNode): void => {
    let done = false
    const tryConnect = (): void => {
      if (done) return
      try {
        player.currentOutput.connectTap?.(node)
        done = true
        state.connected++
      } catch { /* not started yet */ }
    }
    player.on('state', (s) => { if (s.state === 'buffering' || s.state === 'playing') tryConnect() })
  }
  const api = {
    state,
    get sampleRate(): number { return state.ctx?.sampleRate ?? 0 },
    get clickAt(): number { return state.clickAt },
    get connected(): number { return state.connected },
    async hookApp(): Promise<void> {
      const host = (window as unknown as { auralis: EventTarget & { audioContext(): AudioContext } }).auralis
      const node = await hookContext(host.audioContext())
      host.addEventListener('player', (e) => follow((e as CustomEvent<{ player: PlayerLike }>).detail.player, node))
    },
    async hookPlayer(player: PlayerLike): Promise<void> {
      const node = await hookContext(player.audioContext!)
      try {
        player.currentOutput.connectTap?.(node)
        state.connected++
      } catch { follow(player, node) }
    },
    nowWall: (): number => ctxToWall(state.ctx!.currentTime),
    /**
     * Wall ms of the first 5 ms window whose RMS exceeds `threshold`, after wall time `after`. Incremental:
     * repeated calls with the same arguments scan only the blocks recorded since the last call.
     */
    firstSoundWall(threshold: number, after = 0): number | undefined {
      const key = `${threshold}|${after}`
      if (scan.key !== key) Object.assign(scan, { key, block: 0, found: undefined })
      if (scan.found !== undefined) return scan.found
      const sr = state.ctx!.sampleRate
      const win = Math.round(sr / 200)
      const ts = state.ctx!.getOutputTimestamp()
      const wallOf = (t: number): number => performance.timeOrigin + (ts.performanceTime ?? 0) + (t - (ts.contextTime ?? 0)) * 1000
      for (; scan.block < state.blocks.length; scan.block++) {
        const b = state.blocks[scan.block]
        for (let i = 0; i + win <= b.data.length; i += win) {
          let s = 0
          for (let k = i; k < i + win; k++) s += b.data[k] * b.data[k]
          if (Math.sqrt(s / win) > threshold) {
            const at = wallOf((b.frame + i) / sr)
            if (at >= after) return (scan.found = at)
          }
        }
      }
      return undefined
    },
    /** Samples between two wall times (ms), as base64 of little-endian Float32 (missing samples are NaN). */
    segment(fromWall: number, toWall: number): string {
      const sr = state.ctx!.sampleRate
      const f0 = Math.round(wallToCtx(fromWall) * sr)
      const n = Math.max(0, Math.round(((toWall - fromWall) / 1000) * sr))
      const out = new Float32Array(n).fill(NaN)
      for (const b of state.blocks) {
        const s = Math.max(f0, b.frame)
        const e = Math.min(f0 + n, b.frame + b.data.length)
        if (e > s) out.set(b.data.subarray(s - b.frame, e - b.frame), s - f0)
      }
      const bytes = new Uint8Array(out.buffer)
      let bin = ''
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return btoa(bin)
    },
  }
  ;(window as unknown as { __tap: typeof api }).__tap = api
}

/** Decodes what the page's `__tap.segment()` returns. */
export function decodeSegment(base64: string): Float32Array {
  const buf = Buffer.from(base64, 'base64')
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
}

/** Reads samples between two wall times (ms) from a page with the tap installed. */
export async function readSegment(page: import('playwright-core').Page, fromWall: number, toWall: number): Promise<Float32Array> {
  return decodeSegment(await page.evaluate(([a, b]) => (window as any).__tap.segment(a, b) as string, [fromWall, toWall]))
}

/** Root mean square (NaN samples ignored). */
export function rms(x: ArrayLike<number>): number {
  let s = 0
  let n = 0
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) { s += x[i] * x[i]; n++ }
  return n ? Math.sqrt(s / n) : 0
}

/** In-place radix-2 FFT. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]] }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const cr = Math.cos(ang * k), ci = Math.sin(ang * k)
        const a = i + k, b = i + k + len / 2
        const br = re[b] * cr - im[b] * ci, bi = re[b] * ci + im[b] * cr
        re[b] = re[a] - br; im[b] = im[a] - bi
        re[a] += br; im[a] += bi
      }
    }
  }
}

/** A magnitude spectrum in dB (Hann window, zero-padded to `size`), with the Hz of each bin. */
export interface Spectrum {
  /** dB per bin. */
  readonly db: Float64Array
  /** Hz per bin. */
  readonly binHz: number
}

/** Magnitude spectrum of `x` (NaN samples read as 0). */
export function spectrum(x: ArrayLike<number>, sampleRate: number, size = 1 << 16): Spectrum {
  const re = new Float64Array(size)
  const im = new Float64Array(size)
  const n = Math.min(x.length, size)
  for (let i = 0; i < n; i++) re[i] = (Number.isNaN(x[i]) ? 0 : x[i]) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)))
  fft(re, im)
  const db = new Float64Array(size / 2)
  for (let k = 0; k < size / 2; k++) db[k] = 20 * Math.log10(Math.hypot(re[k], im[k]) + 1e-12)
  return { db, binHz: sampleRate / size }
}

/**
 * How far a pitch stands out: the spectrum's highest level within ±`cents` of `hz`, minus the median level
 * between half an octave below and above (dB). A sounding fundamental gives a large positive number.
 */
export function peakProminence(s: Spectrum, hz: number, cents = 40): number {
  const k0 = Math.floor((hz * 2 ** (-cents / 1200)) / s.binHz)
  const k1 = Math.ceil((hz * 2 ** (cents / 1200)) / s.binHz)
  let peak = -Infinity
  for (let k = k0; k <= k1; k++) peak = Math.max(peak, s.db[k])
  const around: number[] = []
  for (let k = Math.floor(hz / Math.SQRT2 / s.binHz); k <= Math.ceil((hz * Math.SQRT2) / s.binHz); k++) around.push(s.db[k])
  around.sort((a, b) => a - b)
  return peak - around[Math.floor(around.length / 2)]
}

/** Frequency (Hz) of MIDI note `n`. */
export function midiHz(n: number): number {
  return 440 * 2 ** ((n - 69) / 12)
}

/** RMS envelope of `x` in windows of `win` samples. */
export function envelope(x: ArrayLike<number>, win: number): number[] {
  const out: number[] = []
  for (let i = 0; i + win <= x.length; i += win) {
    let s = 0
    for (let k = i; k < i + win; k++) s += Number.isNaN(x[k]) ? 0 : x[k] * x[k]
    out.push(Math.sqrt(s / win))
  }
  return out
}

/**
 * Lag (samples) of `b` relative to `a` that maximises their normalised cross-correlation within
 * ±`maxLag`, with that correlation. Positive lag: `b` sounds later than `a`.
 */
export function bestLag(a: ArrayLike<number>, b: ArrayLike<number>, maxLag: number): { lag: number; corr: number } {
  const n = Math.min(a.length, b.length)
  const va = (i: number) => (Number.isNaN(a[i]) ? 0 : a[i])
  const vb = (i: number) => (Number.isNaN(b[i]) ? 0 : b[i])
  let best = { lag: 0, corr: -Infinity }
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0, ea = 0, eb = 0
    for (let i = Math.max(0, -lag); i < n && i + lag < n; i++) {
      const x = va(i), y = vb(i + lag)
      s += x * y; ea += x * x; eb += y * y
    }
    const c = s / Math.sqrt(ea * eb || 1)
    if (c > best.corr) best = { lag, corr: c }
  }
  return best
}

/** A note the stream sent, placed in wall-clock (server) ms. */
export interface SentNote {
  /** Instrument id. */
  readonly inst: string
  /** MIDI note. */
  readonly note: number
  /** Start, server ms. */
  readonly at: number
  /** Duration, ms. */
  readonly ms: number
}

/** Drum instrument ids (no pitch to look for). */
export const DRUM_IDS = new Set(['kick', 'snare', 'hat', 'openhat', 'ride', 'clap', 'swell'])

/** Notes of sections (as the page's player received them) in server ms, given the stream epoch. */
export function sentNotes(sections: { startTime: number; events: { t: number; d: number; inst: string; note: number }[] }[], epoch: number): SentNote[] {
  return sections.flatMap((s) => s.events.map((e) => ({ inst: e.inst, note: e.note, at: epoch + (s.startTime + e.t) * 1000, ms: e.d * 1000 })))
}

/** Whether pitch `x` is clear of every sounding note's first `harmonics` partials by more than `semitones`. */
export function clearOfPartials(x: number, sounding: readonly number[], harmonics = 5, semitones = 1): boolean {
  const hz = midiHz(x)
  return sounding.every((m) => {
    for (let h = 1; h <= harmonics; h++) if (Math.abs(12 * Math.log2(hz / (midiHz(m) * h))) <= semitones) return false
    return true
  })
}

/** Level in dB (20·log10) of each window of an envelope. */
export function toDb(env: readonly number[]): number[] {
  return env.map((x) => 20 * Math.log10(x + 1e-9))
}

/** Median of some numbers. */
export function median(x: readonly number[]): number {
  const s = [...x].sort((a, b) => a - b)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/**
 * Beat period (in envelope windows) of a stretch of music: the onset strength (positive rise of the dB
 * envelope) autocorrelated over lags `minLag`–`maxLag`; the smallest lag reaching 70% of the best.
 */
export function onsetPeriod(db: readonly number[], minLag: number, maxLag: number): number {
  const flux = db.map((v, i) => (i === 0 ? 0 : Math.max(0, v - db[i - 1])))
  const mean = flux.reduce((a, b) => a + b, 0) / flux.length
  const f = flux.map((v) => v - mean)
  const ac: number[] = []
  for (let lag = minLag; lag <= maxLag; lag++) {
    let s = 0
    for (let i = 0; i + lag < f.length; i++) s += f[i] * f[i + lag]
    ac.push(s / (f.length - lag))
  }
  const best = Math.max(...ac)
  // A real period is a local maximum of the autocorrelation.
  for (let k = 0; k < ac.length; k++) {
    const local = (k === 0 || ac[k] >= ac[k - 1]) && (k === ac.length - 1 || ac[k] >= ac[k + 1])
    if (local && ac[k] >= 0.7 * best) return minLag + k
  }
  return minLag + ac.indexOf(best)
}

/**
 * Onsets of a dB envelope: windows whose level rises by at least `riseDb` over the lowest of the previous
 * `back` windows, at least `gap` windows after the previous onset. Returns window indices.
 */
export function onsetIndices(db: readonly number[], riseDb = 6, back = 4, gap = 10): number[] {
  const out: number[] = []
  for (let i = back; i < db.length; i++) {
    const low = Math.min(...db.slice(i - back, i))
    if (db[i] - low >= riseDb && (out.length === 0 || i - out[out.length - 1] >= gap)) out.push(i)
  }
  return out
}

/** First difference of a signal (a gentle high-pass: keeps cymbal and snare attacks, drops bass swells). */
export function highPass(x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(x.length)
  for (let i = 1; i < x.length; i++) out[i] = (Number.isNaN(x[i]) ? 0 : x[i]) - (Number.isNaN(x[i - 1]) ? 0 : x[i - 1])
  return out
}

/**
 * How far each note's fundamental stands out in the tapped output while it sounds (dB, see
 * {@link peakProminence}), read from the page: one spectrum per note over its first second.
 */
export async function fundamentalsHeard(page: import('playwright-core').Page, notes: readonly SentNote[], sampleRate: number): Promise<number[]> {
  const out: number[] = []
  for (const n of notes) {
    const seg = await readSegment(page, n.at + 40, n.at + Math.min(n.ms, 1000) - 20)
    out.push(peakProminence(spectrum(seg, sampleRate), midiHz(n.note)))
  }
  return out
}
