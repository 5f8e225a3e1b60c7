import { describe, expect, it } from 'vitest'
import { FormError, toBufferMs, toControlsRequest, toCreateRequest, toLlmConfig, type SessionFormValues } from './session-form.js'

const values = (over: Partial<SessionFormValues> = {}): SessionFormValues => ({
  style: 'jazz', key: 'Bb', mode: 'dorian', bpm: '132', intensity: '0.7', seed: '', bufferMs: '150',
  llmProvider: '', llmBaseUrl: '', llmModel: '', llmKey: '', ...over,
})

describe('session form → requests', () => {
  it('builds the create request from the form, numbers parsed, no llm or seed when empty', () => {
    expect(toCreateRequest(values())).toEqual({ style: 'jazz', controls: { style: 'jazz', key: 'Bb', mode: 'dorian', bpm: 132, intensity: 0.7 } })
    expect(toCreateRequest(values({ seed: '42' })).seed).toBe(42)
  })

  it('adds the LLM config only with a provider; the key only when given', () => {
    const withKey = toCreateRequest(values({ llmProvider: 'groq', llmBaseUrl: 'https://api.groq.com/openai/v1 ', llmModel: 'm', llmKey: ' sk-1 ' }))
    expect(withKey.llm).toEqual({ provider: 'groq', baseUrl: 'https://api.groq.com/openai/v1', model: 'm', apiKey: 'sk-1' })
    expect(toLlmConfig({ llmProvider: 'ollama', llmBaseUrl: 'http://127.0.0.1:11434/v1', llmModel: 'llama3.2', llmKey: '' })).toEqual({ provider: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' })
  })

  it('refuses what the server would refuse, naming the field', () => {
    const field = (v: Partial<SessionFormValues>): string => {
      try {
        toCreateRequest(values(v))
      } catch (e) {
        expect(e).toBeInstanceOf(FormError)
        return (e as FormError).field
      }
      throw new Error('no error')
    }
    expect(field({ bpm: 'fast' })).toBe('bpm')
    expect(field({ bpm: '400' })).toBe('bpm')
    expect(field({ intensity: '2' })).toBe('intensity')
    expect(field({ key: 'H' })).toBe('key')
    expect(field({ seed: '-1' })).toBe('seed')
    expect(field({ llmProvider: 'groq', llmBaseUrl: '', llmModel: 'm' })).toBe('llmBaseUrl')
    expect(field({ llmProvider: 'groq', llmBaseUrl: 'ftp://x', llmModel: 'm' })).toBe('baseUrl')
    expect(field({ llmProvider: 'openai-compatible', llmBaseUrl: 'http://x/v1', llmModel: '' })).toBe('llmModel')
    expect(field({ llmProvider: 'acme', llmBaseUrl: 'http://x/v1', llmModel: 'm' })).toBe('llmProvider')
  })

  it('sends only the controls that changed, nothing when none did', () => {
    const current = { style: 'jazz', key: 'Bb', mode: 'dorian', bpm: 132, intensity: 0.7 } as const
    expect(toControlsRequest(values(), current)).toBeUndefined()
    expect(toControlsRequest(values({ bpm: '90', intensity: '0.2' }), current)).toEqual({ bpm: 90, intensity: 0.2 })
    expect(toControlsRequest(values())).toEqual({ style: 'jazz', key: 'Bb', mode: 'dorian', bpm: 132, intensity: 0.7 })
    expect(() => toControlsRequest(values({ bpm: '10' }), current)).toThrow(FormError)
  })

  it('reads the buffer in ms with a default and bounds', () => {
    expect(toBufferMs('')).toBe(150)
    expect(toBufferMs('400')).toBe(400)
    expect(() => toBufferMs('10')).toThrow(/bufferMs/)
    expect(() => toBufferMs('x')).toThrow(FormError)
  })
})

describe('sound choice', () => {
  const base = { style: 'jazz', key: 'F', mode: 'dorian', bpm: '120', intensity: '0.5', seed: '', bufferMs: '300', llmProvider: '', llmBaseUrl: '', llmModel: '', llmKey: '' }
  it('asks for a server-audio session when the sound is rendered on the server, and a notes session otherwise', () => {
    expect(toCreateRequest({ ...base, sound: 'server' }).mode).toBe('audio')
    expect(toCreateRequest({ ...base, sound: 'browser' }).mode).toBeUndefined()
    expect(() => toCreateRequest({ ...base, sound: 'radio' })).toThrow(FormError)
  })
})
