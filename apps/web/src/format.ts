/**
 * Formatting of player numbers for the status panel (pure).
 */
import type { PlayerStats } from '@auralis/client-player'

/** One line of the status panel. */
export interface StatusRow {
  /** Stable key (used as a `data-key` attribute). */
  readonly key: string
  /** Label shown. */
  readonly label: string
  /** Value shown. */
  readonly value: string
}

/** `12.3 ms`, `—` when unknown. */
export function formatMs(ms: number | undefined, digits = 1): string {
  return ms === undefined || !Number.isFinite(ms) ? '—' : `${ms.toFixed(digits)} ms`
}

/** `1.25 s`, `—` when unknown. */
export function formatSeconds(s: number | undefined, digits = 2): string {
  return s === undefined || !Number.isFinite(s) ? '—' : `${s.toFixed(digits)} s`
}

/** The status panel's rows for some player stats (or for no player). */
export function statusRows(stats: PlayerStats | undefined): StatusRow[] {
  if (!stats) {
    return [{ key: 'connection', label: 'Connection', value: 'not playing' }]
  }
  return [
    { key: 'connection', label: 'Connection', value: `${stats.connection} (${stats.transport})` },
    { key: 'state', label: 'Player', value: stats.state },
    { key: 'buffer', label: 'Buffer ahead', value: formatSeconds(stats.bufferedAheadS) },
    { key: 'horizon', label: 'Schedule ahead', value: formatMs(stats.scheduleAheadMs, 0) },
    { key: 'offset', label: 'Clock offset', value: formatMs(stats.clockOffsetMs) },
    { key: 'rtt', label: 'Round trip', value: formatMs(stats.rttMs) },
    { key: 'latency', label: 'Output latency', value: formatMs(stats.outputLatencyS === undefined ? undefined : stats.outputLatencyS * 1000) },
    { key: 'notes', label: 'Notes played', value: String(stats.scheduledNotes) },
    { key: 'late', label: 'Late / skipped', value: `${stats.lateNotes} / ${stats.skippedNotes}` },
    { key: 'reconnects', label: 'Reconnects', value: String(stats.reconnects) },
  ]
}
