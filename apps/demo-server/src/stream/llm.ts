import type { LlmSectionSource } from '@auralis/composition'
import { createLlmSectionSource } from '@auralis/composition'
import type { LlmConfig } from '@auralis/protocol'

/** How long one LLM request may take before the source retries or gives up. */
const PROVIDER_TIMEOUT_MS = 8000

/**
 * Builds the LLM section source of a session. The key stays inside the source object (never logged,
 * serialised or returned); the composer falls back to its own jazz generator when the LLM fails.
 */
export function createLlmSource(config: LlmConfig): LlmSectionSource {
  return createLlmSectionSource({ baseUrl: config.baseUrl, apiKey: config.apiKey, model: config.model, timeoutMs: PROVIDER_TIMEOUT_MS })
}
