import { describe, expect, it } from 'vitest'
import { formatBytes, formatClock, formatSpeed } from './format.js'
import { progressAt } from './progress-info.js'
import { createProgressReporter, progressLine } from './progress.js'

function sink(isTTY = false) {
  const chunks: string[] = []
  return { chunks, isTTY, columns: 120, write: (c: string) => (chunks.push(c), true), text: () => chunks.join('') }
}

describe('progressAt', () => {
  it('computes speed (× real time) and ETA from seconds done and time elapsed', () => {
    expect(progressAt(30, 60, 2000)).toEqual({ fraction: 0.5, done: 30, total: 60, elapsedMs: 2000, speed: 15, etaSeconds: 2 })
    expect(progressAt(0, 60, 0)).toMatchObject({ fraction: 0, speed: 0, etaSeconds: Infinity })
    expect(progressAt(60, 60, 4000)).toMatchObject({ fraction: 1, speed: 15, etaSeconds: 0 })
  })
})

describe('formatting', () => {
  it('formats clocks, sizes and speeds', () => {
    expect(formatClock(0)).toBe('0:00')
    expect(formatClock(61.4)).toBe('1:01')
    expect(formatClock(3600 + 125)).toBe('1:02:05')
    expect(formatClock(Infinity)).toBe('--:--')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(3_840_044)).toBe('3.84 MB')
    expect(formatBytes(115_200_044)).toBe('115.2 MB')
    expect(formatSpeed(13.26)).toBe('13.3×')
    expect(formatSpeed(1234.4)).toBe('1234×')
    expect(formatSpeed(0)).toBe('–')
  })
})

describe('createProgressReporter', () => {
  it('writes nothing when quiet', () => {
    const s = sink(true)
    const r = createProgressReporter(s, { quiet: true })
    r.update(progressAt(1, 2, 100))
    r.stop()
    expect(s.chunks).toEqual([])
  })

  it('writes a plain line at most every interval, and always the first and the last, when not a TTY', () => {
    const s = sink(false)
    const r = createProgressReporter(s, { label: 'x.wav', intervalMs: 1000 })
    for (let ms = 100; ms <= 3000; ms += 100) r.update(progressAt((ms / 3000) * 60, 60, ms))
    r.update(progressAt(60, 60, 3000))
    r.stop()
    expect(s.chunks).toEqual([
      `${progressLine(progressAt(2, 60, 100), 'x.wav')}\n`,
      `${progressLine(progressAt(22, 60, 1100), 'x.wav')}\n`,
      `${progressLine(progressAt(42, 60, 2100), 'x.wav')}\n`,
      `${progressLine(progressAt(60, 60, 3000), 'x.wav')}\n`,
    ])
    expect(s.chunks[1]).toBe('x.wav: 36% · 0:22 of 1:00 · 20.0× real time · ETA 0:02\n')
  })

  it('draws a cli-progress bar with speed and ETA on a TTY, and restores the cursor at the end', () => {
    const s = sink(true)
    const r = createProgressReporter(s, { label: 'jazz.wav' })
    r.update(progressAt(15, 60, 1000))
    r.update(progressAt(60, 60, 4000))
    r.stop()
    const text = s.text()
    expect(text).toContain('\x1B[?25l') // cursor hidden while drawing
    expect(text).toContain('jazz.wav ')
    expect(text).toMatch(/25% \| 0:15 of 1:00 \| 15\.0× real time \| ETA 0:03/)
    expect(text).toMatch(/100% \| 1:00 of 1:00 \| 15\.0× real time \| ETA 0:00/)
    expect(text.endsWith('\x1B[?25h\n') || text.includes('\x1B[?25h')).toBe(true)
  })
})
