/**
 * Browser test harness: esbuild bundles of the package (test page entry and the embed), node:http test
 * servers on 127.0.0.1:0 with stations, and headless Chromium through playwright-core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Browser } from 'playwright-core'
import { Station, type StationSpec } from './station.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Bundles a browser entry (everything inlined) and returns the JS text. */
export async function bundle(entry: string, minify = false): Promise<string> {
  const r = await build({ entryPoints: [root + entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, minify, logLevel: 'silent' })
  return r.outputFiles[0].text
}

/** A test HTTP server. */
export interface TestServer {
  readonly origin: string
  readonly stations: Map<string, Station>
  /** Extra routes: path → [content type, body]. */
  readonly files: Map<string, [string, string]>
  close(): Promise<void>
}

const CORS = { 'access-control-allow-origin': '*' }

/** Starts a server with the given stations (routes `/api/stations/{id}/events|ws`, `/api/time`) and files. */
export async function startServer(specs: StationSpec[] = [], files: Record<string, [string, string]> = {}): Promise<TestServer> {
  const stations = new Map(specs.map((s) => [s.id, new Station(s)]))
  const fileMap = new Map(Object.entries(files))
  const route = (url: URL): [Station | undefined, string | undefined] => {
    const m = /^\/api\/stations\/([^/]+)\/(events|ws)$/.exec(url.pathname)
    return m ? [stations.get(m[1]), m[2]] : [undefined, undefined]
  }
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/api/time') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS }).end(JSON.stringify({ serverTime: Date.now() }))
      return
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, CORS).end()
      return
    }
    const [station, kind] = route(url)
    if (station && kind === 'events') return station.handleSse(req, res, url)
    const f = fileMap.get(url.pathname)
    if (f) {
      res.writeHead(200, { 'content-type': f[0], ...CORS }).end(f[1])
      return
    }
    res.writeHead(404, CORS).end('not found')
  })
  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const [station, kind] = route(url)
    if (station && kind === 'ws') station.handleUpgrade(req, socket, url)
    else socket.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    stations,
    files: fileMap,
    close: async () => {
      for (const s of stations.values()) s.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

/** Launches headless Chromium with the flags of PLATFORM.md. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  })
}

/** The test page: loads the bundle as `window.T`. */
export const TEST_PAGE = '<!doctype html><meta charset="utf-8"><title>client-player test</title><script type="module" src="/bundle.js"></script>'
