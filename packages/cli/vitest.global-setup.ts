import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = import.meta.dirname

function newestSource(dir: string): number {
  let newest = 0
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name)
    newest = Math.max(newest, d.isDirectory() ? newestSource(p) : d.name.endsWith('.test.ts') ? 0 : statSync(p).mtimeMs)
  }
  return newest
}

/** Builds dist/ when it is missing or older than src/ (the bin tests run the built executable). */
export default function setup(): void {
  const bin = join(root, 'dist', 'bin.js')
  if (existsSync(bin) && statSync(bin).mtimeMs >= newestSource(join(root, 'src'))) return
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
}
