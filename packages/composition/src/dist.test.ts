import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const dist = join(root, 'dist')

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name), ext) : ext.test(d.name) ? [join(dir, d.name)] : [])
}

describe('randomness comes only from the seeded PRNG', () => {
  it('the built dist (run `pnpm build` first) never mentions Math.random', () => {
    expect(existsSync(join(dist, 'index.js')), 'dist/index.js missing: build before testing').toBe(true)
    const built = files(dist, /\.js$/)
    expect(built.length).toBeGreaterThan(0)
    for (const f of built) expect(readFileSync(f, 'utf8').includes('Math.random'), f).toBe(false)
  })

  it('no source file calls Math.random', () => {
    for (const f of files(join(root, 'src'), /\.ts$/)) {
      if (f.endsWith('dist.test.ts')) continue
      expect(/Math\.random\s*\(/.test(readFileSync(f, 'utf8')), f).toBe(false)
    }
  })
})
