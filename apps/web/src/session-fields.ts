/**
 * The session form's inputs (labelled, grouped in fieldsets) and reading them back.
 */
import type { Controls } from '@auralis/protocol'
import { h } from './dom.js'
import { BUFFER_RANGE, LLM_DEFAULTS, LLM_PROVIDERS, type LlmProvider, type SessionFormValues } from './session-form.js'

/** The inputs of the session form. */
export interface SessionFields {
  /** Style select. */ readonly style: HTMLSelectElement
  /** Key select. */ readonly key: HTMLSelectElement
  /** Mode select. */ readonly mode: HTMLSelectElement
  /** Tempo input. */ readonly bpm: HTMLInputElement
  /** Intensity slider. */ readonly intensity: HTMLInputElement
  /** Seed input. */ readonly seed: HTMLInputElement
  /** Buffer input. */ readonly bufferMs: HTMLInputElement
  /** Sound select: `browser` (Tone.js) or `server` (server-rendered Opus). */ readonly sound: HTMLSelectElement
  /** LLM provider select. */ readonly llmProvider: HTMLSelectElement
  /** LLM base URL input. */ readonly llmBaseUrl: HTMLInputElement
  /** LLM model input. */ readonly llmModel: HTMLInputElement
  /** LLM key input. */ readonly llmKey: HTMLInputElement
  /** Inputs that only matter when a session is created. */
  readonly creationOnly: (HTMLInputElement | HTMLSelectElement)[]
}

const field = (label: string, control: HTMLElement, hint?: string): HTMLElement =>
  h('label', { class: 'field' }, h('span', { class: 'label' }, label), control, hint ? h('small', { class: 'hint' }, hint) : undefined)

const select = (name: string, options: readonly string[], value: string): HTMLSelectElement => {
  const s = h('select', { name, id: `f-${name}` })
  for (const o of options) s.append(h('option', { value: o }, o === '' ? 'none' : o))
  s.value = value
  return s
}

/** Builds the inputs into `form` and returns them. */
export function formFields(form: HTMLFormElement, lists: { keys: readonly string[]; modes: readonly string[]; styles: readonly string[] }): SessionFields {
  const style = select('style', lists.styles, 'jazz')
  const key = select('key', lists.keys, 'C')
  const mode = select('mode', lists.modes, 'dorian')
  const bpm = h('input', { name: 'bpm', id: 'f-bpm', type: 'number', min: 20, max: 300, step: 1, value: 120, inputmode: 'numeric' })
  const intensity = h('input', { name: 'intensity', id: 'f-intensity', type: 'range', min: 0, max: 1, step: 0.05, value: 0.5 })
  const intensityOut = h('output', { for: 'f-intensity' }, '0.50')
  intensity.addEventListener('input', () => (intensityOut.value = Number(intensity.value).toFixed(2)))
  const seed = h('input', { name: 'seed', id: 'f-seed', type: 'number', min: 0, step: 1, placeholder: 'random', inputmode: 'numeric' })
  const bufferMs = h('input', { name: 'bufferMs', id: 'f-bufferMs', type: 'number', min: BUFFER_RANGE.min, max: BUFFER_RANGE.max, step: 10, value: BUFFER_RANGE.default, inputmode: 'numeric' })
  const sound = h('select', { name: 'sound', id: 'f-sound' },
    h('option', { value: 'browser' }, 'browser synth (notes)'), h('option', { value: 'server' }, 'server audio (Opus)'))
  const llmProvider = select('llmProvider', ['', ...LLM_PROVIDERS], '')
  const llmBaseUrl = h('input', { name: 'llmBaseUrl', id: 'f-llmBaseUrl', type: 'url', placeholder: 'https://…/v1', autocomplete: 'off' })
  const llmModel = h('input', { name: 'llmModel', id: 'f-llmModel', type: 'text', autocomplete: 'off' })
  const llmKey = h('input', { name: 'llmKey', id: 'f-llmKey', type: 'password', autocomplete: 'off', spellcheck: 'false' })
  llmProvider.addEventListener('change', () => {
    const d = LLM_DEFAULTS[llmProvider.value as LlmProvider]
    if (d) {
      llmBaseUrl.value = d.baseUrl
      llmModel.value = d.model
    }
  })
  form.append(
    h('fieldset', {}, h('legend', {}, 'Music'),
      field('Style', style), field('Key', key), field('Mode', mode), field('Tempo (bpm)', bpm),
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'Intensity'), h('span', { class: 'range' }, intensity, intensityOut))),
    h('fieldset', {}, h('legend', {}, 'Playback'),
      field('Sound', sound, 'Where the music is synthesised'),
      field('Buffer (ms)', bufferMs, 'Notes scheduled ahead, or server audio held back'), field('Seed', seed, 'Same seed, same music')),
    h('details', { class: 'llm' }, h('summary', {}, 'LLM composer (optional)'),
      h('fieldset', {}, h('legend', { class: 'sr' }, 'LLM composer'),
        field('Provider', llmProvider), field('Base URL', llmBaseUrl), field('Model', llmModel),
        field('API key', llmKey, 'Sent once to the server with the request; never stored in the browser'))),
  )
  return { style, key, mode, bpm, intensity, seed, bufferMs, sound, llmProvider, llmBaseUrl, llmModel, llmKey, creationOnly: [seed, bufferMs, sound, llmProvider, llmBaseUrl, llmModel, llmKey] }
}

/** The form's current values. */
export function readValues(f: SessionFields): SessionFormValues {
  return {
    style: f.style.value, key: f.key.value, mode: f.mode.value, bpm: f.bpm.value, intensity: f.intensity.value,
    seed: f.seed.value, bufferMs: f.bufferMs.value, sound: f.sound.value, llmProvider: f.llmProvider.value, llmBaseUrl: f.llmBaseUrl.value,
    llmModel: f.llmModel.value, llmKey: f.llmKey.value,
  }
}

/** Shows controls in force in the inputs. */
export function setControlsFields(f: SessionFields, c: Controls): void {
  f.style.value = c.style
  f.key.value = c.key
  f.mode.value = c.mode
  f.bpm.value = String(c.bpm)
  f.intensity.value = String(c.intensity)
  f.intensity.dispatchEvent(new Event('input'))
}
