/// <reference types="@webgpu/types" />
/**
 * The `webgpu` and `auto` backends of `renderOffline`: picks a device (the one passed, else `navigator.gpu`'s)
 * and renders through {@link sharedGpuRenderer}, or says to stay on the CPU.
 */
import { BackendUnavailableError } from '../backend.js'
import type { OfflineOptions, RenderedAudio } from '../render.js'
import type { RenderInput } from '../timeline.js'
import { isFallbackDevice, navigatorDevice } from './adapter.js'
import { sharedGpuRenderer } from './renderer.js'

/** Which engine an offline render uses, and why. */
export interface BackendChoice {
  readonly backend: 'cpu' | 'webgpu'
  readonly reason: string
  readonly device?: GPUDevice
}

/**
 * Resolves `options.backend` for an offline render: `'webgpu'` uses `options.device` (or the browser's) even on a
 * fallback adapter, and throws {@link BackendUnavailableError} without one; `'auto'` uses WebGPU only on a
 * non-fallback adapter; anything else is the CPU.
 */
export async function chooseOfflineBackend(options: Pick<OfflineOptions, 'backend' | 'device'>): Promise<BackendChoice> {
  const { backend, device } = options
  if (backend === 'webgpu') {
    const d = device ?? (await navigatorDevice(true))
    if (!d) {
      throw new BackendUnavailableError('webgpu', 'the WebGPU backend is not available without a GPUDevice: pass options.device (in Node, from the "webgpu" package), or run where navigator.gpu has an adapter')
    }
    return { backend: 'webgpu', reason: 'requested', device: d }
  }
  if (backend === 'auto') {
    if (device) {
      return isFallbackDevice(device)
        ? { backend: 'cpu', reason: 'the device is on a fallback (software) adapter' }
        : { backend: 'webgpu', reason: 'hardware adapter', device }
    }
    const d = await navigatorDevice(false)
    return d ? { backend: 'webgpu', reason: 'hardware adapter (navigator.gpu)', device: d } : { backend: 'cpu', reason: 'no hardware WebGPU adapter' }
  }
  return { backend: 'cpu', reason: 'requested' }
}

/** Renders one input on the GPU (voices) and the CPU (effects, limiter). */
export async function renderOfflineGpu(device: GPUDevice, input: RenderInput, options: OfflineOptions): Promise<RenderedAudio> {
  const { backend: _b, device: _d, sampleRate, ...rest } = options
  const renderer = await sharedGpuRenderer(device, sampleRate ?? 48000)
  const [out] = await renderer.renderBatch([{ input, options: rest }])
  return out
}
