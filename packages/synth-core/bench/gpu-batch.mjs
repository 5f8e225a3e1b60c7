// `pnpm bench` (part 2): renderBatch streams-per-real-time vs batch size on the adapter at hand, with the CPU
// engine on the same streams as the baseline in the same run. Bounded by BENCH_GPU_BUDGET_MS (default 60 s):
// sizes whose predicted time would exceed what is left are reported as skipped.
// Env: BENCH_GPU_SECONDS (stream excerpt length, default 0.5), BENCH_GPU_SIZES (default 1,4,16,64),
//      VK_ICD_FILENAMES (SwiftShader here: /usr/lib/chromium/vk_swiftshader_icd.json).
import * as lib from '../dist/index.js'
import { audioSeconds, excerpts, fmt, makeStreams, timed } from './gpu-common.mjs'
import { nodeDevice } from './gpu-node.mjs'

const SECONDS = Number(process.env.BENCH_GPU_SECONDS ?? 0.5)
const BUDGET = Number(process.env.BENCH_GPU_BUDGET_MS ?? 60_000)
const SIZES = (process.env.BENCH_GPU_SIZES ?? '1,4,16,64').split(',').map(Number)
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json'

let gpu
try {
  gpu = await nodeDevice()
} catch (err) {
  console.log(`gpu-batch: skipped — ${err.message}`)
  process.exit(process.env.AURALIS_REQUIRE_WEBGPU ? 1 : 0)
}
const { device, info } = gpu
const t0 = performance.now()
const ex = await excerpts(SECONDS)
const renderer = await lib.createGpuRenderer(device)
// Warm-up (not timed): kernel compilation, JIT.
const probe = [{ input: [{ t: 0, d: 0.05, inst: 'hat', note: 42, vel: 90 }], options: { tail: 0 } }]
await renderer.renderBatch(probe)
lib.renderOfflineSync(ex.jazz, { tail: 0 })

console.log(`synth-core gpu-batch — adapter: ${info.vendor} ${info.architecture} (${info.description}; fallback ${info.isFallbackAdapter}); ` +
  `streams: ${SECONDS} s excerpts of the ambient/jazz bench scores (${ex.source}) (notes cut at the excerpt's end; pads and bells ring on) + 0.5 s tail; Node ${process.version}`)
console.log('')
console.log('| streams | audio (s) | CPU engine ms | CPU × RT | GPU voices ms | GPU voices × RT | renderBatch ms | renderBatch × RT | renderBatch ÷ CPU | rounds | submissions |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
let last = null
for (const n of SIZES) {
  const spent = performance.now() - t0
  const predicted = last ? (last.total * n) / last.n : 0
  if (spent + predicted > BUDGET) {
    console.log(`| ${n} | — | skipped: predicted ${fmt(predicted / 1000, 0)} s exceeds the budget left (${fmt((BUDGET - spent) / 1000, 0)} s of BENCH_GPU_BUDGET_MS) | | | | | | | | |`)
    continue
  }
  const streams = makeStreams(ex, n)
  const cpu = await timed(() => streams.map((s) => lib.renderOfflineSync(s.input, s.options)))
  const gb = await timed(() => renderer.renderBatch(streams))
  const stats = renderer.lastStats
  const gv = { ms: stats.gpuMs }
  const audio = audioSeconds(cpu.result)
  const rt = (ms) => (audio * 1000) / ms
  console.log(`| ${n} | ${fmt(audio)} | ${fmt(cpu.ms, 0)} | ${fmt(rt(cpu.ms))} | ${fmt(gv.ms, 0)} | ${fmt(rt(gv.ms))} | ${fmt(gb.ms, 0)} | ${fmt(rt(gb.ms))} | ${fmt(cpu.ms / gb.ms, 2)}× | ${stats.rounds} | ${stats.submissions} |`)
  last = { n, total: cpu.ms + gb.ms }
}
console.log('')
console.log('× RT = audio seconds rendered per wall-clock second, summed over the batch (streams-per-real-time).')
console.log('GPU voices = the WebGPU stage inside renderBatch (upload, voices + per-stream mix in one submission, read-back);')
console.log('renderBatch adds building the voices and each stream\'s delay/reverb/limiter on the CPU.')
console.log('On a fallback adapter backend "auto" stays on the CPU engine.')
process.exit(0)
