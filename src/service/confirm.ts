/**
 * Confirmations of receipt (Art. 5.3): for a transfer (the sender's covering letter or dispatch
 * list, recorded at intake), the document listing each carrier received in it, registered as an
 * outgoing document with its own number, and a 'receipt-confirmed' event for each carrier, all in
 * one register transaction. Carriers received in a transfer and not confirmed after some days
 * are listed.
 */
import { isLevel, rank, type Level } from '../core/article3.js';
import { drawDocument } from '../acts/pdf-document.js';
import { confirmationParts, type ConfirmedCarrier } from '../acts/receipt-confirmation.js';
import { GrifError } from '../errors.js';
import { formatIncoming } from '../register/incoming.js';
import { lastTransition, newEvent, OutgoingNumberTaken, type OutgoingRow, type Register, type RegisterEntry } from '../register/register.js';
import type { CarrierState } from '../register/states.js';
import { sha256Of } from '../sha256.js';
import { localDay } from './notices.js';

export class ConfirmRefused extends GrifError {
  constructor(message: string) {
    super(message, { code: 'confirm/refused' });
  }
}

// Still being read: what the sender marked is not known yet.
const IN_PROGRESS: readonly CarrierState[] = ['received', 'extracted', 'to-stamp', 'parked'];

/** The transfer a carrier came in, and the sender's reference of it there. */
export function transferOf(entry: Pick<RegisterEntry, 'events'>): { transfer: string; senderReference: string | null; at: string } | undefined {
  const e = entry.events.find((x) => x.kind === 'transfer');
  if (!e?.reference) return undefined;
  let senderReference: string | null = null;
  try {
    senderReference = e.detail ? ((JSON.parse(e.detail) as { senderReference?: string }).senderReference ?? null) : null;
  } catch {
    senderReference = null;
  }
  return { transfer: e.reference, senderReference, at: e.at };
}

export const confirmationOf = (entry: Pick<RegisterEntry, 'events'>) => entry.events.find((e) => e.kind === 'receipt-confirmed');

/** The levels the sender's markings name, as grif read them (its verdict's stamps); 'unread' when it could not be read. */
function senderLevels(entry: RegisterEntry): Level[] | 'unread' {
  const verdict = [...entry.events].reverse().find((e) => e.kind === 'verdict');
  if (!verdict) return lastTransition(entry)?.state === 'rejected' ? 'unread' : [];
  const found = new Set<Level>(verdict.level ? [verdict.level] : []);
  for (const s of verdict.stamps as { level?: unknown }[]) if (isLevel(s.level)) found.add(s.level);
  return [...found].sort((a, b) => rank(b) - rank(a));
}

/** The carrier's page count, as its reading recorded it. */
export function pagesOf(entry: RegisterEntry): number | null {
  const d = entry.events.find((e) => e.kind === 'extracted')?.detail;
  const m = d ? /^(\d+) page/.exec(d) : null;
  return m ? Number(m[1]) : null;
}

const day = (iso: string): string => localDay(new Date(iso));

export interface Confirmed {
  readonly pdf: Uint8Array;
  readonly sha256: string;
  readonly number: string;
  readonly row: OutgoingRow;
  readonly carriers: readonly string[];
}

/**
 * Writes and registers the confirmation of a transfer's carriers not yet confirmed. Refused when
 * no carrier came in it, when all were confirmed already, or while one is still being read.
 */
export async function confirmTransfer(
  register: Register,
  transfer: string,
  opts: {
    readonly authority: string;
    readonly by: string;
    readonly incomingFormat?: string;
    readonly at?: Date;
    /** Keeps the document before the register names it (the data directory's store), so that it can always be printed again. */
    readonly keep?: (pdf: Uint8Array) => Promise<void>;
  },
): Promise<Confirmed> {
  const ref = transfer.trim();
  if (!ref) throw new ConfirmRefused('name the transfer to confirm (--transfer REF)');
  if (!opts.authority.trim()) throw new ConfirmRefused('name the receiving authority that confirms (--authority or GRIF_AUTHORITY)');
  // The register's search narrows by the reference (a transfer's is its event's); then exactly.
  const all = (await register.list({ search: ref })).filter((e) => transferOf(e)?.transfer === ref).reverse();
  if (!all.length) throw new ConfirmRefused(`no carrier in the register came in transfer ${JSON.stringify(ref)}`);
  const open = all.filter((e) => !confirmationOf(e));
  if (!open.length) throw new ConfirmRefused(`every carrier of transfer ${JSON.stringify(ref)} is confirmed already (${[...new Set(all.map((e) => confirmationOf(e)!.reference))].join(', ')})`);
  const busy = open.filter((e) => IN_PROGRESS.includes(lastTransition(e)?.state ?? 'received'));
  if (busy.length) {
    throw new ConfirmRefused(`transfer ${ref}: ${busy.map((e) => formatIncoming(e.incoming, opts.incomingFormat)).join(', ')} still being read; confirm when every carrier is through intake`);
  }
  const at = opts.at ?? new Date();
  const carriers: ConfirmedCarrier[] = open.map((e) => ({
    senderReference: transferOf(e)!.senderReference,
    name: e.name,
    pages: pagesOf(e),
    senderLevels: senderLevels(e),
    incoming: formatIncoming(e.incoming, opts.incomingFormat),
    received: day(e.receivedAt),
    sha256: e.inputSha256,
  }));
  const first = open[0]!;
  for (let attempt = 0; ; attempt++) {
    const year = at.getFullYear();
    const seq = (await register.outgoing()).filter((o) => o.year === year).reduce((m, o) => Math.max(m, o.seq), 0) + 1;
    const number = formatIncoming({ year, seq }, opts.incomingFormat);
    const parts = confirmationParts({ transfer: ref, number, date: day(at.toISOString()), from: first.from, to: first.to, authority: opts.authority.trim(), signedBy: opts.by, carriers });
    const pdf = await drawDocument(parts, { title: `${parts[0]!.title} ${number}`, subject: `Art. 5.3 confirmation of receipt: transfer ${ref}, ${carriers.length} carrier(s)`, date: at });
    const sha256 = sha256Of(pdf);
    await opts.keep?.(pdf);
    try {
      const { row } = await register.addOutgoing(
        { kind: 'receipt-confirmation', at: at.toISOString(), sha256, decidedBy: opts.by, detail: JSON.stringify({ transfer: ref, carriers: open.map((e) => e.id) }), expectSeq: seq },
        () => open.map((e) => newEvent(e.id, 'receipt-confirmed', opts.by, { reference: number, outputSha256: sha256, detail: `transfer ${ref}`, key: `${e.id}:receipt-confirmed:${year}/${seq}` })),
      );
      return { pdf, sha256, number, row, carriers: open.map((e) => e.id) };
    } catch (err) {
      // Another document took the number while this one was written: write it again with the next.
      if (err instanceof OutgoingNumberTaken && attempt < 5) continue;
      throw err;
    }
  }
}

export interface Unconfirmed {
  readonly carrierId: string;
  readonly incoming: string;
  readonly name: string;
  readonly transfer: string;
  readonly receivedAt: string;
  readonly days: number;
}

/** Carriers received in a transfer more than `days` days before `now` whose receipt is not confirmed yet, oldest first. */
export async function unconfirmed(register: Register, days: number, now: Date, incomingFormat?: string): Promise<Unconfirmed[]> {
  const out: Unconfirmed[] = [];
  for (const e of await register.list()) {
    const t = transferOf(e);
    if (!t || confirmationOf(e)) continue;
    const age = Math.floor((now.getTime() - new Date(e.receivedAt).getTime()) / 86_400_000);
    if (age < days) continue;
    out.push({ carrierId: e.id, incoming: formatIncoming(e.incoming, incomingFormat), name: e.name, transfer: t.transfer, receivedAt: e.receivedAt, days: age });
  }
  return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}
