/** The app shell: shows the server's health and whether the page is cross-origin isolated (needed for audio mode). */
export async function renderShell(root: HTMLElement, fetchFn: typeof fetch): Promise<void> {
  root.innerHTML = `
    <section class="card" aria-labelledby="status-h">
      <h2 id="status-h">Server</h2>
      <dl class="status">
        <dt>Health</dt><dd id="health">checking…</dd>
        <dt>Isolation</dt><dd id="isolation"></dd>
      </dl>
    </section>`
  const isolation = root.querySelector('#isolation')!
  isolation.textContent = globalThis.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated'
  const health = root.querySelector<HTMLElement>('#health')!
  try {
    const res = await fetchFn('/health')
    const body = (await res.json()) as { status: string }
    health.textContent = body.status
    health.dataset.status = body.status
  } catch (err) {
    health.textContent = `unreachable (${(err as Error).message})`
    health.dataset.status = 'unreachable'
  }
}
