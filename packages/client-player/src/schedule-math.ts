/**
 * Pure scheduling math. Every time is computed from the stream's epoch, the section start and the
 * event offset by one multiplication — never by adding durations up — so errors do not accumulate.
 *
 * Clocks involved:
 * - server time: the server's wall clock in ms (`hello.epoch` counts on it);
 * - local time: `performance.timeOrigin + performance.now()` in ms, i.e. the page's monotonic wall clock;
 *   `server = local + offset` (see clock-math.ts);
 * - performance time: `performance.now()` in ms (Web MIDI timestamps use it);
 * - context time: `AudioContext` seconds (`start(when)` uses it).
 */

/** Server time (ms) at which a note sounds: `epoch + (startTime + t) · 1000`. */
export function noteServerMs(epochMs: number, sectionStartS: number, eventT: number): number {
  return epochMs + (sectionStartS + eventT) * 1000
}

/** Performance time (ms) of a server time, given the clock offset and `performance.timeOrigin`. */
export function serverToPerformanceMs(serverMs: number, offsetMs: number, timeOriginMs: number): number {
  return serverMs - offsetMs - timeOriginMs
}

/** Server time (ms) of a performance time. */
export function performanceToServerMs(perfMs: number, offsetMs: number, timeOriginMs: number): number {
  return perfMs + timeOriginMs + offsetMs
}

/**
 * A linear map from performance time to context time: `context = perfMs / 1000 + biasS`.
 * It is fitted from `AudioContext.getOutputTimestamp()`, whose pair says which context time is leaving
 * the speakers at which performance time — so notes placed with it are heard on time, output latency included.
 */
export interface AudioClockMap {
  /** `contextTime − performanceTime / 1000`, in seconds. */
  readonly biasS: number
  /** Readings averaged so far (the first ones are averaged evenly, later ones exponentially). */
  readonly samples: number
  /** Consecutive readings that disagreed by more than the snap threshold (a jump is taken after 3). */
  readonly outliers: number
}

/** One reading of `getOutputTimestamp()`. */
export interface OutputTimestamp {
  /** Context time (s) being output. */
  readonly contextTime: number
  /** Performance time (ms) at which it is output. */
  readonly performanceTime: number
}

/**
 * Updates the audio clock map with a new reading (drift correction). The audio and performance clocks run
 * from different crystals and drift apart slowly; readings are also jittery (a render quantum, and
 * `performanceTime` may be coarsened to 1 ms). So readings are averaged — evenly for the first
 * `1/alpha`, then exponentially with weight `alpha` — and a deviation beyond `snapS` is taken at once only
 * when 3 readings in a row agree on it (a context restart or a device change), never for one glitch.
 * Invalid readings (not finite, or `performanceTime` 0 before the context runs) leave the map unchanged.
 */
export function updateAudioClockMap(prev: AudioClockMap | undefined, ts: OutputTimestamp, alpha = 0.05, snapS = 0.02): AudioClockMap | undefined {
  if (!Number.isFinite(ts.contextTime) || !Number.isFinite(ts.performanceTime) || ts.performanceTime <= 0) return prev
  const bias = ts.contextTime - ts.performanceTime / 1000
  if (prev === undefined) return { biasS: bias, samples: 1, outliers: 0 }
  if (Math.abs(bias - prev.biasS) > snapS) {
    return prev.outliers + 1 >= 3 ? { biasS: bias, samples: 1, outliers: 0 } : { ...prev, outliers: prev.outliers + 1 }
  }
  const w = Math.max(alpha, 1 / (prev.samples + 1))
  return { biasS: prev.biasS + w * (bias - prev.biasS), samples: prev.samples + 1, outliers: 0 }
}

/** Context time (s) of a performance time (ms) under a map. */
export function performanceToContextS(perfMs: number, map: AudioClockMap): number {
  return perfMs / 1000 + map.biasS
}

/** Context time (s) at which a server time (ms) is heard. */
export function serverToContextS(serverMs: number, offsetMs: number, timeOriginMs: number, map: AudioClockMap): number {
  return performanceToContextS(serverToPerformanceMs(serverMs, offsetMs, timeOriginMs), map)
}

/** Seconds of music buffered ahead of `nowServerMs`, from the end of the last section received. */
export function bufferedAheadS(bufferedUntilMs: number | undefined, nowServerMs: number): number {
  if (bufferedUntilMs === undefined) return 0
  return Math.max(0, (bufferedUntilMs - nowServerMs) / 1000)
}

/**
 * Index of the first element whose key is `>= bound` in an array sorted by key (binary search):
 * everything before it is due.
 */
export function firstAtOrAfter<T>(sorted: readonly T[], bound: number, key: (item: T) => number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (key(sorted[mid]) < bound) lo = mid + 1
    else hi = mid
  }
  return lo
}
