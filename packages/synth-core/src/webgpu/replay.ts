/**
 * A {@link Backend} that replays buses the GPU has already rendered: the engine schedules the same notes, calls
 * `process` block by block, and gets the GPU's voice mix instead of the CPU kernel's; effects and the limiter then
 * run on the CPU exactly as for the CPU backend.
 */
import type { Backend, VoiceBuses, VoiceProcessor } from '../backend.js'
import type { VoiceDescriptor } from '../voice/descriptor.js'
import type { StreamBuses } from './dispatch.js'

class ReplayProcessor implements VoiceProcessor {
  constructor(private readonly buses: StreamBuses) {}

  process(_voices: readonly VoiceDescriptor[], from: number, frames: number, out: VoiceBuses): void {
    const b = this.buses
    const end = Math.min(from + frames, b.frames)
    for (let f = from; f < end; f++) {
      const o = f - from
      out.dryL[o] += b.dryL[f]
      out.dryR[o] += b.dryR[f]
      out.reverb[o] += b.reverb[f]
      out.delay[o] += b.delay[f]
    }
  }

  retire(): void {}
}

/** A backend whose processors add the given pre-rendered buses (frame 0 = the render's frame 0). */
export function replayBackend(buses: StreamBuses, name = 'webgpu'): Backend {
  return { name, createProcessor: () => new ReplayProcessor(buses) }
}
