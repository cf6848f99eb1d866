/**
 * Searching the register as a clerk searches it: by the carrier's name, its id or incoming number,
 * its SHA-256, the levels decided on it in any language (the Article 3 names in Kazakh, Kyrgyz and
 * Russian, the level ids and their English words), who decided, the reference of a decision, and
 * the dates (as 2026-03-04 or 04.03.2026). Case does not matter, nor does a look-alike letter: a
 * Latin "C" for the Cyrillic "С", a Russian "к" for the Kazakh "қ" (the core's folding table).
 *
 * A query that is exactly a level's name ("Секретно", "өте құпия", "top secret") finds the carriers
 * at that level, not those whose level merely contains the word ("Совершенно секретно"). Any other
 * query is split into words, and a carrier matches when each word is found somewhere in it.
 * Pure: the register's rows in, a filter out.
 */
import { ARTICLE_3, LANGS, type Level } from '../core/article3.js';
import { foldChar } from '../core/fold.js';
import type { ListOptions, Register, RegisterEntry } from './register.js';

/**
 * One character as the search compares it: letters upper-cased and then folded with their
 * look-alikes (so "c", "C" and "С" are one), digits and punctuation kept, any space one space.
 */
function foldSearchChar(ch: string): string {
  if (/\s/u.test(ch)) return ' ';
  if (!/\p{L}/u.test(ch)) return ch;
  const upper = ch.toUpperCase();
  // A letter whose capital is two letters (ß → SS) stays itself.
  return upper.length === 1 ? foldChar(upper) : ch.toLowerCase();
}

/** Text as the search compares it (see foldSearchChar); runs of spaces become one, ends trimmed. */
export function foldForSearch(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) out += foldSearchChar(ch);
  return out.replace(/ +/g, ' ').trim();
}

/** Every name of a level a clerk may type: its id, its English words, and the Article 3 spellings. */
export function levelNames(level: Level): string[] {
  const row = ARTICLE_3.find((r) => r.id === level);
  return [level, level.replace(/-/g, ' '), ...LANGS.map((l) => row?.spelling[l] ?? '')].filter(Boolean);
}

const LEVEL_BY_NAME: ReadonlyMap<string, Level> = new Map(ARTICLE_3.flatMap((r) => levelNames(r.id).map((n) => [foldForSearch(n), r.id] as const)));

/** The level a query names exactly (any language, any case, look-alikes allowed), if it names one. */
export function levelNamed(query: string): Level | undefined {
  return LEVEL_BY_NAME.get(foldForSearch(query));
}

/** An ISO date-time as the two ways a clerk writes its day: 2026-03-04 and 04.03.2026 (UTC, as stored). */
function days(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? [`${m[1]}-${m[2]}-${m[3]}`, `${m[3]}.${m[2]}.${m[1]}`] : [];
}

/** The levels recorded for a carrier: those of its events (verdicts, decisions, stamps). */
export function levelsOf(entry: RegisterEntry): Set<Level> {
  const levels = new Set<Level>();
  for (const e of entry.events) if (e.level) levels.add(e.level);
  return levels;
}

/** Everything a search looks at in one carrier, folded once; fields apart so a word cannot span two. */
export function searchText(entry: RegisterEntry): string {
  const fields: string[] = [
    entry.name,
    // The incoming number as registries write it ("17/2026") and with the year short ("17/26").
    ...(entry.incoming ? [`${entry.incoming.seq}/${entry.incoming.year}`, `${entry.incoming.seq}/${String(entry.incoming.year % 100).padStart(2, '0')}`] : []),
    entry.id,
    entry.inputSha256,
    entry.derivedFrom ?? '',
    entry.kind,
    ...days(entry.receivedAt),
    entry.receivedAt,
  ];
  for (const level of levelsOf(entry)) fields.push(...levelNames(level));
  for (const e of entry.events) {
    fields.push(e.kind, e.decidedBy, e.reference ?? '', e.outputSha256 ?? '', ...days(e.at));
  }
  return fields.map(foldForSearch).join('\u0000');
}

/** A predicate for one query; every carrier matches an empty query. */
export function registerMatcher(query: string): (entry: RegisterEntry) => boolean {
  const q = foldForSearch(query);
  if (!q.replace(/[№# ]/gu, '')) return () => true;
  const level = levelNamed(query);
  if (level) return (entry) => levelsOf(entry).has(level);
  // "№ 3f9a0c12" and "#3f9a0c12" are the incoming number 3f9a0c12.
  const words = q.split(' ').map((w) => w.replace(/^[№#]+/u, '')).filter(Boolean);
  return (entry) => {
    const text = searchText(entry);
    return words.every((w) => text.includes(w));
  };
}

/**
 * The register's carriers, newest first, that match `search` (all without one), paged. With a
 * search every carrier is read and filtered here, the same for SQLite and PostgreSQL; `total` is
 * the number that match.
 */
export async function searchRegister(register: Pick<Register, 'list'>, opts: ListOptions): Promise<{ entries: RegisterEntry[]; total?: number }> {
  const search = opts.search?.trim();
  if (!search) {
    const { search: _ignored, ...paging } = opts;
    return { entries: await register.list(paging) };
  }
  const matching = (await register.list({})).filter(registerMatcher(search));
  const offset = opts.offset ?? 0;
  return { entries: opts.limit === undefined ? matching.slice(offset) : matching.slice(offset, offset + opts.limit), total: matching.length };
}
