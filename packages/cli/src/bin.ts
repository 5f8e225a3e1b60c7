#!/usr/bin/env node
/** The `auralis` executable: runs {@link runCli} on the process's arguments and streams. */
import { runCli } from './main.js'

const controller = new AbortController()
const onSignal = (): void => controller.abort(new Error('interrupted'))
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  },
  (err: unknown) => {
    process.stderr.write(`auralis: ${(err as Error)?.stack ?? String(err)}\n`)
    process.exitCode = 1
  },
)
