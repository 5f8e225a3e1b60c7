/**
 * The tracker grid view: the section sounding now and the next one as 16th-step rows (one column per
 * instrument), the current step highlighted and kept in view by scrolling the grid (not the page).
 */
import type { Section } from '@auralis/protocol'
import { h } from './dom.js'
import { currentStep, gridColumns, sectionGrid } from './grid-math.js'

/** The tracker view. */
export interface TrackerView {
  /** Shows the sections around `streamTimeS` with the current step highlighted. */
  update(sections: readonly Section[], streamTimeS: number | undefined): void
}

/** The section sounding at `t` and the one after it (by start time), from `sections`. */
export function sectionsAround(sections: readonly Section[], t: number): Section[] {
  const sorted = [...sections].sort((a, b) => a.startTime - b.startTime)
  let i = -1
  for (let k = 0; k < sorted.length; k++) if (sorted[k].startTime <= t) i = k
  if (i < 0) return sorted.slice(0, 1)
  return sorted.slice(i, i + 2)
}

/** Renders the tracker into `root`. */
export function mountTracker(root: HTMLElement): TrackerView {
  const scroller = h('div', { class: 'tracker-scroll', tabindex: 0, role: 'region', 'aria-label': 'Tracker grid, current step highlighted' })
  const table = h('table', { class: 'tracker' })
  scroller.append(table)
  const empty = h('p', { class: 'muted' }, 'Play a station or a session to see its notes.')
  root.append(h('h2', { id: 'tracker-h' }, 'Tracker'), empty, scroller)
  scroller.hidden = true
  let shownKey = ''
  let rowsBySection = new Map<number, HTMLTableRowElement[]>()
  let lit: HTMLTableRowElement | undefined

  const rebuild = (shown: Section[]): void => {
    const columns = gridColumns(shown)
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Step'), ...columns.map((c) => h('th', { scope: 'col' }, c)))
    const body = h('tbody')
    rowsBySection = new Map()
    for (const s of shown) {
      const grid = sectionGrid(s, columns)
      const rows = grid.rows.map((r) => {
        const tr = h('tr', { class: r.downbeat ? 'beat' : undefined, 'data-step': r.step, 'data-section': s.index },
          h('th', { scope: 'row' }, r.label),
          ...r.cells.map((c) => h('td', { class: c.kind, style: c.kind === 'on' ? `--vel:${(c.vel / 127).toFixed(2)}` : undefined }, c.text)))
        body.append(tr)
        return tr
      })
      rowsBySection.set(s.index, rows)
    }
    table.replaceChildren(h('thead', {}, head), body)
    lit = undefined
  }

  return {
    update(sections, t) {
      if (t === undefined || sections.length === 0) {
        scroller.hidden = true
        empty.hidden = false
        return
      }
      const shown = sectionsAround(sections, t)
      const key = shown.map((s) => s.index).join(',')
      if (key !== shownKey) {
        shownKey = key
        rebuild(shown)
      }
      scroller.hidden = false
      empty.hidden = true
      const now = shown[0]
      const step = now ? currentStep(now, t) : undefined
      const row = step === undefined ? undefined : rowsBySection.get(now.index)?.[step]
      if (row === lit) return
      lit?.classList.remove('now')
      lit?.removeAttribute('aria-current')
      lit = row
      if (!row) return
      row.classList.add('now')
      row.setAttribute('aria-current', 'step')
      const target = row.offsetTop - scroller.clientHeight / 3
      scroller.scrollTop = Math.max(0, target)
    },
  }
}
