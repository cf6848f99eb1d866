/**
 * Writing an output file so that nothing is ever lost: never over an input, never over an
 * existing file unless asked, and atomically (a temporary file in the same folder, flushed, then
 * renamed), so a reader sees either no file or the whole file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, open, readdir, realpath, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { crashPoint } from '../crash-points.js';
import { processAlive } from '../process-alive.js';
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

async function refuseInputs(path: string, target: string, inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    if ((await realOrResolved(input)) === target) throw new OutputError(`${path}: refusing to write over the input ${input}`);
  }
}

/**
 * Whether writeAtomically could write `path`, asked before any work is done on its behalf (a whole
 * carrier's OCR): its folder exists and is writable, it is not one of the inputs, and it is not an
 * existing file unless `force` (never a folder). Throws OutputError saying which.
 */
export async function checkOutput(path: string, opts: { inputs: readonly string[]; force?: boolean }): Promise<void> {
  const folder = dirname(path);
  const dirStat = await stat(folder).catch((err: NodeJS.ErrnoException) => err);
  if (dirStat instanceof Error) {
    throw new OutputError(
      dirStat.code === 'ENOENT' || dirStat.code === 'ENOTDIR'
        ? `${path}: the folder ${folder} does not exist; create it or choose another output`
        : `${path}: the folder ${folder} cannot be used (${dirStat.code ?? dirStat.message})`,
      dirStat,
    );
  }
  if (!dirStat.isDirectory()) throw new OutputError(`${path}: ${folder} is not a folder`);
  const denied = await access(folder, constants.W_OK).then(() => undefined, (err: NodeJS.ErrnoException) => err);
  if (denied) throw new OutputError(`${path}: the folder ${folder} is not writable (${denied.code ?? denied.message}); choose another output or check its permissions`, denied);
  const target = join(await realOrResolved(folder), basename(path));
  await refuseInputs(path, target, opts.inputs);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputError(`${path}: is a folder; give a file name, or a folder for several carriers`);
  if (existing && !opts.force) throw new OutputError(`${path}: already exists; give --force to replace it`);
}

/** `mode`: the new file's permissions (default 0644, less the umask). */
export async function writeAtomically(path: string, bytes: Uint8Array, opts: { inputs: readonly string[]; force?: boolean; mode?: number }): Promise<void> {
  const dir = await realOrResolved(dirname(path));
  const target = join(dir, basename(path));
  await refuseInputs(path, target, opts.inputs);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  let handle;
  try {
    handle = await open(tmp, 'wx', opts.mode ?? 0o644);
    await handle.writeFile(bytes);
    await handle.datasync();
    await handle.close();
    handle = undefined;
    crashPoint('output-written');
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

/** writeAtomically's temporary names: .NAME.PID.RANDOM.part */
const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.part$/;

/**
 * Removes the temporary files of writes that will never finish, left by a process killed mid-write:
 * their writer (by the pid in the name) is dead and the file at least `deadAfterMs` old, or the
 * file is older than `staleMs` whoever wrote it. Returns how many went.
 */
export async function removeStaleTemps(folders: readonly string[], opts: { staleMs: number; deadAfterMs: number }): Promise<number> {
  let removed = 0;
  const now = Date.now();
  for (const folder of folders) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const m = TEMP.exec(name);
      if (!m) continue;
      const path = join(folder, name);
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile()) continue;
      const age = now - s.mtimeMs;
      if (age > opts.staleMs || (age >= opts.deadAfterMs && Number(m[1]) !== process.pid && !processAlive(Number(m[1])))) {
        await rm(path, { force: true });
        removed++;
      }
    }
  }
  return removed;
}
