/**
 * Messages parsed and encoded per second, against bare JSON.parse / JSON.stringify in the same run.
 * `pnpm bench` (vitest bench) prints ops/s per line and, per group, how many times faster the fastest is.
 * At the end it also prints "ours / bare" throughput ratios measured interleaved (A, B, B, A, … in short
 * slices, median over the slices), which stay stable on a busy machine where sequential groups drift.
 */
import { afterAll, bench, describe } from 'vitest'
import { sampleAudio, sampleHello, sampleSection } from '../src/fixtures.test-util.js'
import {
  audioMessageToChunk,
  decodeAudioFrame,
  decodeWsText,
  encodeAudioFrame,
  encodeSseMessage,
  encodeSseMessageBuffer,
  encodeWsText,
  parseMessage,
  type ServerMessage,
} from '../src/index.js'

const section: ServerMessage = { type: 'section', data: sampleSection() } // 60 note events, ~3.8 KB of JSON
const hello: ServerMessage = { type: 'hello', data: sampleHello() }
const audio: ServerMessage = { type: 'audio', data: sampleAudio() }
const sectionJson = JSON.stringify(section)
const helloJson = JSON.stringify(hello)
const audioJson = JSON.stringify(audio)
const sectionWs = encodeWsText(section, 41)
const audioFrame = encodeAudioFrame(audioMessageToChunk(sampleAudio()), 2055)

let sink: unknown
const opts = { time: 2000, warmupTime: 500 }

describe('parse section (60 events)', () => {
  bench('JSON.parse (bare)', () => { sink = JSON.parse(sectionJson) }, opts)
  bench('parseMessage (JSON text)', () => { sink = parseMessage(sectionJson) }, opts)
  bench('decodeWsText', () => { sink = decodeWsText(sectionWs) }, opts)
})

describe('parse hello', () => {
  bench('JSON.parse (bare)', () => { sink = JSON.parse(helloJson) }, opts)
  bench('parseMessage (JSON text)', () => { sink = parseMessage(helloJson) }, opts)
})

describe('encode section (60 events)', () => {
  bench('JSON.stringify (bare)', () => { sink = JSON.stringify(section) }, opts)
  bench('encodeSseMessage', () => { sink = encodeSseMessage(section, 41) }, opts)
  bench('encodeSseMessageBuffer', () => { sink = encodeSseMessageBuffer(section, 41) }, opts)
  bench('encodeSseMessage { validate: true }', () => { sink = encodeSseMessage(section, 41, { validate: true }) }, opts)
})

describe('encode hello', () => {
  bench('JSON.stringify (bare)', () => { sink = JSON.stringify(hello) }, opts)
  bench('encodeSseMessage', () => { sink = encodeSseMessage(hello, 1) }, opts)
})

describe('audio chunk (100 ms Opus, 810 bytes)', () => {
  bench('JSON.parse (bare, base64 in JSON)', () => { sink = JSON.parse(audioJson) }, opts)
  bench('parseMessage + base64 decode', () => { sink = audioMessageToChunk((parseMessage(audioJson) as Extract<ServerMessage, { type: 'audio' }>).data) }, opts)
  bench('decodeAudioFrame (binary)', () => { sink = decodeAudioFrame(audioFrame) }, opts)
})

/** Operations per second of `fn` over about `ms` milliseconds. */
function opsPerSecond(fn: () => void, ms: number): number {
  let n = 0
  const start = performance.now()
  let now = start
  while (now - start < ms) {
    for (let i = 0; i < 20; i++) fn()
    n += 20
    now = performance.now()
  }
  return (n * 1000) / (now - start)
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Interleaved A/B comparison: median ops/s of each and the median of the per-slice ratios ours / bare. */
function compare(name: string, bare: () => void, ours: () => void, slices = 21, ms = 60) {
  for (let i = 0; i < 2000; i++) (bare(), ours()) // warm up both
  const b: number[] = []
  const o: number[] = []
  const r: number[] = []
  for (let i = 0; i < slices; i++) {
    let bb: number
    let oo: number
    if (i % 2 === 0) {
      bb = opsPerSecond(bare, ms)
      oo = opsPerSecond(ours, ms)
    } else {
      oo = opsPerSecond(ours, ms)
      bb = opsPerSecond(bare, ms)
    }
    b.push(bb)
    o.push(oo)
    r.push(oo / bb)
  }
  return { name, bare: median(b), ours: median(o), ratio: median(r) }
}

afterAll(() => {
  const rows = [
    compare('parse section: parseMessage / JSON.parse', () => { sink = JSON.parse(sectionJson) }, () => { sink = parseMessage(sectionJson) }),
    compare('parse hello: parseMessage / JSON.parse', () => { sink = JSON.parse(helloJson) }, () => { sink = parseMessage(helloJson) }),
    compare('encode section: encodeSseMessage / JSON.stringify', () => { sink = JSON.stringify(section) }, () => { sink = encodeSseMessage(section, 41) }),
    compare('encode hello: encodeSseMessage / JSON.stringify', () => { sink = JSON.stringify(hello) }, () => { sink = encodeSseMessage(hello, 1) }),
  ]
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11)
  console.log('\nThroughput, interleaved (messages/s; ratio = ours / bare, higher is better, 1 = as fast as bare JSON):')
  for (const { name, bare, ours, ratio } of rows) console.log(`  ${name.padEnd(52)} bare ${fmt(bare)}  ours ${fmt(ours)}  ratio ${ratio.toFixed(2)}`)
})

export { sink }
