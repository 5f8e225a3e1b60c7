/// <reference types="@webgpu/types" />
/**
 * Compiles the three WGSL kernels on a device, with explicit bind group layouts (the per-round uniform is bound
 * with a dynamic offset, which automatic layouts do not allow).
 */
import { MIX_WGSL } from './wgsl/mix.js'
import { RECURSIVE_WGSL } from './wgsl/recursive.js'
import { SOURCES_WGSL } from './wgsl/sources.js'
import { ROUND_WORDS } from './wgsl/layout.js'

/** A failure inside WebGPU (a shader that does not compile, a validation or out-of-memory error). */
export class GpuRenderError extends Error {
  override readonly name = 'GpuRenderError'
}

/** The compiled pipelines and their layouts. */
export interface Kernels {
  readonly sources: GPUComputePipeline
  readonly recursive: GPUComputePipeline
  readonly mix: GPUComputePipeline
  readonly sourcesLayout: GPUBindGroupLayout
  readonly recursiveLayout: GPUBindGroupLayout
  readonly mixLayout: GPUBindGroupLayout
}

type Kind = 'uniform' | 'read' | 'write'

function layout(device: GPUDevice, label: string, kinds: readonly Kind[]): GPUBindGroupLayout {
  return device.createBindGroupLayout({
    label,
    entries: kinds.map((kind, binding): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: kind === 'uniform'
        ? { type: 'uniform', hasDynamicOffset: true, minBindingSize: ROUND_WORDS * 4 }
        : { type: kind === 'read' ? 'read-only-storage' : 'storage' },
    })),
  })
}

async function pipeline(device: GPUDevice, label: string, code: string, entryPoint: string, bgl: GPUBindGroupLayout): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label, code })
  const info = await module.getCompilationInfo()
  const errors = info.messages.filter((m) => m.type === 'error')
  if (errors.length > 0) {
    throw new GpuRenderError(`${label}: WGSL does not compile: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`)
  }
  return device.createComputePipelineAsync({
    label, layout: device.createPipelineLayout({ label, bindGroupLayouts: [bgl] }), compute: { module, entryPoint },
  })
}

/** Compiles the kernels; WebGPU errors become {@link GpuRenderError}. */
export async function compileKernels(device: GPUDevice): Promise<Kernels> {
  device.pushErrorScope('validation')
  try {
    const sourcesLayout = layout(device, 'auralis sources', ['uniform', 'read', 'read', 'write', 'write', 'write'])
    const recursiveLayout = layout(device, 'auralis recursive', ['uniform', 'read', 'read', 'write', 'write', 'write', 'write'])
    const mixLayout = layout(device, 'auralis mix', ['uniform', 'read', 'read', 'read', 'read', 'write'])
    const [sources, recursive, mix] = await Promise.all([
      pipeline(device, 'auralis sources', SOURCES_WGSL, 'sources', sourcesLayout),
      pipeline(device, 'auralis recursive', RECURSIVE_WGSL, 'recursive', recursiveLayout),
      pipeline(device, 'auralis mix', MIX_WGSL, 'mix', mixLayout),
    ])
    return { sources, recursive, mix, sourcesLayout, recursiveLayout, mixLayout }
  } finally {
    const err = await device.popErrorScope()
    if (err) throw new GpuRenderError(`WebGPU rejected the kernels: ${err.message}`)
  }
}
