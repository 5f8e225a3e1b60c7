/**
 * A tiny element builder: `h('button', { type: 'button', class: 'x' }, 'Play')`.
 */

/** Attribute values: strings set attributes, `false`/`undefined` leave them out, functions become listeners (`onclick`). */
export type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>

/** Creates an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (v === true) el.setAttribute(k, '')
    else if (v !== false && v !== undefined) el.setAttribute(k, String(v))
  }
  for (const c of children) if (c !== undefined) el.append(c)
  return el
}

/** Sets an element's text only when it changed (keeps screen readers and layout quiet). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text
}
