// Bench helper: a WebGPU device in plain Node. Dawn comes from the `webgpu` package when it resolves, else from
// DAWN_NODE (a path to dawn.node, e.g. one packed by gpu-pack.mjs). When the system has no Vulkan loader
// (libvulkan.so.1), the one beside VK_ICD_FILENAMES's driver (Chromium ships one) is loaded first.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const SYSTEM_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1', '/usr/lib/libvulkan.so.1', '/usr/local/lib/libvulkan.so.1']

function preloadVulkanLoader() {
  if (SYSTEM_LOADERS.some((p) => existsSync(p))) return
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES ?? ''
  const candidates = icd.split(':').filter(Boolean).map((f) => join(dirname(f), 'libvulkan.so.1'))
  candidates.push('/usr/lib/chromium/libvulkan.so.1')
  const loader = candidates.find((p) => existsSync(p))
  if (!loader) return
  try { process.dlopen({ exports: {} }, loader, 0x2 | 0x100 | 0x1000) } catch { /* not an addon: loaded all the same */ }
}

/** { device, adapter, info } or throws with the reason. The GPU object stays referenced on globalThis. */
export async function nodeDevice({ powerPreference = 'high-performance', limits = false } = {}) {
  preloadVulkanLoader()
  let dawn
  if (process.env.DAWN_NODE) {
    dawn = createRequire(import.meta.url)(process.env.DAWN_NODE)
  } else {
    dawn = await import('webgpu')
  }
  Object.assign(globalThis, dawn.globals)
  const gpu = dawn.create([])
  globalThis.__auralisDawn = gpu
  const adapter = await gpu.requestAdapter({ powerPreference })
  if (!adapter) throw new Error(`no WebGPU adapter (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'})`)
  const requiredLimits = limits
    ? { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize }
    : undefined
  const device = await adapter.requestDevice(requiredLimits ? { requiredLimits } : undefined)
  const i = adapter.info
  return { device, adapter, info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter } }
}
