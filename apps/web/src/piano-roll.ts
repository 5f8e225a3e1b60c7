/**
 * The piano roll: a canvas of recent and upcoming notes (pitch lanes, drums in a strip below) scrolling
 * past a now-line.
 */
import type { Section } from '@auralis/protocol'
import { h } from './dom.js'
import { noteName } from './notes.js'
import { DRUM_STRIP, INSTRUMENT_COLORS, noteRect, notesInWindow, nowX, pitchRange, type RollView } from './roll-math.js'

/** The piano-roll view. */
export interface PianoRoll {
  /** Draws the notes around `streamTimeS`. */
  draw(sections: readonly Section[], streamTimeS: number | undefined): void
}

const PAST_S = 3
const AHEAD_S = 3

/** Renders the piano roll into `root`. */
export function mountPianoRoll(root: HTMLElement): PianoRoll {
  const canvas = h('canvas', { class: 'roll', role: 'img', 'aria-label': 'Piano roll (nothing playing)', height: 220 })
  const legend = h('ul', { class: 'legend', 'aria-label': 'Instrument colours' })
  root.append(h('h2', { id: 'roll-h' }, 'Piano roll'), canvas, legend)
  let legendKey = ''
  const ctx = canvas.getContext('2d')
  let range: [number, number] = [48, 72]
  let label = ''

  const size = (): { w: number; h: number } => {
    const dpr = globalThis.devicePixelRatio || 1
    const w = Math.max(100, canvas.clientWidth)
    const hgt = Math.max(100, canvas.clientHeight)
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
      canvas.width = Math.round(w * dpr)
      canvas.height = Math.round(hgt * dpr)
    }
    ctx?.setTransform(dpr, 0, 0, dpr, 0, 0)
    return { w, h: hgt }
  }

  return {
    draw(sections, t) {
      if (!ctx) return
      const { w, h: hgt } = size()
      ctx.clearRect(0, 0, w, hgt)
      if (t === undefined) return
      const notes = notesInWindow(sections, t - PAST_S, t + AHEAD_S)
      const [lo, hi] = pitchRange(notes)
      // Move the range only when notes leave it, so lanes do not jump every frame.
      if (lo < range[0] || hi > range[1] || range[1] - range[0] > (hi - lo) * 2 + 12) range = [lo, hi]
      const view: RollView = { width: w, height: hgt - DRUM_STRIP, pastS: PAST_S, aheadS: AHEAD_S, low: range[0], high: range[1] }
      ctx.fillStyle = '#11141b'
      for (let n = view.low; n <= view.high; n++) {
        if ([1, 3, 6, 8, 10].includes(n % 12)) {
          const lane = view.height / (view.high - view.low + 1)
          ctx.fillRect(0, ((view.high - n) * view.height) / (view.high - view.low + 1), w, lane)
        }
      }
      for (const n of notes) {
        const r = noteRect(view, t, n)
        if (!r) continue
        ctx.globalAlpha = 0.35 + 0.65 * (n.vel / 127)
        ctx.fillStyle = INSTRUMENT_COLORS[n.inst]
        ctx.fillRect(r.x, r.y, r.w, r.h)
      }
      ctx.globalAlpha = 1
      const x = nowX(view)
      ctx.fillStyle = '#ffffff'
      ctx.fillRect(x - 1, 0, 2, hgt)
      ctx.font = '11px system-ui, sans-serif'
      ctx.fillStyle = '#9aa3b5'
      ctx.fillText(noteName(view.high), 4, 11)
      ctx.fillText(noteName(view.low), 4, view.height - 3)
      const insts = [...new Set(notes.map((n) => n.inst))].sort()
      if (insts.join() !== legendKey) {
        legendKey = insts.join()
        legend.replaceChildren(...insts.map((i) => h('li', { style: `--c:${INSTRUMENT_COLORS[i]}` }, i)))
      }
      const next = `Piano roll: ${notes.length} notes around now, ${noteName(view.low)} to ${noteName(view.high)}`
      if (next !== label) canvas.setAttribute('aria-label', (label = next))
    },
  }
}
