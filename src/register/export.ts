/** The register as CSV (one line per carrier, for spreadsheets) and as JSON Lines (everything). */
import type { EventRow, RegisterEntry } from './register.js';

export const CSV_COLUMNS = [
  'id', 'receivedAt', 'name', 'from', 'to', 'kind', 'derivedFrom', 'inputSha256',
  'status', 'level', 'decidedBy', 'reference', 'outputSha256', 'outputPath',
] as const;

/**
 * The event that says where a carrier stands: its last one, passing over 'duplicate' events, which
 * record that the same carrier arrived again and decide nothing.
 */
export function latestDecision(entry: RegisterEntry): EventRow | undefined {
  for (let i = entry.events.length - 1; i >= 0; i--) {
    const e = entry.events[i]!;
    if (e.kind !== 'duplicate') return e;
  }
  return entry.events.at(-1);
}

/** 'registered' when no event has been written yet. */
export function statusOf(entry: RegisterEntry): string {
  return latestDecision(entry)?.kind ?? 'registered';
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

export function csvRow(entry: RegisterEntry): string[] {
  const d = latestDecision(entry);
  return [
    entry.id, entry.receivedAt, entry.name, entry.from, entry.to, entry.kind, entry.derivedFrom ?? '', entry.inputSha256,
    statusOf(entry), d?.level ?? '', d?.decidedBy ?? '', d?.reference ?? '', d?.outputSha256 ?? '', d?.outputPath ?? '',
  ];
}

/** A header line, then one line per carrier; CRLF line ends as RFC 4180 has them. */
export function toCsv(entries: readonly RegisterEntry[]): string {
  return [CSV_COLUMNS, ...entries.map(csvRow)].map((cells) => cells.map(csvCell).join(',') + '\r\n').join('');
}

/** One JSON object per carrier, with all its events. */
export function toJsonLines(entries: readonly RegisterEntry[]): string {
  return entries.map((e) => JSON.stringify(e) + '\n').join('');
}
