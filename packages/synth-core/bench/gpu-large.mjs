// For a machine with a real GPU: aggregate real-time factor of renderBatch for large batches.
// Needs only `node` and Dawn: the `webgpu` package when it resolves, else DAWN_NODE=/path/to/dawn.node; the
// library from ../dist (built here) or from the bundle gpu-pack.mjs writes (SYNTH_CORE_BUNDLE or
// .gpu-pack/synth-core.mjs). See the README's "WebGPU" section for packing Node + dawn.node for a GPU machine.
// Env: BENCH_GPU_SECONDS (excerpt length, default 8), BENCH_GPU_SIZES (default 16,64,256,1024),
//      BENCH_GPU_FULL=1 also times renderBatch with the CPU effects (single-threaded: slow for big batches),
//      BENCH_GPU_ALLOW_FALLBACK=1 runs on a software adapter too, BENCH_GPU_CPU_STREAMS (CPU baseline, default 8).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { audioSeconds, excerpts, fmt, makeStreams, streamVoices, timed } from './gpu-common.mjs'
import { nodeDevice } from './gpu-node.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const bundle = process.env.SYNTH_CORE_BUNDLE ?? here('./.gpu-pack/synth-core.mjs')
const lib = existsSync(here('../dist/index.js')) && !process.env.SYNTH_CORE_BUNDLE
  ? await import('../dist/index.js')
  : await import(pathToFileURL(bundle).href)
if (!process.env.DAWN_NODE && existsSync(here('./.gpu-pack/dawn.node'))) {
  try { await import('webgpu') } catch { process.env.DAWN_NODE = here('./.gpu-pack/dawn.node') }
}

const SECONDS = Number(process.env.BENCH_GPU_SECONDS ?? 8)
const SIZES = (process.env.BENCH_GPU_SIZES ?? '16,64,256,1024').split(',').map(Number)
const CPU_STREAMS = Number(process.env.BENCH_GPU_CPU_STREAMS ?? 8)

const { device, adapter, info } = await nodeDevice({ limits: true })
if (info.isFallbackAdapter && !process.env.BENCH_GPU_ALLOW_FALLBACK) {
  console.log(`gpu-large: the adapter is a fallback (${info.architecture}); set BENCH_GPU_ALLOW_FALLBACK=1 to run anyway`)
  process.exit(0)
}
const maxBytes = Math.min(Number(adapter.limits.maxStorageBufferBindingSize), Number(adapter.limits.maxBufferSize))
const renderer = await lib.createGpuRenderer(device, { maxScratchBytes: maxBytes, maxOutputBytes: Math.min(maxBytes, 1 << 30) })
const ex = await excerpts(SECONDS)
await renderer.renderBatch([{ input: [{ t: 0, d: 0.05, inst: 'hat', note: 42, vel: 90 }], options: { tail: 0 } }])

// CPU baseline: the engine on a few of the same streams, one core.
const cpuStreams = makeStreams(ex, CPU_STREAMS)
lib.renderOfflineSync(cpuStreams[0].input, { tail: 0 })
const cpu = await timed(() => cpuStreams.map((s) => lib.renderOfflineSync(s.input, s.options)))
const cpuRt = (audioSeconds(cpu.result) * 1000) / cpu.ms
const perStream = audioSeconds(cpu.result) / CPU_STREAMS

console.log(`synth-core gpu-large — ${info.vendor} ${info.architecture} ${info.device} (${info.description}); fallback ${info.isFallbackAdapter}; Node ${process.version}`)
console.log(`streams: ${SECONDS} s excerpts of the ambient/jazz bench scores (${ex.source}), ≈ ${fmt(perStream)} s of audio each`)
console.log(`CPU engine baseline (one core, ${CPU_STREAMS} streams): ${fmt(cpuRt)}× real time`)
console.log('')
console.log('| streams | audio (s) | voices | GPU voices ms | aggregate × RT (GPU voices) | ÷ CPU engine | renderBatch ms | aggregate × RT (renderBatch) | rounds | block | submissions |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const n of SIZES) {
  const streams = makeStreams(ex, n)
  const voices = streamVoices(lib, streams)
  const audio = perStream * n
  let gv
  try {
    gv = await timed(() => renderer.renderBuses(voices))
  } catch (err) {
    console.log(`| ${n} | ${fmt(audio)} | ${voices.flat().length} | failed: ${err.message} | | | | | | | |`)
    break
  }
  const st = renderer.lastStats
  const rt = (audio * 1000) / gv.ms
  let full = { ms: NaN }
  if (process.env.BENCH_GPU_FULL) full = await timed(() => renderer.renderBatch(streams))
  console.log(`| ${n} | ${fmt(audio)} | ${st.voices} | ${fmt(gv.ms, 0)} | ${fmt(rt, 0)} | ${fmt(rt / cpuRt, 1)}× | ${fmt(full.ms, 0)} | ${fmt((audio * 1000) / full.ms, 0)} | ${st.rounds} | ${st.block} | ${st.submissions} |`)
}
process.exit(0)
