import type { Adsr, Preset } from '../src/index.js'

export const SR = 48000

export const adsr = (attack: number, decay: number, sustain: number, release: number): Adsr => ({ attack, decay, sustain, release })

/** A bare test preset: full gain at velocity 127, no effects sends, flat envelope unless given. */
export function testPreset(p: Partial<Preset>): Preset {
  return {
    name: 'test', description: 'test', gain: 1, velocityCurve: 1, amp: adsr(0, 0, 1, 0), pan: 0, reverb: 0, delay: 0, ...p,
  }
}
