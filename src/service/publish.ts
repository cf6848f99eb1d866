/**
 * Folders follow the register. A stage writes its result where only the register points at it:
 * the output PDF in store/ under its own SHA-256, the document (receipt, review reasons, error)
 * in work/results/ under its event's key. Then its transition commits. Then publish() makes the
 * drop folders show what the register says: the carrier's files in the folder of its state
 * (FOLDER_OF in register/states.ts) and in no other. publish is idempotent and may run in any
 * process at any time: a stage after its commit, a decision, a retry, the reconciler.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lastTransition, type EventRow, type Register, type RegisterEntry } from '../register/register.js';
import { FOLDER_OF, type CarrierState, type ViewFolder } from '../register/states.js';
import { sha256Of } from '../sha256.js';
import { writeAtomically } from '../stamp/write-output.js';
import type { CarrierRef } from './carrier-ref.js';
import { loadRef, stagedDocPathOf, storeCarrier, storedName, type DataDir } from './data-dir.js';
import { exists, removeInboxFile, resultNames } from './outcome-files.js';
import { wipeFile } from './wipe.js';

const FOLDERS: readonly ViewFolder[] = ['outbox', 'review', 'rejected'];

/** Keeps an output (a stamped PDF) in the store under its SHA-256. */
export async function storeOutput(d: DataDir, pdf: Uint8Array): Promise<{ sha256: string; stored: string }> {
  const sha256 = sha256Of(pdf);
  return { sha256, stored: await storeCarrier(d, pdf, sha256, 'output.pdf') };
}

/** Writes a result's document before the transition that records it (see stagedDocPathOf). */
export async function stageDocument(d: DataDir, key: string, outputSha256: string | null, doc: object): Promise<void> {
  await writeAtomically(stagedDocPathOf(d, key, outputSha256), jsonBytes(doc), { inputs: [], force: true, mode: 0o600 });
}

const jsonBytes = (doc: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n');

/** What the register says a carrier's folder holds: which file, from where, and its document. */
export interface PublishedResult {
  readonly folder: ViewFolder;
  /** The transition that put the carrier there. */
  readonly event: EventRow;
  /** The carrier's file in the folder: where it is kept, its name there and its SHA-256. */
  readonly file: { readonly source: string; readonly target: string; readonly sha256: string } | undefined;
  /** The document beside it: the staged one (absent for carriers routed before documents were staged). */
  readonly doc: { readonly source: string | undefined; readonly target: string };
}

/** The result the register names for the carrier, or undefined when its state has no folder. */
export function resultOf(d: DataDir, ref: CarrierRef, entry: Pick<RegisterEntry, 'events'>): PublishedResult | undefined {
  const now = lastTransition(entry);
  const folder = now?.state ? FOLDER_OF[now.state] : null;
  // A notice changes no file: until the carrier is re-marked, its last result stays published.
  const event = now?.kind === 'notice' ? [...entry.events].reverse().find((e) => e.state !== null && e.kind !== 'notice') : now;
  if (!event || !folder) return undefined;
  const n = resultNames(d, ref, folder);
  const file =
    event.kind === 'stamped' || event.kind === 'remarked' || event.kind === 'level-removed'
      ? event.outputSha256
        ? { source: join(d.store, storedName(event.outputSha256, 'output.pdf')), target: n.stamped, sha256: event.outputSha256 }
        : undefined
      : { source: join(d.root, ref.stored), target: n.carrier, sha256: ref.sha256 };
  return { folder, event, file, doc: { source: event.key ? stagedDocPathOf(d, event.key, event.outputSha256) : undefined, target: n.json } };
}

/** The document a result's page and download read: the staged one, else the one in its folder. */
export async function readResultDoc(r: PublishedResult): Promise<Uint8Array | undefined> {
  for (const p of [r.doc.source, r.doc.target]) {
    if (!p) continue;
    const bytes = await readFile(p).catch(() => undefined);
    if (bytes) return bytes;
  }
  return undefined;
}

/** The carrier's file of a result: the kept one, else the one in its folder. Its path, for a download. */
export async function resultFilePath(r: PublishedResult): Promise<string | undefined> {
  for (const p of [r.file?.source, r.file?.target]) if (p && (await exists(p))) return p;
  return undefined;
}

export interface Published {
  readonly state: CarrierState | null;
  readonly folder: ViewFolder | null;
  /** Files written into the folder, and files taken out of the others. */
  readonly wrote: number;
  readonly removed: number;
  /** What the register names but is kept nowhere (a store file deleted by hand): left as it is. */
  readonly missing: readonly string[];
  /** The names that belong in the folder now. */
  readonly names: readonly string[];
}

/** Whether `target` differs from the file whose hash is `sha256` (by size unless `verify`, then by hash). */
async function differs(target: string, source: string, sha256: string, verify: boolean): Promise<boolean> {
  const t = await stat(target).catch(() => undefined);
  if (!t) return true;
  const s = await stat(source).catch(() => undefined);
  if (s && s.size !== t.size) return true;
  return verify ? sha256Of(await readFile(target)) !== sha256 : false;
}

/**
 * Takes the carrier's files out of a folder (its duplicate notes stay: they are about drops, not
 * the carrier). A destroyed carrier's are wiped, not only unlinked (wipe.ts).
 */
async function removeFrom(d: DataDir, ref: CarrierRef, folder: ViewFolder, keep: readonly string[], wipe: boolean): Promise<number> {
  const n = resultNames(d, ref, folder);
  let removed = 0;
  for (const p of [n.carrier, n.stamped, n.json]) {
    if (keep.includes(p) || !(await exists(p))) continue;
    if (wipe) await wipeFile(p);
    else await rm(p, { force: true });
    removed++;
  }
  return removed;
}

/**
 * Makes the folders show the carrier as the register has it. Out of the other folders first, then
 * into its own (the carrier's file, then its document, so a document means the file is whole),
 * then the inbox file goes. If another process moved the carrier on meanwhile, it is done again
 * for the new state: the last writer always publishes the register's last word. `verify` compares
 * files by hash, not only by size (the reconciler's first pass).
 */
export async function publish(c: { readonly dir: DataDir; readonly register: Register }, carrierId: string, opts: { verify?: boolean } = {}): Promise<Published | undefined> {
  const d = c.dir;
  let wrote = 0;
  let removed = 0;
  for (let pass = 0; pass < 10; pass++) {
    const entry = await c.register.carrier(carrierId);
    const ref = await loadRef(d, carrierId);
    if (!entry || !ref) return undefined;
    const r = resultOf(d, ref, entry);
    const names = r ? [...(r.file ? [r.file.target] : []), r.doc.target] : [];
    const destroyed = lastTransition(entry)?.state === 'destroyed';
    for (const f of FOLDERS) removed += await removeFrom(d, ref, f, names, destroyed);
    const missing: string[] = [];
    if (r) {
      if (r.file) {
        if (!(await exists(r.file.source))) {
          if (!(await exists(r.file.target))) missing.push(r.file.source);
        } else if (await differs(r.file.target, r.file.source, r.file.sha256, !!opts.verify)) {
          await writeAtomically(r.file.target, await readFile(r.file.source), { inputs: [], force: true });
          wrote++;
        }
      }
      const doc = await readResultDoc(r);
      const want = doc ?? jsonBytes(fallbackDoc(ref, entry, r.event));
      const have = await readFile(r.doc.target).catch(() => undefined);
      if (!have || !Buffer.from(have).equals(Buffer.from(want))) {
        await writeAtomically(r.doc.target, want, { inputs: [], force: true });
        wrote++;
      }
      await removeInboxFile(ref);
    }
    const now = await c.register.stateOf(carrierId);
    if (!r || now?.since.seq === r.event.seq) {
      if (!r && now && FOLDER_OF[now.state]) continue;
      return { state: now?.state ?? null, folder: r?.folder ?? null, wrote, removed, missing, names };
    }
  }
  throw new Error(`${carrierId}: its state kept changing while its folders were being published`);
}

/** A document for a carrier routed before results were staged (or whose staged one was lost): what the register holds. */
function fallbackDoc(ref: CarrierRef, entry: RegisterEntry, e: EventRow): object {
  return {
    carrierId: ref.carrierId,
    name: ref.name,
    sha256: ref.sha256,
    from: ref.from,
    to: ref.to,
    status: e.state,
    event: e.kind,
    level: e.level,
    detail: e.detail,
    decidedBy: e.decidedBy,
    reference: e.reference,
    outputSha256: e.outputSha256,
    at: e.at,
    receivedAt: entry.receivedAt,
  };
}
