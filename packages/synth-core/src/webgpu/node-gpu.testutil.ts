/// <reference types="@webgpu/types" />
/**
 * Test and bench helper (not part of the package's API): a WebGPU device in Node from the `webgpu` package
 * (Dawn). With `VK_ICD_FILENAMES` pointing at Chromium's SwiftShader ICD, Dawn needs a Vulkan loader; when the
 * system has none (`libvulkan.so.1`), the one Chromium ships beside the ICD is loaded first (RTLD_GLOBAL |
 * RTLD_NODELETE), so Dawn's `dlopen("libvulkan.so.1")` finds it by soname.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'

/** A device, or why there is none. */
export type NodeGpu =
  | { readonly ok: true; readonly device: GPUDevice; readonly adapter: GPUAdapter; readonly info: GPUAdapterInfo }
  | { readonly ok: false; readonly reason: string }

const SYSTEM_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1', '/usr/local/lib/libvulkan.so.1',
]

/** Loads a Vulkan loader that sits beside the ICD's driver when the system has none. Returns what it did. */
export function preloadVulkanLoader(): string {
  if (SYSTEM_LOADERS.some((p) => existsSync(p))) return 'system Vulkan loader'
  const icd = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES
  const candidates: string[] = []
  for (const file of (icd ?? '').split(':').filter(Boolean)) {
    candidates.push(join(dirname(file), 'libvulkan.so.1'))
    try {
      const lib = (JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: string } }).ICD?.library_path
      if (lib) candidates.push(join(isAbsolute(lib) ? dirname(lib) : join(dirname(file), dirname(lib)), 'libvulkan.so.1'))
    } catch {
      // an unreadable ICD file: Dawn will report it
    }
  }
  candidates.push('/usr/lib/chromium/libvulkan.so.1')
  const loader = candidates.find((p) => existsSync(p))
  if (!loader) return 'no Vulkan loader found'
  try {
    // RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE: stays loaded although it is not a Node addon.
    process.dlopen({ exports: {} } as NodeJS.Module, loader, 0x2 | 0x100 | 0x1000)
  } catch {
    // "Module did not self-register" is expected: the library is loaded all the same.
  }
  return `preloaded ${loader}`
}

/** Requests a device through the `webgpu` package; keeps its GPU object on globalThis for the whole process. */
export async function nodeGpu(): Promise<NodeGpu> {
  const g = globalThis as { __auralisNodeGpu?: Promise<NodeGpu> }
  g.__auralisNodeGpu ??= (async (): Promise<NodeGpu> => {
    const loader = preloadVulkanLoader()
    let mod: { create: (flags: string[]) => GPU; globals: object }
    try {
      mod = (await import('webgpu')) as unknown as typeof mod
    } catch (err) {
      return { ok: false, reason: `the "webgpu" package does not load: ${(err as Error).message}` }
    }
    Object.assign(globalThis, mod.globals)
    const gpu = mod.create([])
    ;(globalThis as { __auralisDawn?: GPU }).__auralisDawn = gpu // dropping it aborts the process at exit
    const adapter = await gpu.requestAdapter()
    if (!adapter) {
      return {
        ok: false,
        reason: `no WebGPU adapter (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'}; ${loader}); ` +
          'set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json with Debian\'s chromium installed',
      }
    }
    const device = await adapter.requestDevice()
    return { ok: true, device, adapter, info: adapter.info }
  })()
  return g.__auralisNodeGpu
}

/** Whether a missing adapter must fail the tests (CI, or AURALIS_REQUIRE_WEBGPU set). */
export function webgpuRequired(): boolean {
  return Boolean(process.env.CI || process.env.AURALIS_REQUIRE_WEBGPU)
}
