/** Formatting of durations, sizes and speeds for the terminal. */

/** `m:ss` (or `h:mm:ss`) for a duration in seconds; `--:--` when unknown. */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** A byte count in B, KB, MB or GB (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let v = bytes / 1000
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`
}

/** A real-time factor, e.g. `13.2×`; `–` when not yet measurable. */
export function formatSpeed(speed: number): string {
  if (!Number.isFinite(speed) || speed <= 0) return '–'
  return `${speed >= 100 ? Math.round(speed) : speed.toFixed(1)}×`
}
