import type { RequestHandler } from 'express'

/**
 * Cross-origin isolation for the web app (SharedArrayBuffer for audio mode needs it):
 * COOP same-origin + COEP require-corp, and CORP cross-origin so embeds on other sites can load our scripts.
 */
export const isolationHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp')
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  next()
}

/** CORS for the API and the embed script: `*` or an allow-list of origins. */
export function cors(origins: '*' | string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin
    if (origins === '*') res.setHeader('Access-Control-Allow-Origin', '*')
    else if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Vary', 'Origin')
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Last-Event-ID')
      res.setHeader('Access-Control-Max-Age', '600')
      res.status(204).end()
      return
    }
    next()
  }
}
