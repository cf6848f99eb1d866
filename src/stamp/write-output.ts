/**
 * Writing an output file so that nothing is ever lost: never over an input, never over an
 * existing file unless asked, and atomically (a temporary file in the same folder, flushed, then
 * renamed), so a reader sees either no file or the whole file.
 */
import { randomBytes } from 'node:crypto';
import { link, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GrifError } from '../errors.js';

export class OutputError extends GrifError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'output/refused', exitCode: 1, cause });
  }
}

async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** `mode`: the new file's permissions (default 0644, less the umask). */
export async function writeAtomically(path: string, bytes: Uint8Array, opts: { inputs: readonly string[]; force?: boolean; mode?: number }): Promise<void> {
  const dir = await realOrResolved(dirname(path));
  const target = join(dir, basename(path));
  for (const input of opts.inputs) {
    if ((await realOrResolved(input)) === target) throw new OutputError(`${path}: refusing to write over the input ${input}`);
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  let handle;
  try {
    handle = await open(tmp, 'wx', opts.mode ?? 0o644);
    await handle.writeFile(bytes);
    await handle.datasync();
    await handle.close();
    handle = undefined;
    if (opts.force) await rename(tmp, target);
    else {
      // link() never replaces a file: it fails, atomically, when the name is taken.
      try {
        await link(tmp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputError(`${path}: already exists; give --force to replace it`);
        throw err;
      }
      await unlink(tmp);
    }
    const d = await open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    if (err instanceof GrifError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OutputError(`${path}: could not be written (${e.code ?? e.message})`, err);
  }
}
