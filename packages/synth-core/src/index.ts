/**
 * @packageDocumentation
 * `@auralis/synth-core` renders Auralis note events and sections to audio. The CPU engine (TypeScript) is
 * the reference: band-limited oscillators, FM, Karplus–Strong, noise, ADSR with exponential segments, a
 * state-variable filter, a preset per instrument id, reverb, tempo-synced delay and a look-ahead limiter.
 * Voices are plain-number descriptors with per-frame closed-form math, so WebGPU kernels can reproduce the
 * samples: {@link createGpuRenderer} renders many streams' voices in one WebGPU submission, and
 * `renderOffline(input, { backend: 'webgpu' | 'auto', device })` uses it.
 */
export { renderOffline, renderOfflineSync, createStreamRenderer, renderNote } from './render.js'
export type { RenderedAudio, OfflineOptions, StreamOptions, StreamRenderer } from './render.js'
export { encodeWav, type WavOptions } from './wav.js'
export { Engine, type EngineOptions, type EffectsOptions } from './engine.js'
export {
  cpuBackend, resolveBackend, BackendUnavailableError,
  type Backend, type BackendKind, type VoiceBuses, type VoiceProcessor,
} from './backend.js'
export { PRESETS, getPreset, type Preset, type Adsr, type Waveform, type FilterMode } from './presets.js'
export { toTimeline, isSectionInput, type RenderInput, type Timeline, type TimedNote, type TempoChange } from './timeline.js'
export { buildVoice, voiceSeed, METAL_RATIOS, type NoteSpec, type BuildContext } from './voice/build.js'
export {
  WAVE, FILTER_MODE, VOICE_FLAG, PHASE_SLOTS, SLOT_B, SLOT_FM_MOD, SLOT_FM_CAR, SLOT_LFO, SLOT_METAL, METAL_COUNT,
  MAX_UNISON, VOICE_FIELDS, VOICE_OFFSETS, VOICE_WORDS, VOICE_STRUCT_WGSL, packVoices, unpackVoices,
  type VoiceDescriptor, type FieldDef, type FieldType,
} from './voice/descriptor.js'
export { CpuVoice, MAX_BLOCK, KS_NOISE_SALT, ampEnvelope, filterEnvelope } from './voice/kernel.js'
export { envelopeAt, heldLevelAt, envelopeLength, EnvelopeState, type EnvelopeFrames } from './voice/envelope.js'
export { Svf, type SvfMode } from './dsp/svf.js'
export { FdnReverb, type ReverbOptions } from './dsp/reverb.js'
export { PingPongDelay, type DelayOptions } from './dsp/delay.js'
export { LookaheadLimiter, type LimiterOptions } from './dsp/limiter.js'
export {
  ATTACK_CURVE, DECAY_CURVE, CONTROL_INTERVAL, FLUSH, pcgHash, noiseAt, polyBlep, sinU32, sinCycles,
  midiToHz, phaseInc, dbToGain, gainToDb,
} from './dsp/math.js'
export {
  createGpuRenderer, type GpuRenderer, type GpuRendererOptions, type BatchStream, type BatchStreamOptions,
} from './webgpu/renderer.js'
export type { StreamBuses, BatchStats, DispatchLimits } from './webgpu/dispatch.js'
export { GpuRenderError } from './webgpu/kernels.js'
export { BatchTooLargeError } from './webgpu/plan.js'
export { chooseOfflineBackend, type BackendChoice } from './webgpu/offline.js'
export { isFallbackAdapterInfo, isFallbackDevice, type AdapterInfoLike } from './webgpu/adapter.js'
export { SOURCES_WGSL } from './webgpu/wgsl/sources.js'
export { RECURSIVE_WGSL } from './webgpu/wgsl/recursive.js'
export { MIX_WGSL } from './webgpu/wgsl/mix.js'
