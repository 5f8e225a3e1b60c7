/** Command-line entry: `node dist/main.js` (PORT, HOST, WEB_ROOT, CORS_ORIGINS, LOG_LEVEL from the environment). */
import { ConfigError, loadConfig } from './config.js'
import { startServer } from './server.js'
import { findWebRoot } from './web-root.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env, { webRoot: findWebRoot() })
  } catch (err) {
    if (err instanceof ConfigError) { console.error(`Auralis: bad configuration: ${err.message}`); process.exit(2) }
    throw err
  }
  const running = await startServer(config)
  console.log(`Auralis listening on ${running.url}`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    running.logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 5000)
    force.unref()
    running.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((err) => {
  console.error('Auralis failed to start:', err)
  process.exit(1)
})
