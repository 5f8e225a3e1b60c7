/** The command line as a function: arguments and streams in, exit code out (the bin is a thin shell around it). */
import { readFileSync } from 'node:fs'
import { parseCommandLine } from './args.js'
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, UsageError } from './errors.js'
import { formatBytes, formatClock, formatSpeed } from './format.js'
import { checkOutputPath } from './output-path.js'
import { createProgressReporter, type ProgressStream } from './progress.js'
import { renderToFile } from './render.js'
import { generalHelp, renderHelp, USAGE_HINT } from './usage.js'

/** Where {@link runCli} reads and writes. */
export interface CliIo {
  /** Help and version output. */
  stdout: ProgressStream
  /** Progress, the summary and errors. */
  stderr: ProgressStream
  /** Aborts a running render (the bin wires SIGINT/SIGTERM to it); the exit code is then 130. */
  signal?: AbortSignal
  /** Progress display mode (default: bar on a TTY stderr, lines otherwise). */
  progressMode?: 'tty' | 'lines'
  /** Milliseconds between plain progress lines (default 5000). */
  progressIntervalMs?: number
}

/** This package's version (read from its package.json). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path
}

/**
 * Runs `auralis` with `argv` (without the node and script paths) and resolves to the exit code: 0 done,
 * 1 the render failed, 2 bad arguments (a one-line message and the usage hint on stderr), 130 interrupted.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command
  try {
    command = parseCommandLine(argv)
    if (command.kind === 'render') checkOutputPath(command.options.out)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr.write(`auralis: ${err.message}\n${USAGE_HINT}\n`)
    return EXIT_USAGE
  }
  if (command.kind === 'version') {
    io.stdout.write(`${packageVersion()}\n`)
    return 0
  }
  if (command.kind === 'help') {
    io.stdout.write(command.topic === 'render' ? renderHelp() : generalHelp(packageVersion()))
    return 0
  }
  const { quiet, ...job } = command.options
  const reporter = createProgressReporter(io.stderr, {
    quiet, label: basename(job.out), mode: io.progressMode, intervalMs: io.progressIntervalMs,
  })
  try {
    const summary = await renderToFile(job, { onProgress: (p) => reporter.update(p), signal: io.signal })
    reporter.stop()
    if (!quiet) {
      io.stderr.write(`wrote ${summary.out} (${formatBytes(summary.bytes)}, ${formatClock(summary.seconds)} of music, ` +
        `${summary.sections} section${summary.sections === 1 ? '' : 's'}) in ${(summary.elapsedMs / 1000).toFixed(1)} s — ${formatSpeed(summary.speed)} real time\n`)
    }
    return 0
  } catch (err) {
    reporter.stop()
    if (io.signal?.aborted) {
      io.stderr.write('\nauralis: interrupted; nothing was written\n')
      return EXIT_INTERRUPTED
    }
    io.stderr.write(`auralis: render failed: ${(err as Error)?.message ?? String(err)}\n`)
    return EXIT_FAILURE
  }
}
