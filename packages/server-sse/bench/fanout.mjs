#!/usr/bin/env node
// Fan-out bench: N SSE listeners × a section-like event rate on loopback, the load client in separate
// processes, for @auralis/server-sse and better-sse side by side. Prints progress, then a table.
//
//   node bench/fanout.mjs [--steps 1000,2000,5000,10000,20000] [--rate 2] [--size 3000] [--seconds 10]
//                         [--impls hub,better-sse] [--repeat 1] [--json out.json] [--verbose]
//
// Each trial is a fresh server process and fresh load-client processes (at most 9,900 connections each):
// connect all N, publish `rate` messages/s of `size` bytes for `seconds`, wait a grace second, then collect
// delivered %, lag percentiles (receive time − publish time carried in the payload), server CPU and RSS.
// File descriptors: a step larger than the hard `ulimit -n` allows (minus a margin) is capped, and said so.
// With --repeat R, each (implementation, N) runs R times, interleaved (the order alternates), and the table
// keeps the trial with the median p99 — loopback figures move with whatever else the machine is doing.
import { execSync, fork } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
if (!existsSync(join(here, '../dist/index.js'))) {
  console.error('bench: build the package first (pnpm --filter @auralis/server-sse build, or pnpm bench at the root)')
  process.exit(1)
}
const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const steps = opt('steps', '1000,2000,5000,10000,20000').split(',').map(Number)
const rate = Number(opt('rate', '2'))
const size = Number(opt('size', '3000'))
const seconds = Number(opt('seconds', '10'))
const impls = opt('impls', 'hub,better-sse').split(',')
const repeat = Number(opt('repeat', '1'))
const jsonOut = opt('json', undefined)
const verbose = args.includes('--verbose')
const GRACE_MS = 1500
const PER_LOADER = 9900

function hardFdLimit() {
  try {
    const out = execSync('ulimit -Hn', { shell: '/bin/sh', encoding: 'utf8' }).trim()
    return out === 'unlimited' ? Infinity : Number(out)
  } catch {
    return Infinity
  }
}
const fdLimit = hardFdLimit()
const maxClients = fdLimit - 100

/** Forks a node script with the soft fd limit raised to the hard one. */
function spawn(script, scriptArgs) {
  return fork(join(here, script), scriptArgs, {
    execPath: '/bin/sh',
    execArgv: ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

const once = (child, type) =>
  new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.type !== type) return
      child.off('message', onMessage)
      resolve(msg)
    }
    child.on('message', onMessage)
    child.once('exit', (code) => reject(new Error(`${type}: process exited (${code})`)))
  })

const status = (text) => {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${text}`)
  else console.log(text)
}

function percentile(hist, total, p) {
  let seen = 0
  const target = total * p
  for (const [bucket, n] of hist) {
    seen += n
    if (seen >= target) return bucket / 10
  }
  return NaN
}

async function trial(impl, n) {
  const label = `${impl.padEnd(10)} N=${String(n).padStart(6)}`
  const server = spawn('server.mjs', [impl])
  const { port } = await once(server, 'listening')
  const loaders = []
  for (let left = n; left > 0; left -= PER_LOADER) loaders.push(spawn('loader.mjs', [String(port), String(Math.min(PER_LOADER, left))]))
  const progress = new Map()
  for (const [i, l] of loaders.entries()) {
    l.on('message', (msg) => {
      if (msg.type !== 'progress') return
      progress.set(i, msg.connected)
      const total = [...progress.values()].reduce((a, b) => a + b, 0)
      status(`${label}  connecting ${total}/${n}`)
    })
  }
  const connectStart = Date.now()
  const done = await Promise.all(loaders.map((l) => once(l, 'connected')))
  const failed = done.reduce((a, d) => a + d.failed, 0)
  // Wait for the server to count them all (better-sse registers after an await).
  let clients = 0
  for (let i = 0; i < 100; i++) {
    server.send({ type: 'count' })
    clients = (await once(server, 'count')).clients
    if (clients >= n - failed) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const connectS = (Date.now() - connectStart) / 1000
  status(`${label}  ${clients} connected in ${connectS.toFixed(1)} s; warming up`)
  server.send({ type: 'warmup', count: 2, rate, size })
  const { nextSeq } = await once(server, 'warmed')
  // Every load client must have reset its counters before the first measured message exists.
  for (const l of loaders) l.send({ type: 'reset', firstSeq: nextSeq })
  await Promise.all(loaders.map((l) => once(l, 'reset-done')))
  const load0 = os.loadavg()[0]
  server.on('message', (msg) => {
    if (msg.type === 'progress') status(`${label}  ${clients} connected in ${connectS.toFixed(1)} s; publishing ${msg.published}/${msg.total}`)
  })
  server.send({ type: 'run', rate, size, seconds, graceMs: GRACE_MS })
  const result = await once(server, 'result')
  // Frames the hub still holds for clients that read slowly (the machine may be busy) are not lost: wait.
  for (let i = 0; i < 300; i++) {
    server.send({ type: 'count' })
    if (!((await once(server, 'count')).queuedBytes > 0)) break
    await new Promise((r) => setTimeout(r, 100))
  }
  for (const l of loaders) l.send({ type: 'report', published: result.published })
  const reports = await Promise.all(loaders.map((l) => once(l, 'report')))
  server.send({ type: 'diag' })
  const diag = await once(server, 'diag')
  server.kill('SIGKILL')
  for (const l of loaders) l.kill('SIGKILL')
  await new Promise((r) => setTimeout(r, 500))

  const merged = new Map()
  for (const r of reports) for (const [b, c] of r.hist) merged.set(b, (merged.get(b) ?? 0) + c)
  const hist = [...merged.entries()].sort((a, b) => a[0] - b[0])
  const received = reports.reduce((a, r) => a + r.received, 0)
  const expected = n * result.published
  const fan = [...result.fanoutMs].sort((a, b) => a - b)
  const row = {
    impl,
    n,
    connected: clients,
    connectFailed: failed,
    connectS,
    published: result.published,
    deliveredPct: (received / expected) * 100,
    complete: reports.reduce((a, r) => a + r.complete, 0),
    outOfOrder: reports.reduce((a, r) => a + r.outOfOrder, 0),
    p50: percentile(hist, received, 0.5),
    p99: percentile(hist, received, 0.99),
    max: hist.length ? hist[hist.length - 1][0] / 10 : NaN,
    fanoutP50Ms: fan[Math.floor(fan.length / 2)],
    serverCpuPct: result.cpuPct,
    // Server CPU per message per client (publishing, fan-out, and the idle tail of the window).
    cpuUsPerWrite: (result.cpuMs * 1000) / (n * result.published),
    rssStartMb: result.rssStartMb,
    rssMaxMb: result.rssMaxMb,
    loaderCpuPct: reports.reduce((a, r) => a + r.cpuMs / r.wallMs, 0) * 100,
    drainMs: result.drainMs,
    droppedSlowClients: result.hubStats?.droppedSlowClients,
    // Server context switches during the run: [voluntary, involuntary (preempted)].
    contextSwitches: result.switches,
    loadAvg: [load0, os.loadavg()[0]],
  }
  if (verbose) {
    console.log(`\n  server context switches (voluntary, preempted): ${row.contextSwitches?.join(', ') ?? 'n/a'}`)
    const maxLag = result.fanoutMs.map((_, i) => Math.max(...reports.map((r) => r.perSeqMax[result.firstSeq + i] ?? NaN)))
    console.log(`\n  fan-out ms per message: ${result.fanoutMs.map((v) => v.toFixed(0)).join(' ')}`)
    console.log(`  max lag ms per message: ${maxLag.map((v) => v.toFixed(0)).join(' ')}`)
  }
  row.ok = row.complete === n && row.outOfOrder === 0 && row.p99 < 100
  if (row.complete < n || row.outOfOrder > 0 || row.droppedSlowClients) {
    console.log(
      `\n  ${n - row.complete} listeners missed messages; ${row.outOfOrder} out of order; ` +
        `dropped as slow by the hub: ${row.droppedSlowClients ?? 'n/a'}; ` +
        `hub delivered ${diag.stats?.delivered ?? 'n/a'}, fan-outs queued ${diag.jobs ?? 'n/a'}, clients waiting for drain ${diag.waiting ?? 'n/a'}`,
    )
  }
  status('')
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K')
  console.log(
    `${label}  delivered ${row.deliveredPct.toFixed(2)}%  p50 ${row.p50.toFixed(1)} ms  p99 ${row.p99.toFixed(1)} ms  max ${row.max.toFixed(1)} ms  ` +
      `server CPU ${row.serverCpuPct.toFixed(1)}%  RSS ${row.rssMaxMb.toFixed(0)} MB  fan-out ${row.fanoutP50Ms.toFixed(1)} ms  ` +
      `load client CPU ${row.loaderCpuPct.toFixed(0)}%  load avg ${row.loadAvg.map((v) => v.toFixed(1)).join('→')}  ${row.ok ? 'OK' : 'MISSED'}`,
  )
  return row
}

console.log(
  `fan-out bench: ${rate} msg/s × ${size} B for ${seconds} s; ${os.cpus().length} cores (${os.cpus()[0]?.model?.trim()}); ` +
    `node ${process.version}; fd hard limit ${fdLimit}`,
)
const trials = []
const rows = []
let flip = false
for (const requested of steps) {
  const n = Math.min(requested, maxClients)
  if (n < requested) console.log(`  N=${requested} capped to ${n}: the hard file-descriptor limit is ${fdLimit} per process`)
  for (let r = 0; r < repeat; r++) {
    for (const impl of flip ? [...impls].reverse() : impls) trials.push(await trial(impl, n))
    flip = !flip
  }
  for (const impl of impls) {
    const mine = trials.filter((t) => t.impl === impl && t.n === n).sort((a, b) => a.p99 - b.p99)
    rows.push({ ...mine[Math.floor((mine.length - 1) / 2)], trials: mine.length })
  }
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '–')
console.log(`\n${repeat > 1 ? `median-p99 trial of ${repeat} per row` : 'one trial per row'}; server CPU in % of one core`)
console.log('| N | impl | delivered | p50 lag | p99 lag | max lag | server CPU | CPU/write | server RSS | fan-out/msg | ok |')
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for (const r of rows) {
  console.log(
    `| ${r.n} | ${r.impl} | ${fmt(r.deliveredPct, 2)}% | ${fmt(r.p50)} ms | ${fmt(r.p99)} ms | ${fmt(r.max)} ms | ` +
      `${fmt(r.serverCpuPct)}% | ${fmt(r.cpuUsPerWrite)} µs | ${fmt(r.rssMaxMb, 0)} MB | ${fmt(r.fanoutP50Ms)} ms | ${r.ok ? 'yes' : 'no'} |`,
  )
}
if (impls.length > 1) {
  console.log(`\nratios (${impls[1]} / ${impls[0]}), same N:`)
  for (const n of new Set(rows.map((r) => r.n))) {
    const a = rows.find((r) => r.n === n && r.impl === impls[0])
    const b = rows.find((r) => r.n === n && r.impl === impls[1])
    if (!a || !b) continue
    console.log(
      `  N=${n}: server CPU ×${fmt(b.cpuUsPerWrite / a.cpuUsPerWrite, 2)}, p99 lag ×${fmt(b.p99 / a.p99, 2)}, ` +
        `fan-out time ×${fmt(b.fanoutP50Ms / a.fanoutP50Ms, 2)}, RSS ×${fmt(b.rssMaxMb / a.rssMaxMb, 2)}`,
    )
  }
}
for (const impl of impls) {
  const best = rows.filter((r) => r.impl === impl && r.ok).reduce((m, r) => Math.max(m, r.n), 0)
  console.log(`largest N with every message delivered and p99 < 100 ms, ${impl}: ${best || 'none'}`)
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rate, size, seconds, repeat, cores: os.cpus().length, rows, trials }, null, 2))
