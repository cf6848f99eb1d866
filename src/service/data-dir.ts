/**
 * The service's data directory: the drop folders clerks see, the content-addressed store of
 * received carriers, and the stages' work files. See docs/service.md.
 */
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { PARTY_IDS } from '../core/index.js';
import { writeAtomically } from '../stamp/write-output.js';
import type { CarrierRef } from './carrier-ref.js';

/** The data directory when neither --dir nor GRIF_DIR names one. */
export const DEFAULT_DIR = './grif-data';

export interface DataDir {
  readonly root: string;
  readonly inbox: string;
  readonly outbox: string;
  readonly review: string;
  readonly rejected: string;
  readonly store: string;
  readonly work: string;
}

export function dataDir(root: string): DataDir {
  const r = resolve(root);
  return {
    root: r,
    inbox: join(r, 'inbox'),
    outbox: join(r, 'outbox'),
    review: join(r, 'review'),
    rejected: join(r, 'rejected'),
    store: join(r, 'store'),
    work: join(r, 'work'),
  };
}

/**
 * Creates the folders (inbox/from-KZ, inbox/from-KG and the rest) when missing. store/ and work/
 * hold every carrier and its extracted text: only the service's own user may read them (the
 * drop folders are for clerks, whose access the installation sets).
 */
export async function prepareDataDir(d: DataDir): Promise<void> {
  for (const dir of [d.outbox, d.review, d.rejected]) await mkdir(dir, { recursive: true });
  for (const dir of [d.store, d.work]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  }
  await mkdir(join(d.work, 'results'), { recursive: true, mode: 0o700 });
  for (const id of PARTY_IDS) await mkdir(join(d.inbox, `from-${id}`), { recursive: true });
}

export { sha256Of } from '../sha256.js';

/** The store's name for a carrier: its hash and its (lower-case) extension, which says its type. */
export function storedName(sha256: string, name: string): string {
  return `${sha256}${extname(name).toLowerCase()}`;
}

/** Keeps a received carrier in the store (once: the same bytes are the same file). Returns the path relative to the root. */
export async function storeCarrier(d: DataDir, bytes: Uint8Array, sha256: string, name: string): Promise<string> {
  const rel = join('store', storedName(sha256, name));
  const path = join(d.root, rel);
  const exists = await stat(path).then((s) => s.size === bytes.length, () => false);
  if (!exists) {
    try {
      await writeAtomically(path, bytes, { inputs: [] });
    } catch (err) {
      // Another worker stored the same bytes first.
      if (!(await stat(path).then(() => true, () => false))) throw err;
    }
  }
  return rel;
}

export const textPathOf = (d: DataDir, carrierId: string): string => join(d.work, `${carrierId}.text.json`);

export const refPathOf = (d: DataDir, carrierId: string): string => join(d.work, `${carrierId}.ref.json`);

/** The reference a carrier was queued with (kept so a person's decision, a retry or the reconciler can take it up). */
export async function loadRef(d: DataDir, carrierId: string): Promise<CarrierRef | undefined> {
  return readFile(refPathOf(d, carrierId), 'utf8').then((s) => JSON.parse(s) as CarrierRef, () => undefined);
}

/**
 * Where a stage puts the document of a result (receipt, review reasons, error) before the
 * transition that records it commits: named by the event's key and its output's hash, so two
 * deliveries of one stage that made different outputs never overwrite each other's document.
 */
export function stagedDocPathOf(d: DataDir, key: string, outputSha256: string | null): string {
  return join(d.work, 'results', `${key.replace(/:/g, '.')}${outputSha256 ? `.${outputSha256.slice(0, 16)}` : ''}.json`);
}
