// Packaging checks for every publishable package: publint (package.json / exports correctness) and
// @arethetypeswrong/cli (types resolve for ESM consumers). Writes one line per check for the summary.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const results = join(root, '.test-results')
mkdirSync(results, { recursive: true })
let failed = 0
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir)
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))
  if (pkg.private) continue
  for (const [tool, args] of [
    ['publint', ['exec', 'publint', '--strict']],
    ['attw', ['exec', 'attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    let ok = true
    let out = ''
    try {
      out = execFileSync('pnpm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      ok = false
      out = `${err.stdout ?? ''}${err.stderr ?? ''}`
    }
    console.log(`${ok ? '✓' : '✗'} ${tool} ${pkg.name}`)
    if (!ok) { failed++; console.log(out.trim().split('\n').map((l) => `    ${l}`).join('\n')) }
    appendFileSync(join(results, 'checks.tsv'), `${tool} ${pkg.name}\t${ok ? 'passed' : 'failed'}\n`)
  }
}
process.exit(failed ? 1 : 0)
