import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_INTERRUPTED } from './errors.js'
import { packageVersion, runCli } from './main.js'
import { tempDir } from './test-helpers.js'

function io() {
  const out: string[] = []
  const err: string[] = []
  return {
    out, err,
    io: { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => err.push(c) } },
  }
}

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.remove())

describe('runCli', () => {
  it('prints the version from package.json', async () => {
    const t = io()
    expect(await runCli(['--version'], t.io)).toBe(0)
    expect(t.out.join('')).toBe(`${packageVersion()}\n`)
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('renders with line progress and a summary', async () => {
    const t = io()
    const out = join(tmp.dir, 'a.wav')
    const code = await runCli(['render', '--seconds', '1', '--out', out], { ...t.io, progressMode: 'lines', progressIntervalMs: 0 })
    expect(code).toBe(0)
    const lines = t.err.join('').trimEnd().split('\n')
    expect(lines.length).toBe(Math.ceil(48000 / 8192) + 1) // one line per block (interval 0), then the summary
    expect(lines.at(-1)).toMatch(/^wrote .*a\.wav \(192\.0 KB, 0:01 of music, 1 section\) in [\d.]+ s — [\d.]+× real time$/)
    expect(existsSync(out)).toBe(true)
  })

  it('exits 130 when interrupted, removing the partial file', async () => {
    const t = io()
    const controller = new AbortController()
    const out = join(tmp.dir, 'stopped.wav')
    const pending = runCli(['render', '--style', 'jazz', '--minutes', '5', '--out', out], { ...t.io, signal: controller.signal, progressMode: 'lines' })
    setTimeout(() => controller.abort(new Error('interrupted')), 50)
    expect(await pending).toBe(EXIT_INTERRUPTED)
    expect(t.err.join('')).toContain('auralis: interrupted; nothing was written')
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('stopped'))).toEqual([])
  })
})
