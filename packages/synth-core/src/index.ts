/**
 * @packageDocumentation
 * Renders note events to audio: a TypeScript CPU engine and WebGPU (WGSL) kernels that produce the same samples.
 */
export {}
