/// <reference types="@webgpu/types" />
/**
 * Which adapters are worth using: software adapters (SwiftShader, llvmpipe/lavapipe, WARP) render these kernels
 * slower than the CPU engine, so `backend: 'auto'` keeps the CPU there.
 */

/** The adapter facts {@link isFallbackAdapterInfo} reads (a `GPUAdapterInfo` has them all). */
export interface AdapterInfoLike {
  readonly vendor?: string
  readonly architecture?: string
  readonly device?: string
  readonly description?: string
  /** Newer implementations report the fallback flag on the info object. */
  readonly isFallbackAdapter?: boolean
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|warp/i

/** Whether adapter info describes a fallback (software) adapter. */
export function isFallbackAdapterInfo(info: AdapterInfoLike | undefined | null): boolean {
  if (!info) return true
  if (info.isFallbackAdapter === true) return true
  return [info.vendor, info.architecture, info.device, info.description].some((s) => typeof s === 'string' && SOFTWARE.test(s))
}

/**
 * Whether a device runs on a fallback adapter. A device that does not say which adapter it came from
 * (no `adapterInfo`) counts as fallback, so `'auto'` stays on the CPU when in doubt.
 */
export function isFallbackDevice(device: GPUDevice): boolean {
  const info = (device as GPUDevice & { adapterInfo?: AdapterInfoLike }).adapterInfo
  return isFallbackAdapterInfo(info)
}

let browserDevice: Promise<GPUDevice | null> | undefined

/**
 * A device from `navigator.gpu` (browsers), requested once; null where there is no WebGPU, no adapter, or —
 * unless `allowFallback` — only a fallback adapter.
 */
export function navigatorDevice(allowFallback: boolean): Promise<GPUDevice | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu
  if (!gpu) return Promise.resolve(null)
  browserDevice ??= (async () => {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
    return adapter ? adapter.requestDevice() : null
  })().catch(() => null)
  return browserDevice.then((d) => (d && (allowFallback || !isFallbackDevice(d)) ? d : null))
}
