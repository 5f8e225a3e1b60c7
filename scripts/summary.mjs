// Prints one summary of a test run: vitest results per package, package checks, and the other steps.
// The last line is `N passed, N failed` (with `, N skipped` when some were skipped).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const rows = []
let passed = 0, failed = 0, skipped = 0

for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(join(root, group)).sort()) {
    const pj = join(root, group, dir, 'package.json')
    if (!existsSync(pj)) continue
    const pkg = JSON.parse(readFileSync(pj, 'utf8'))
    if (!pkg.scripts?.test) continue
    const file = join(root, group, dir, '.vitest-result.json')
    if (!existsSync(file)) { rows.push([pkg.name, 'no result (crashed or not run)', 0, 1, 0]); failed++; continue }
    const r = JSON.parse(readFileSync(file, 'utf8'))
    const p = r.numPassedTests ?? 0
    // Failed tests, plus test files that failed without running a test (e.g. an import error).
    const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length
    const f = (r.numFailedTests ?? 0) + brokenFiles
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
    passed += p; failed += f; skipped += s
    rows.push([pkg.name, `${r.numTotalTestSuites ?? 0} suites`, p, f, s])
  }
}
const tsv = (name) => {
  const f = join(root, '.test-results', name)
  return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t')) : []
}
for (const [name, status] of tsv('checks.tsv')) {
  rows.push([name, 'package check', status === 'passed' ? 1 : 0, status === 'passed' ? 0 : 1, 0])
  status === 'passed' ? passed++ : failed++
}
for (const [name, status, secs] of tsv('steps.tsv')) {
  if (name === 'tests' || name === 'package checks') continue // counted above, test by test
  rows.push([name, `step (${secs} s)`, status === 'passed' ? 1 : 0, status === 'passed' ? 0 : 1, 0])
  status === 'passed' ? passed++ : failed++
}
const w = Math.max(...rows.map((r) => r[0].length), 10)
console.log('\n' + '═'.repeat(w + 44))
console.log(`${'suite'.padEnd(w)}  ${'kind'.padEnd(22)} passed failed skipped`)
for (const [n, k, p, f, s] of rows) {
  console.log(`${n.padEnd(w)}  ${k.padEnd(22)} ${String(p).padStart(6)} ${String(f).padStart(6)} ${String(s).padStart(7)}${f ? '  ✗' : ''}`)
}
console.log('═'.repeat(w + 44))
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)
