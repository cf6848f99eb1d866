/**
 * Destruction on the originator's written notice (Art. 6.4), by an act of at least two people:
 *  1. every carrier named is checked: on hand, with no level-change notice or review pending;
 *  2. each gets its 'destroyed' transition (the act's number, notice, members, date), all in one
 *     register transaction: from here the register says the carrier is gone;
 *  3. every byte grif holds of it and of its copies is wiped (wipe.ts): the store's files, the
 *     extracted text, previews, staged documents, the folders' files, an inbox file left;
 *  4. the data directory is searched for their SHA-256s (whole, or as the beginning of a later
 *     revision), and anything found is wiped and searched for again;
 *  5. the act is drawn (with what the search found: nothing), kept in the store, and each carrier's
 *     'wiped' note names it, in one transaction.
 * A process stopped after 2 leaves carriers destroyed and not wiped: finishDestructions() (run by
 * `grif destroy` again, and by the reconciler at start) takes them up from the register.
 * The register keeps the hashes and the act, never the content.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { party } from '../core/article3.js';
import { isDate } from '../core/notice.js';
import { drawDocument } from '../acts/pdf-document.js';
import { actNumberProblem } from '../acts/act-number.js';
import { destructionActParts, type DestroyedItem } from '../acts/destruction-act.js';
import { crashPoint } from '../crash-points.js';
import { GrifError } from '../errors.js';
import { formatIncoming } from '../register/incoming.js';
import { EventKeyTaken, lastTransition, newEvent, TransitionRefused, type EventRow, type Register, type RegisterEntry } from '../register/register.js';
import { nextState, type CarrierState } from '../register/states.js';
import { sha256Of } from '../sha256.js';
import { pagesOf } from './confirm.js';
import { copiesOf } from './copies.js';
import { loadRef, storeCarrier, storedName, type DataDir } from './data-dir.js';
import { localDay, currentLevel } from './notices.js';
import { resultNames } from './outcome-files.js';
import { publish } from './publish.js';
import { bodyFiles } from './retention.js';
import { findContents, wipeFile, type SearchReport, type Sought } from './wipe.js';

/** What a destruction works with: the data directory, the register, and who is told of a long search. */
export interface DestructionContext {
  readonly dir: DataDir;
  readonly register: Register;
  readonly incomingFormat?: string;
  /** Called as the search reads the data directory: files read so far. */
  readonly onSearch?: (files: number) => void;
}

export class DestructionRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'destroy/refused' });
  }
}

/** What to settle first, for the states the 'destroyed' transition does not leave (states.ts). */
const SETTLE_FIRST: Partial<Record<CarrierState, string>> = {
  'to-remark': 'a level-change notice is pending: carry it out first (grif remark), then destroy it',
  review: 'it waits for a person\u2019s decision: decide or reject it first',
  decided: 'it is being stamped after a decision: destroy it once that is done',
  received: 'it is still being read: destroy it once intake is done',
  extracted: 'it is still being read: destroy it once intake is done',
  'to-stamp': 'it is being stamped: destroy it once that is done',
  parked: 'it waits to be retried: retry or reject it first',
  returned: 'it was returned to the originator: nothing of it is on hand',
};

export interface DestructionRequest {
  /** The originator's written notice asking for the destruction. */
  readonly notice: string;
  /** The act's number. */
  readonly act: string;
  /** The members who destroy (at least two). */
  readonly members: readonly string[];
  /** The day, YYYY-MM-DD (default today). */
  readonly date?: string;
  /** How paper copies were destroyed, in the members' words. */
  readonly how?: string;
  /** The act also in Russian. */
  readonly russian?: boolean;
  /** The receiving authority, as the act names it. */
  readonly authority?: string;
  /** Who records it. */
  readonly by: string;
}

/** What the 'destroyed' event keeps of the request, to draw the act again after a stop. */
interface ActRecord {
  readonly notice: string;
  readonly members: readonly string[];
  readonly date: string;
  readonly how: string | null;
  readonly russian: boolean;
  readonly authority: string | null;
  readonly carriers: readonly string[];
}

export interface Destruction {
  readonly act: string;
  readonly actSha256: string;
  readonly actPdf: Uint8Array;
  readonly carriers: readonly { readonly carrierId: string; readonly incoming: string; readonly copies: readonly number[] }[];
  /** The SHA-256s sought, and what each is. */
  readonly sought: readonly Sought[];
  /** The files wiped (relative to the data directory). */
  readonly wiped: readonly string[];
  /** The last search: where, how many files, and what it found (nothing). */
  readonly search: SearchReport;
}

const destroyedEvent = (entry: Pick<RegisterEntry, 'events'>): EventRow | undefined => [...entry.events].reverse().find((e) => e.kind === 'destroyed');
const wipedNote = (entry: Pick<RegisterEntry, 'events'>): EventRow | undefined => entry.events.find((e) => e.kind === 'wiped');

/** Destroyed and not wiped yet: a process stopped between the commit and the end of its wipe. */
export const awaitsWipe = (entry: Pick<RegisterEntry, 'events'>): boolean => lastTransition(entry)?.state === 'destroyed' && !wipedNote(entry);

/** Every version of a carrier grif kept, by SHA-256: as received, stamped or re-marked, and each copy. */
export function versionsOf(entry: RegisterEntry): DestroyedItem['versions'] {
  const out: DestroyedItem['versions'][number][] = [{ sha256: entry.inputSha256, what: 'received' }];
  for (const e of entry.events) {
    if ((e.kind === 'stamped' || e.kind === 'remarked' || e.kind === 'level-removed') && e.outputSha256) out.push({ sha256: e.outputSha256, what: 'stamped' });
  }
  for (const c of copiesOf(entry)) out.push({ sha256: c.sha256, what: 'copy', copy: c.number });
  return out.filter((v, i) => out.findIndex((w) => w.sha256 === v.sha256) === i);
}

/** Records the destruction of carriers and wipes them (see the top of this file). */
export async function destroyCarriers(
  c: DestructionContext,
  ids: readonly string[],
  r: DestructionRequest,
): Promise<Destruction> {
  const act = r.act.trim();
  const notice = r.notice.trim();
  const members = [...new Set(r.members.map((m) => m.trim()).filter(Boolean))];
  if (!ids.length) throw new DestructionRefused('name the carriers to destroy');
  if (!notice) throw new DestructionRefused("a destruction needs the originator's written notice (Art. 6.4): cite it (--notice \"…\")");
  const badAct = actNumberProblem(act);
  if (badAct) throw new DestructionRefused(badAct);
  if (members.length < 2) throw new DestructionRefused(`a destruction is done by at least two people: name each (--by NAME --by NAME); named: ${members.length}`);
  const date = r.date ?? localDay();
  if (!isDate(date)) throw new DestructionRefused(`the date of the act must be YYYY-MM-DD, not ${JSON.stringify(r.date)}`);
  if (!r.by.trim()) throw new DestructionRefused('name who records the act');
  const unique = [...new Set(ids)];
  const entries: RegisterEntry[] = [];
  const problems: string[] = [];
  // An act's number names one act: the register finds the act by it (the search narrows by reference, then exactly).
  const earlier = (await c.register.list({ search: act })).flatMap((e) => e.events).find((e) => e.kind === 'destroyed' && e.reference === act);
  if (earlier) problems.push(actTaken(act, earlier.at));
  for (const id of unique) {
    const entry = await c.register.carrier(id);
    if (!entry) {
      problems.push(`${id}: no such carrier in the register`);
      continue;
    }
    const state = lastTransition(entry)?.state;
    if (state === 'destroyed') {
      const e = destroyedEvent(entry)!;
      problems.push(`${id} was destroyed already by act ${e.reference} on ${e.at.slice(0, 10)}${wipedNote(entry) ? '' : ' (its wipe is finished by running grif destroy --resume)'}`);
    } else if (!state || !nextState(state, 'destroyed')) problems.push(`${id} is ${state ?? 'not registered'}: ${SETTLE_FIRST[state ?? 'received'] ?? 'it cannot be destroyed now'}`);
    else {
      // The store keeps equal bytes once: the same file received in the other direction is another carrier.
      const twins = (await c.register.findBySha(entry.inputSha256)).filter((t) => t.id !== id && !unique.includes(t.id));
      const onHand = [];
      for (const t of twins) if ((await c.register.stateOf(t.id))?.state !== 'destroyed') onHand.push(t.id);
      if (onHand.length) problems.push(`${id}: the same file is also carrier ${onHand.join(', ')}, still kept: destroy them in one act`);
      else entries.push(entry);
    }
  }
  // All or none: an act lists what it destroyed, and a refusal changes nothing.
  if (problems.length) throw new DestructionRefused(problems.join('; '));
  const record: ActRecord = { notice, members, date, how: r.how?.trim() || null, russian: !!r.russian, authority: r.authority?.trim() || null, carriers: entries.map((e) => e.id) };
  try {
    await c.register.addEvents(
      entries.map((e, i) =>
        // The first event's key is the act's number: of two acts given one number at once, the
        // register takes one in its transaction and refuses the other whole.
        newEvent(e.id, 'destroyed', r.by.trim(), { level: currentLevel(e), reference: act, detail: JSON.stringify(record), key: i === 0 ? actKey(act) : `${e.id}:destroyed` }),
      ),
    );
  } catch (err) {
    if (err instanceof EventKeyTaken && err.key === actKey(act)) throw new DestructionRefused(`nothing was destroyed: ${actTaken(act, new Date().toISOString())}`);
    // Another request moved one of them first (a copy, a notice, a return, another act).
    if (err instanceof TransitionRefused || err instanceof EventKeyTaken) throw new DestructionRefused(`nothing was destroyed: ${err.message}`);
    throw err;
  }
  crashPoint('after-commit:destroyed');
  const done = await finishDestructions(c, entries.map((e) => e.id));
  const mine = done.find((d) => d.act === act) ?? (await finishedAct(c, act, entries.map((e) => e.id)));
  if (!mine) throw new GrifError(`act ${act}: its carriers were destroyed but the act was not found afterwards; run grif destroy --resume`, { code: 'internal' });
  return mine;
}

const actKey = (act: string): string => `destruction-act:${act}`;
const actTaken = (act: string, at: string): string => `act ${act} was recorded already on ${at.slice(0, 10)}: give this act its own number`;

/** The carriers destroyed and not wiped yet (a process stopped midway): all of them, or those of `ids`. */
export async function unfinishedDestructions(register: Register, ids?: readonly string[]): Promise<RegisterEntry[]> {
  const all = ids ? (await Promise.all(ids.map((id) => register.carrier(id)))).filter((e): e is RegisterEntry => !!e) : await register.inState(['destroyed']);
  return all.filter(awaitsWipe);
}

/** Wipes and searches for every destroyed carrier of `ids` (all of them when undefined) not wiped yet, act by act. */
export async function finishDestructions(
  c: DestructionContext,
  ids?: readonly string[],
): Promise<Destruction[]> {
  const open = await unfinishedDestructions(c.register, ids);
  const byAct = new Map<string, RegisterEntry[]>();
  for (const e of open) {
    const act = destroyedEvent(e)!.reference ?? '';
    byAct.set(act, [...(byAct.get(act) ?? []), e]);
  }
  const out: Destruction[] = [];
  for (const [act, entries] of byAct) out.push(await finishAct(c, act, entries));
  return out;
}

/** The sizes of the store's files by the SHA-256 their names begin with (for the search's beginnings). */
async function storedSizes(d: DataDir): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const n of await readdir(d.store).catch(() => [] as string[])) {
    const s = await stat(join(d.store, n)).catch(() => undefined);
    if (s?.isFile()) sizes.set(n.slice(0, 64), s.size);
  }
  return sizes;
}

/** work/ and work/results/ as read once for an act (not once per carrier). */
interface WorkListing {
  readonly work: readonly string[];
  readonly staged: readonly string[];
}

async function workListing(d: DataDir): Promise<WorkListing> {
  return { work: await readdir(d.work).catch(() => []), staged: await readdir(join(d.work, 'results')).catch(() => []) };
}

/** The files of a carrier found by name: text, previews, staged documents, the folders' files, the inbox file. */
async function namedFiles(d: DataDir, entry: RegisterEntry, listed: WorkListing): Promise<string[]> {
  const out = await bodyFiles(d, entry.id, listed.work);
  // Staged documents are named by their event's key, which begins with the carrier's id (stagedDocPathOf).
  out.push(...listed.staged.filter((n) => n.startsWith(`${entry.id}.`)).map((n) => join(d.work, 'results', n)));
  const ref = await loadRef(d, entry.id);
  if (ref) {
    for (const folder of ['outbox', 'review', 'rejected'] as const) {
      const n = resultNames(d, ref, folder);
      out.push(n.carrier, n.stamped, n.json, n.duplicate);
    }
    if (ref.inboxPath) out.push(ref.inboxPath);
    out.push(join(d.root, ref.stored));
  }
  return out;
}

/** The carriers of an act as a destruction answers them: incoming number and the receiver's copies. */
const actCarriers = (c: Pick<DestructionContext, 'incomingFormat'>, entries: readonly RegisterEntry[]): Destruction['carriers'] =>
  entries.map((e) => ({ carrierId: e.id, incoming: formatIncoming(e.incoming, c.incomingFormat), copies: copiesOf(e).map((x) => x.number) }));

/** What a destruction looks for: each version of each carrier, named by its incoming number. */
function soughtOf(c: Pick<DestructionContext, 'incomingFormat'>, entries: readonly RegisterEntry[]): Sought[] {
  return entries.flatMap((e) =>
    versionsOf(e).map((v) => ({ sha256: v.sha256, what: `${formatIncoming(e.incoming, c.incomingFormat)} ${v.what === 'copy' ? `copy № ${v.copy}` : v.what}` })),
  );
}

/**
 * An act another process finished first (the reconciler, a second grif destroy --resume): what the
 * register says of it, with the act as kept in the store; undefined when it is not finished.
 */
async function finishedAct(c: DestructionContext, act: string, ids: readonly string[]): Promise<Destruction | undefined> {
  const entries = (await Promise.all(ids.map((id) => c.register.carrier(id)))).filter((e): e is RegisterEntry => !!e);
  const note = entries[0] && wipedNote(entries[0]);
  if (!note?.outputSha256 || note.reference !== act) return undefined;
  const actPdf = await readFile(join(c.dir.store, storedName(note.outputSha256, 'act.pdf'))).catch(() => undefined);
  if (!actPdf) return undefined;
  const proof = JSON.parse(note.detail ?? '{}') as { root?: string; files?: number; bytes?: number };
  return {
    act,
    actSha256: note.outputSha256,
    actPdf,
    carriers: actCarriers(c, entries),
    sought: soughtOf(c, entries),
    wiped: [],
    search: { root: proof.root ?? c.dir.root, files: proof.files ?? 0, bytes: proof.bytes ?? 0, found: [] },
  };
}

async function finishAct(c: DestructionContext, act: string, entries: RegisterEntry[]): Promise<Destruction> {
  const d = c.dir;
  const first = destroyedEvent(entries[0]!)!;
  const record = JSON.parse(first.detail ?? '{}') as ActRecord;
  const sizes = await storedSizes(d);
  const sought: Sought[] = soughtOf(c, entries).map((s) => {
    const size = sizes.get(s.sha256);
    return size ? { ...s, size } : s;
  });
  const wiped: string[] = [];
  const listed = await workListing(d);
  for (const e of entries) {
    for (const p of await namedFiles(d, e, listed)) {
      if (await wipeFile(p)) wiped.push(p.slice(d.root.length + 1));
      // Killed with some files wiped and others not (test/service/destruction.test.ts).
      crashPoint('mid-wipe:destroyed');
    }
  }
  // Whatever else holds their contents (a stray copy, a file put there by hand), then again to prove none is left.
  let search = await findContents(d.root, sought, c.onSearch);
  for (let pass = 0; search.found.length && pass < 3; pass++) {
    for (const f of search.found) if (await wipeFile(join(d.root, f.path))) wiped.push(f.path);
    search = await findContents(d.root, sought, c.onSearch);
  }
  if (search.found.length) {
    throw new GrifError(`act ${act}: ${search.found.map((f) => f.path).join(', ')} still hold(s) the destroyed contents after wiping; check the data directory's permissions and run grif destroy --resume`, { code: 'destroy/incomplete' });
  }
  const to = entries[0]!.to;
  const items: DestroyedItem[] = entries.map((e) => ({
    name: e.name,
    incoming: formatIncoming(e.incoming, c.incomingFormat),
    received: localDay(new Date(e.receivedAt)),
    level: destroyedEvent(e)!.level,
    pages: pagesOf(e),
    versions: versionsOf(e),
  }));
  const parts = destructionActParts(
    { number: act, date: record.date, notice: record.notice, members: record.members, how: record.how, authority: record.authority, items, search: { root: d.root, files: search.files, found: 0 } },
    party(to).lang,
    record.russian,
  );
  const actPdf = await drawDocument(parts, { title: `${parts[0]!.title} ${act}`, subject: `Art. 6.4 act of destruction ${act}: ${entries.length} carrier(s)`, date: new Date(`${record.date}T12:00:00Z`) });
  const actSha256 = sha256Of(actPdf);
  await storeCarrier(d, actPdf, actSha256, 'act.pdf');
  const proof = { root: d.root, files: search.files, bytes: search.bytes, sought: sought.map((s) => s.sha256), found: 0, wiped: wiped.length };
  try {
    await c.register.addEvents(entries.map((e) => newEvent(e.id, 'wiped', 'grif', { reference: act, outputSha256: actSha256, detail: JSON.stringify(proof), key: `${e.id}:wiped` })));
  } catch (err) {
    // Another process finished the same act first: its act is the one registered.
    if (!(err instanceof EventKeyTaken)) throw err;
  }
  for (const e of entries) await publish(c, e.id);
  const now = await c.register.carrier(entries[0]!.id);
  const note = now && wipedNote(now);
  const registered = note?.outputSha256 ?? actSha256;
  if (registered !== actSha256) await wipeFile(join(d.store, storedName(actSha256, 'act.pdf')));
  const actPdfRegistered = registered === actSha256 ? actPdf : await readFile(join(d.store, storedName(registered, 'act.pdf')));
  return {
    act,
    actSha256: registered,
    actPdf: actPdfRegistered,
    carriers: actCarriers(c, entries),
    sought,
    wiped,
    search,
  };
}
