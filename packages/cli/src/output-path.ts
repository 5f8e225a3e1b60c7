/** Checks, before any work, that the output path can be written (the one I/O check of argument validation). */
import { accessSync, constants, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from './errors.js'
import { allowedFor } from './args.js'

/**
 * Throws a {@link UsageError} for `--out` when `path` is a directory, its folder does not exist or is not
 * a folder, or the folder (or an existing file at `path`) is not writable.
 */
export function checkOutputPath(path: string): void {
  const full = resolve(path)
  const dir = dirname(full)
  const allowed = allowedFor('--out')
  let dirStat
  try {
    dirStat = statSync(dir)
  } catch {
    throw new UsageError('--out', `folder "${dir}" does not exist`, allowed)
  }
  if (!dirStat.isDirectory()) throw new UsageError('--out', `"${dir}" is not a folder`, allowed)
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    throw new UsageError('--out', `folder "${dir}" is not writable`, allowed)
  }
  let st
  try {
    st = statSync(full)
  } catch {
    return
  }
  if (st.isDirectory()) throw new UsageError('--out', `"${path}" is a folder`, allowed)
  try {
    accessSync(full, constants.W_OK)
  } catch {
    throw new UsageError('--out', `"${path}" is not writable`, allowed)
  }
}
