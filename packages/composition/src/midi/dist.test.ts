import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dist = join(import.meta.dirname, '..', '..', 'dist', 'index.js')

// Vitest resolves packages its own way; this runs the built bundle in plain Node, where @tonejs/midi is
// CommonJS and arrives as a default export.
describe('the built package in plain Node', () => {
  it('exports toMidi/fromMidi/parseTracker/toTracker/createLlmSectionSource that work (run `pnpm build` first)', () => {
    expect(existsSync(dist), 'dist/index.js missing: build before testing').toBe(true)
    const script = `
      const m = await import(${JSON.stringify(dist)})
      const { events } = m.parseTracker('BASS\\nC2:80\\n^\\nD2:70\\n.', { bpm: 100, swing: 0.67 })
      const bytes = m.toMidi([{ startTime: 0, bpm: 100, bars: 1, beatsPerBar: 1, key: 'F', mode: 'ionian', events }])
      const back = m.fromMidi(bytes)
      const text = m.toTracker({ bpm: 100, bars: 1, beatsPerBar: 1, swing: 0.67, events })
      const source = m.createLlmSectionSource({ baseUrl: 'http://127.0.0.1:9/v1', model: 'x' })
      console.log(JSON.stringify({ n: bytes.length, notes: back.events.map((e) => [e.inst, e.note, e.vel]), key: back.keySignatures[0].key, bass: text.split('\\n\\n')[0], model: source.model }))
    `
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
    expect(out.notes).toEqual([['bass', 36, 80], ['bass', 38, 70]])
    expect(out.key).toBe('F')
    expect(out.bass).toBe('BASS\n1 C2:80\n2 ^\n3 D2:70\n4 .')
    expect(out.model).toBe('x')
    expect(out.n).toBeGreaterThan(60)
  })
})
