/**
 * The private-session card: a form to create a session (style, key, mode, tempo, intensity, buffer, seed,
 * optional LLM) and, once it plays, to steer it (changed controls only), download its MIDI and tracker
 * text, and end it. The LLM key goes into the create request and nowhere else; the field is cleared after.
 */
import { KEYS, MODES, STYLES, type Controls } from '@auralis/protocol'
import type { Api } from './api.js'
import { h, setText } from './dom.js'
import type { PlayerHost } from './player-host.js'
import { formFields, readValues, setControlsFields } from './session-fields.js'
import { FormError, toBufferMs, toControlsRequest, toCreateRequest } from './session-form.js'

/** Options of {@link mountSession}. */
export interface SessionOptions {
  /** The API. */
  readonly api: Api
  /** The player slot. */
  readonly host: PlayerHost
  /** Reports a failure to the user. */
  readonly onError: (message: string) => void
}

/** What a controls change reply means to a listener: `Applies from bar 43 (in 1.2 s)`. */
export function appliedText(bar: number, timeS: number, nowS: number | undefined): string {
  const wait = nowS === undefined ? '' : ` (in ${Math.max(0, timeS - nowS).toFixed(1)} s)`
  return `Applies from bar ${bar + 1}${wait}`
}

/** Renders the session card into `root`. */
export function mountSession(root: HTMLElement, { api, host, onError }: SessionOptions): void {
  const form = h('form', { class: 'session-form', novalidate: true, 'aria-describedby': 'session-msg' })
  const f = formFields(form, { keys: KEYS, modes: MODES, styles: STYLES })
  const submit = h('button', { type: 'submit', class: 'primary', id: 'session-submit' }, 'Create session & play')
  const end = h('button', { type: 'button', id: 'session-end', hidden: true }, 'End session')
  const message = h('p', { id: 'session-msg', class: 'muted', role: 'status' })
  const downloads = h('p', { class: 'downloads', hidden: true })
  form.append(h('div', { class: 'actions' }, submit, end), message, downloads)
  root.append(h('h2', { id: 'session-h' }, 'Private session'), form)

  let session: string | undefined
  let controls: Controls | undefined

  const setMode = (live: boolean): void => {
    setText(submit, live ? 'Apply changes' : 'Create session & play')
    end.hidden = !live
    downloads.hidden = !live
    for (const el of f.creationOnly) el.disabled = live
  }

  host.addEventListener('player', (e) => {
    const { key, player } = (e as CustomEvent<{ key: string; player: import('@auralis/client-player').Player }>).detail
    if (!session || key !== `session:${session}`) return
    player.on('controls', (c) => {
      if (controls === undefined) setControlsFields(f, c.controls) // first greeting only: keep edits in progress
      controls = c.controls
    })
  })
  host.addEventListener('change', () => {
    if (session && host.playing?.key !== `session:${session}`) setText(submit, 'Apply changes')
  })

  const fail = (err: unknown): void => {
    if (err instanceof FormError) {
      const input = form.querySelector<HTMLElement>(`[name="${err.field}"]`)
      input?.setAttribute('aria-invalid', 'true')
      input?.focus()
    }
    setText(message, (err as Error).message)
    onError((err as Error).message)
  }

  form.addEventListener('input', (e) => (e.target as HTMLElement).removeAttribute('aria-invalid'))
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const values = readValues(f)
    if (!session) return void create(values).catch(fail)
    void steer(values).catch(fail)
  })

  const create = async (values: ReturnType<typeof readValues>): Promise<void> => {
    const body = toCreateRequest(values)
    const bufferMs = toBufferMs(values.bufferMs)
    f.llmKey.value = '' // the key was read into the request; it is not kept anywhere
    host.audioContext() // inside the click: lets the AudioContext start
    submit.disabled = true
    try {
      const created = await api.createSession(body)
      session = created.id
      controls = undefined
      form.dataset.session = created.id
      setMode(true)
      downloads.replaceChildren(
        h('a', { href: api.exportUrl(created.id, 'mid'), download: `auralis-${created.id.slice(0, 8)}.mid`, id: 'export-mid' }, 'Download MIDI'),
        ' · ',
        h('a', { href: api.exportUrl(created.id, 'txt'), download: `auralis-${created.id.slice(0, 8)}.txt`, id: 'export-txt' }, 'Download tracker text'),
      )
      setText(message, `Session ${created.id.slice(0, 8)}… playing`)
      await host.start(`session:${created.id}`, `Session ${created.id.slice(0, 8)}`, api.streamUrl('session', created.id), bufferMs, body.mode === 'audio' ? 'audio' : 'tone')
    } finally {
      submit.disabled = false
    }
  }

  const steer = async (values: ReturnType<typeof readValues>): Promise<void> => {
    const id = session!
    if (host.playing?.key !== `session:${id}`) {
      await host.start(`session:${id}`, `Session ${id.slice(0, 8)}`, api.streamUrl('session', id), toBufferMs(values.bufferMs), values.sound === 'server' ? 'audio' : 'tone')
    }
    const body = toControlsRequest(values, controls)
    if (!body) return setText(message, 'Nothing changed.')
    const applied = await api.setControls(id, body)
    controls = applied.controls
    message.dataset.bar = String(applied.bar)
    message.dataset.time = String(applied.time)
    setText(message, appliedText(applied.bar, applied.time, host.streamTime()))
  }

  end.addEventListener('click', () => {
    const id = session
    if (!id) return
    if (host.playing?.key === `session:${id}`) host.stop()
    session = undefined
    delete form.dataset.session
    setMode(false)
    setText(message, 'Session ended.')
    api.deleteSession(id).catch(fail)
  })
}
