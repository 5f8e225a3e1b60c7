import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, runBin, tempDir } from './test-helpers.js'
import { USAGE_HINT } from './usage.js'

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> }
let tmp: ReturnType<typeof tempDir>

beforeAll(() => {
  tmp = tempDir()
})
afterAll(() => tmp.remove())

describe('the built executable', () => {
  it('is the package bin, starts with a node shebang and is executable', () => {
    expect(join(import.meta.dirname, '..', pkg.bin.auralis)).toBe(BIN)
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('prints its version and help', async () => {
    const [version, help, renderHelp, helpRender] = await Promise.all([
      runBin(['--version'], tmp.dir), runBin(['--help'], tmp.dir), runBin(['render', '--help'], tmp.dir), runBin(['help', 'render'], tmp.dir),
    ])
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('auralis render [options] --out FILE')
    expect(help.stdout).toContain('Exit codes: 0 done, 1 the render failed, 2 bad arguments')
    expect(renderHelp.code).toBe(0)
    for (const flag of ['--style', '--seed', '--key', '--mode', '--bpm', '--intensity', '--form', '--minutes', '--seconds', '--out', '--sample-rate', '--bit-depth', '--quiet']) {
      expect(renderHelp.stdout).toContain(flag)
    }
    expect(renderHelp.stdout).toContain('20–300')
    expect(helpRender.stdout).toBe(renderHelp.stdout)
  })
})

/** Bad command lines: [args, the message's first words]. Each must exit 2 with one message line and the hint. */
const BAD: [string[], string][] = [
  [['render', '--style', 'jazz', '--out', 'x.wav', '--loud'], 'auralis: --loud: unknown option (allowed: --style, --seed'],
  [['render', '--style', 'rock', '--out', 'x.wav'], 'auralis: --style: got "rock" (allowed: ambient | jazz)'],
  [['render', '--mode', 'major', '--out', 'x.wav'], 'auralis: --mode: got "major" (allowed: ionian, dorian, phrygian, lydian, mixolydian, aeolian, locrian)'],
  [['render', '--key', 'H', '--out', 'x.wav'], 'auralis: --key: got "H" (allowed: C, C#, Db'],
  [['render', '--bpm', '301', '--out', 'x.wav'], 'auralis: --bpm: got "301" (allowed: 20–300)'],
  [['render', '--bpm', '19', '--out', 'x.wav'], 'auralis: --bpm: got "19" (allowed: 20–300)'],
  [['render', '--minutes', '0', '--out', 'x.wav'], 'auralis: --minutes: got 0 (allowed: a number > 0 and at most 720)'],
  [['render', '--minutes=-2', '--out', 'x.wav'], 'auralis: --minutes: got -2 (allowed: a number > 0'],
  [['render', '--minutes', '1e9', '--out', 'x.mid'], 'auralis: --minutes: got 1000000000 (allowed: a number > 0 and at most 720)'],
  [['render', '--seconds', '-1', '--out', 'x.wav'], 'auralis: --seconds: needs a value'],
  [['render', '--style', 'jazz'], 'auralis: --out: missing (allowed: a writable path ending in .wav, .mid, .txt)'],
  [['render', '--out', 'x.flac'], 'auralis: --out: unknown extension in "x.flac" (allowed: a writable path ending in .wav, .mid, .txt)'],
  [['render', '--out', 'no/such/folder/x.wav'], 'auralis: --out: folder'],
  [['render', '--out', 'afolder.wav'], 'auralis: --out: "afolder.wav" is a folder'],
  [['render', '--bit-depth', '24', '--out', 'x.wav'], 'auralis: --bit-depth: got "24" (allowed: 16 or 32)'],
  [['render', '--sample-rate', '100', '--out', 'x.wav'], 'auralis: --sample-rate: got "100" (allowed: a whole number of Hz, 8000–384000)'],
  [['play'], 'auralis: command: unknown command "play" (allowed: render, help)'],
  [[], 'auralis: command: missing (allowed: render, help)'],
]

describe('bad arguments exit 2 with a one-line message and the usage hint', () => {
  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(tmp.dir, 'afolder.wav'), { recursive: true })
  })

  it.concurrent.each(BAD)('auralis %j', async (args, message) => {
    const r = await runBin(args, tmp.dir)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0].startsWith(message), lines[0]).toBe(true)
    expect(lines[1]).toBe(USAGE_HINT)
    expect(readdirSync(tmp.dir).filter((f) => f !== 'afolder.wav')).toEqual([])
  })
})

describe('rendering from the command line', () => {
  it('writes each format, quietly with --quiet, with plain progress lines when stderr is not a terminal', async () => {
    const { dir, remove } = tempDir()
    try {
      const [wav, mid, txt] = await Promise.all([
        runBin(['render', '--style', 'jazz', '--seed', '7', '--seconds', '3', '--out', 'jazz.wav'], dir),
        runBin(['render', '--style', 'ambient', '--seconds', '10', '--out', 'amb.mid', '--quiet'], dir),
        runBin(['render', '--style', 'jazz', '--seconds', '4', '-o', 'jazz.txt', '-q'], dir),
      ])
      expect(wav.code).toBe(0)
      expect(wav.stdout).toBe('')
      const lines = wav.stderr.trimEnd().split('\n')
      expect(lines[0]).toMatch(/^jazz\.wav: \d+% · 0:0\d of 0:03 · ([\d.]+×|–) real time · ETA /)
      expect(lines.at(-2)).toMatch(/^jazz\.wav: 100% · 0:03 of 0:03 · [\d.]+× real time · ETA 0:00$/)
      expect(lines.at(-1)).toMatch(/^wrote jazz\.wav \(576\.0 KB, 0:03 of music, \d+ sections?\) in [\d.]+ s — [\d.]+× real time$/)
      expect(readFileSync(join(dir, 'jazz.wav')).length).toBe(44 + 3 * 48000 * 4)
      expect(mid).toEqual({ code: 0, stdout: '', stderr: '' })
      expect(readFileSync(join(dir, 'amb.mid')).subarray(0, 4).toString('latin1')).toBe('MThd')
      expect(txt).toEqual({ code: 0, stdout: '', stderr: '' })
      expect(readFileSync(join(dir, 'jazz.txt'), 'utf8')).toMatch(/^# Auralis tracker text · style jazz/)
      expect(readdirSync(dir).sort()).toEqual(['amb.mid', 'jazz.txt', 'jazz.wav'])
    } finally {
      remove()
    }
  })

  it('exits 1 with a message when the render fails at run time, leaving no file', async () => {
    // /proc passes the writability check for root (W_OK) but refuses new files: a genuine write failure.
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return
    const r = await runBin(['render', '--seconds', '1', '--out', '/proc/auralis-test.txt'], tmp.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^auralis: render failed: .*auralis-test\.txt/m)
    expect(existsSync('/proc/auralis-test.txt')).toBe(false)
  })
})
