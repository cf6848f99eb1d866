/** The register as CSV (one line per carrier, for spreadsheets) and as JSON Lines (everything). */
import { formatIncoming } from './incoming.js';
import { lastTransition, type EventKind, type EventRow, type RegisterEntry } from './register.js';

export const CSV_COLUMNS = [
  'incoming', 'id', 'receivedAt', 'name', 'from', 'to', 'kind', 'derivedFrom', 'inputSha256',
  'status', 'level', 'decidedBy', 'reference', 'outputSha256', 'outputPath',
] as const;

// Events that decide nothing about the carrier: it arrived (again), its text was read, it was taken again.
const NOT_DECISIONS: ReadonlySet<EventKind> = new Set<EventKind>(['duplicate', 'registered', 'extracted', 'retried']);

/** The event that says what was decided about a carrier (its level, who, the reference, the output): its last decision. */
export function latestDecision(entry: RegisterEntry): EventRow | undefined {
  for (let i = entry.events.length - 1; i >= 0; i--) {
    const e = entry.events[i]!;
    if (!NOT_DECISIONS.has(e.kind)) return e;
  }
  return undefined;
}

/**
 * Where a carrier stands, in the register's words: its state (states.ts), an unchanged carrier
 * told apart as 'unmarked' or 'already-marked' (it bears the receiving side's marking already).
 */
export function statusOf(entry: RegisterEntry): string {
  const e = lastTransition(entry);
  if (!e) return 'received';
  return e.state === 'unchanged' ? e.kind : e.state!;
}

/**
 * One RFC 4180 cell. File names come from outside: a name such as `=HYPERLINK(…)` would run as a
 * formula in a spreadsheet, so a cell starting with = + - @ (or tab, CR) gets a leading '.
 */
export function csvCell(value: string | null | undefined): string {
  let s = value ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(entry: RegisterEntry, incomingFormat?: string): string[] {
  const d = latestDecision(entry);
  return [
    formatIncoming(entry.incoming, incomingFormat),
    entry.id, entry.receivedAt, entry.name, entry.from, entry.to, entry.kind, entry.derivedFrom ?? '', entry.inputSha256,
    statusOf(entry), d?.level ?? '', d?.decidedBy ?? '', d?.reference ?? '', d?.outputSha256 ?? '', d?.outputPath ?? '',
  ];
}

/** A header line, then one line per carrier; CRLF line ends as RFC 4180 has them. */
export function toCsv(entries: readonly RegisterEntry[], incomingFormat?: string): string {
  return [CSV_COLUMNS, ...entries.map((e) => csvRow(e, incomingFormat))].map((cells) => cells.map(csvCell).join(',') + '\r\n').join('');
}

/** One JSON object per carrier, with all its events. */
export function toJsonLines(entries: readonly RegisterEntry[]): string {
  return entries.map((e) => JSON.stringify(e) + '\n').join('');
}
