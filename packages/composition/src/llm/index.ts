/**
 * LLM-written jazz sections over the OpenAI-compatible chat-completions protocol (bring your own key):
 * {@link createLlmSectionSource}, failing with {@link LlmError}.
 */
export { createLlmSectionSource, GROQ_BASE_URL, OLLAMA_BASE_URL, type LlmSourceOptions } from './source.js'
export { LlmError, type LlmErrorCode } from './errors.js'
export { buildMessages, describeChart, requestSteps, type ChatMessage } from './prompt.js'
export { extractTracker, readReply, replyContent, ReplyError, type ReadReplyOptions } from './reply.js'
