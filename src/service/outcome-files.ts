/**
 * The names of a carrier's files in the drop folders: outbox/ (stamped PDF + receipt, or the
 * carrier unchanged + receipt), review/ (the carrier + why a person must look) or rejected/ (the
 * carrier + the error). Names begin with the carrier's own name. What goes in which folder is the
 * register's to say (publish.ts); here are the names, and the files of the inbox side.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { sidecarPathOf } from '../intake/inbox-layout.js';
import { sha256Of } from '../sha256.js';
import { writeAtomically } from '../stamp/write-output.js';
import { outputTag, safeName, type CarrierRef } from './carrier-ref.js';
import type { DataDir } from './data-dir.js';
import type { ViewFolder } from '../register/states.js';

export type Folder = ViewFolder;

/** The names a carrier's result takes in a folder. */
export function resultNames(d: DataDir, ref: Pick<CarrierRef, 'name' | 'sha256' | 'from' | 'to'>, folder: Folder) {
  const base = `${ref.name}.${outputTag(ref)}`;
  const dir = d[folder];
  return {
    carrier: join(dir, `${base}${extname(ref.name).toLowerCase()}`),
    stamped: join(dir, `${base}.stamped.pdf`),
    json: join(dir, `${base}.${folder === 'outbox' ? 'receipt' : folder === 'review' ? 'reason' : 'error'}.json`),
    duplicate: join(dir, `${base}.duplicate.json`),
  };
}

/** Whether a path exists (a file or anything else). */
export const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeAtomically(path, new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n'), { inputs: [], force: true });
}

export async function writeDuplicate(d: DataDir, ref: CarrierRef, note: object): Promise<string> {
  const n = resultNames(d, ref, 'outbox');
  await writeJson(n.duplicate, note);
  return n.duplicate;
}

/** Whether a carrier's result in a folder is complete (its JSON is written last). */
export const resultWritten = (d: DataDir, ref: CarrierRef, folder: Folder): Promise<boolean> => exists(resultNames(d, ref, folder).json);

/**
 * Removes the inbox file (and its sidecar NAME.json) once its result is written; a file replaced
 * meanwhile by other bytes is left.
 */
export async function removeInboxFile(ref: CarrierRef): Promise<void> {
  if (!ref.inboxPath) return;
  const bytes = await readFile(ref.inboxPath).catch(() => undefined);
  if (bytes && sha256Of(bytes) === ref.sha256) {
    await rm(ref.inboxPath, { force: true });
    await rm(sidecarPathOf(ref.inboxPath), { force: true });
  }
}

/**
 * An inbox file that cannot even be queued (no sending Party, a bad sidecar, too big): moved to
 * rejected/ with the reason, so that no file sits in the inbox forever. Copied first, removed last.
 * `errorCode` names the reason for a page (inbox/no-party, inbox/bad-sidecar, inbox/too-large, …).
 */
export async function rejectUnsorted(d: DataDir, path: string, message: string, errorCode = 'inbox/refused'): Promise<string> {
  const bytes = await readFile(path);
  const sha256 = sha256Of(bytes);
  const name = safeName(basename(path));
  const base = join(d.rejected, `${name}.${sha256.slice(0, 8)}-unsorted`);
  const carrier = `${base}${extname(name).toLowerCase()}`;
  await writeAtomically(carrier, bytes, { inputs: [], force: true });
  await writeJson(`${base}.error.json`, { name, sha256, status: 'rejected', error: message, errorCode, writtenAt: new Date().toISOString() });
  const now = await readFile(path).catch(() => undefined);
  if (now && sha256Of(now) === sha256) {
    await rm(path, { force: true });
    await rm(sidecarPathOf(path), { force: true });
  }
  return carrier;
}

