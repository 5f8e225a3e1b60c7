// Bench scores: 60 s ambient and 60 s jazz. From @auralis/composition's createComposer when it is built,
// else from the small seeded generators below (similar density: 4–8 voices and drums).

/** Sections covering at least `seconds` from a composer. */
function fromComposer(createComposer, style, seconds) {
  const composer = createComposer({
    style, seed: 7, key: 'C', mode: style === 'jazz' ? 'dorian' : 'ionian', bpm: style === 'jazz' ? 140 : 76, intensity: 0.6,
  })
  const sections = []
  let end = 0
  while (end < seconds) {
    const s = composer.next()
    sections.push(s)
    end = s.startTime + (s.bars * s.beatsPerBar * 60) / s.bpm
  }
  return sections
}

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function section(index, startTime, bpm, events, style) {
  events.sort((a, b) => a.t - b.t)
  return {
    index, startTime, bar: index * 2, bpm, bars: 2, beatsPerBar: 4, key: 'C', mode: 'dorian', style, intensity: 0.6,
    swing: style === 'jazz' ? 0.67 : 0.5, chords: [], events, source: 'algorithmic',
  }
}

/** A fallback generator: ambient pads/bass/lead/bell/kick/hat/swell. */
function ownAmbient(seconds) {
  const rnd = mulberry32(7)
  const bpm = 76
  const beat = 60 / bpm
  const secLen = 8 * beat
  const chords = [[48, 55, 60, 64], [45, 52, 57, 60], [41, 48, 53, 57], [43, 50, 55, 59]]
  const out = []
  for (let i = 0; i * secLen < seconds; i++) {
    const ch = chords[i % 4]
    const ev = []
    for (const n of ch) ev.push({ t: 0, d: secLen * 0.95, inst: 'pad', note: n, vel: 70 })
    ev.push({ t: 0, d: 4 * beat, inst: 'bass', note: ch[0] - 12, vel: 90 }, { t: 4 * beat, d: 4 * beat, inst: 'bass', note: ch[0] - 12, vel: 80 })
    for (let b = 0; b < 8; b++) {
      if (rnd() < 0.45) ev.push({ t: b * beat, d: beat * (1 + Math.floor(rnd() * 2)), inst: 'lead', note: ch[Math.floor(rnd() * 4)] + 12, vel: 60 + Math.floor(rnd() * 40) })
      if (b % 4 === 0) ev.push({ t: b * beat, d: 0.2, inst: 'kick', note: 36, vel: 90 })
      if (rnd() < 0.5) ev.push({ t: (b + 0.5) * beat, d: 0.1, inst: 'hat', note: 42, vel: 50 })
    }
    if (i % 2 === 1) ev.push({ t: 2 * beat, d: 2 * beat, inst: 'bell', note: ch[3] + 24, vel: 70 })
    if (i % 4 === 3) ev.push({ t: 4 * beat, d: 4 * beat * 0.95, inst: 'swell', note: 49, vel: 80 })
    out.push(section(i, i * secLen, bpm, ev, 'ambient'))
  }
  return out
}

/** A fallback generator: jazz quartet (walking bass, piano comping, sax, ride/hat/kick/snare). */
function ownJazz(seconds) {
  const rnd = mulberry32(11)
  const bpm = 140
  const beat = 60 / bpm
  const secLen = 8 * beat
  const chords = [[50, 53, 57, 60], [43, 47, 50, 53], [48, 52, 55, 59], [45, 48, 52, 55]]
  const out = []
  for (let i = 0; i * secLen < seconds; i++) {
    const ch = chords[i % 4]
    const ev = []
    for (let b = 0; b < 8; b++) {
      ev.push({ t: b * beat, d: beat * 0.9, inst: 'bass', note: ch[b % 4] - 12, vel: 85 })
      ev.push({ t: b * beat, d: 0.3, inst: 'ride', note: 51, vel: 70 })
      if (b % 2 === 1) ev.push({ t: b * beat, d: 0.1, inst: 'hat', note: 42, vel: 60 })
      if (rnd() < 0.3) ev.push({ t: (b + 0.67) * beat, d: 0.3, inst: 'ride', note: 51, vel: 55 })
      if (rnd() < 0.35) for (const n of ch) ev.push({ t: (b + (rnd() < 0.5 ? 0 : 0.67)) * beat, d: beat * 0.8, inst: 'piano', note: n + 12, vel: 60 + Math.floor(rnd() * 30) })
      if (rnd() < 0.6) ev.push({ t: (b + (rnd() < 0.5 ? 0 : 0.67)) * beat, d: beat * 0.6, inst: 'sax', note: 62 + Math.floor(rnd() * 12), vel: 70 + Math.floor(rnd() * 40) })
      if (rnd() < 0.2) ev.push({ t: (b + 0.67) * beat, d: 0.15, inst: 'snare', note: 38, vel: 50 })
      if (b % 4 === 0 && rnd() < 0.5) ev.push({ t: b * beat, d: 0.2, inst: 'kick', note: 36, vel: 70 })
    }
    out.push(section(i, i * secLen, bpm, ev, 'jazz'))
  }
  return out
}

/** Loads the two bench scores. */
export async function loadScores(seconds = 60) {
  try {
    const mod = await import('@auralis/composition')
    if (typeof mod.createComposer !== 'function') throw new Error('no createComposer')
    return {
      source: '@auralis/composition createComposer (seed 7)',
      ambient: fromComposer(mod.createComposer, 'ambient', seconds),
      jazz: fromComposer(mod.createComposer, 'jazz', seconds),
    }
  } catch (err) {
    return { source: `built-in generators (composition unavailable: ${err.message})`, ambient: ownAmbient(seconds), jazz: ownJazz(seconds) }
  }
}
