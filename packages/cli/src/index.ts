/**
 * @packageDocumentation
 * `@auralis/cli` — the `auralis` command (render generative ambient and jazz to WAV, MIDI or tracker text)
 * and its parts as a library: argument parsing to checked options, the render pipeline as an async function
 * with a progress callback, the incremental WAV writer and the progress display.
 */
export { runCli, packageVersion, type CliIo } from './main.js'
export { parseCommandLine, allowedFor, renderFlagList, formatOf, COMMANDS, EXTENSIONS, type Command } from './args.js'
export { UsageError, EXIT_USAGE, EXIT_FAILURE, EXIT_INTERRUPTED } from './errors.js'
export {
  DEFAULTS, STYLE_DEFAULTS, MAX_SECONDS, type MusicOptions, type RenderOptions, type OutputFormat,
} from './options.js'
export { renderToFile, BLOCK_FRAMES, SCHEDULE_AHEAD_SECONDS, type RenderJob, type RenderHooks, type RenderSummary } from './render.js'
export { progressAt, type RenderProgress } from './progress-info.js'
export { composerFor, sectionsFor, composeSections, sectionEnd } from './sections.js'
export { sectionBlock, sectionHeader, chordLine, trackerFileHeader } from './text-output.js'
export { fadeFrames, applyFadeOut } from './fade.js'
export {
  createWavFileWriter, wavHeader, maxWavFrames, encodeWavSamples, type WavFormat, type WavFileWriter,
} from './wav-writer.js'
export {
  createProgressReporter, progressLine, type ProgressReporter, type ProgressStream, type ReporterOptions,
} from './progress.js'
export { formatClock, formatBytes, formatSpeed } from './format.js'
export { checkOutputPath } from './output-path.js'
export { generalHelp, renderHelp, USAGE_HINT } from './usage.js'
