/**
 * The phrases the detector looks for, compiled once from the Article 3 table and the table of
 * other labels, in folded form, longest first (so "Совершенно секретно" is one top-secret
 * marking and never also a secret one).
 */
import { ARTICLE_3, LANGS, type Lang, type Level } from './article3.js';
import { foldPhrase, foldToken } from './fold.js';
import { COPY_WORDS, OTHER_LABELS, PROSE_COLLOCATES, STAMP_WORDS, type OtherLabelId } from './labels.js';

export type Phrase =
  | { readonly kind: 'level'; readonly level: Level; readonly lang: Lang; readonly text: string; readonly words: readonly string[]; readonly glued: string; readonly letters: number }
  | { readonly kind: 'other'; readonly label: OtherLabelId; readonly lang: Lang; readonly text: string; readonly words: readonly string[]; readonly glued: string; readonly letters: number };

function compile(text: string): Pick<Phrase, 'words' | 'glued' | 'letters'> {
  const words = foldPhrase(text).split(' ');
  const glued = words.join('');
  return { words, glued, letters: glued.length };
}

function buildPhrases(): Phrase[] {
  const seen = new Set<string>();
  const out: Phrase[] = [];
  for (const row of ARTICLE_3) {
    for (const lang of LANGS) {
      const text = row.spelling[lang];
      const c = compile(text);
      // Russian is written alike by both Parties: one phrase serves both.
      if (seen.has(c.glued)) continue;
      seen.add(c.glued);
      out.push({ kind: 'level', level: row.id, lang, text, ...c });
    }
  }
  for (const label of OTHER_LABELS) {
    out.push({ kind: 'other', label: label.id, lang: label.lang, text: label.text, ...compile(label.text) });
  }
  return out.sort((a, b) => b.words.length - a.words.length || b.letters - a.letters);
}

export const PHRASES: readonly Phrase[] = buildPhrases();

/** Folded stamp words (copy lines and the like). */
export const STAMP_WORD_SKELS: ReadonlySet<string> = new Set(STAMP_WORDS.map(foldToken));
export const COPY_WORD_SKELS: ReadonlySet<string> = new Set(COPY_WORDS.map(foldToken));
const COLLOCATE_SKELS: readonly string[] = PROSE_COLLOCATES.map(foldToken);

/** True for a word that makes a marking word beside it prose ("ақпаратты", "сведения"). */
export function isProseCollocate(skel: string): boolean {
  return COLLOCATE_SKELS.some((c) => skel.startsWith(c));
}

/**
 * How many edits (beyond look-alike folding) a word of this length may have and still be a
 * candidate. Short words get none: one edit turns "аса" or "өте" into other words. Whether a
 * candidate decides or goes to a person is the confidence's business (settings.editCost).
 */
export function maxEdits(length: number): number {
  if (length >= 10) return 3;
  if (length >= 7) return 2;
  if (length >= 5) return 1;
  return 0;
}

// Two reusable rows: the detector computes this for every short word of a carrier.
let rowA = new Int32Array(128);
let rowB = new Int32Array(128);

/** Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
export function boundedDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > limit) return limit + 1;
  if (limit === 0) return 1;
  if (lb + 1 > rowA.length) {
    rowA = new Int32Array(lb + 1);
    rowB = new Int32Array(lb + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

/**
 * Every folded word and run-together phrase a token can be compared with, numbered. A token's
 * edits against all of them are computed once and cached: the words of running text repeat
 * from page to page, and most have no target within reach at all.
 */
export const TARGETS: readonly string[] = [...new Set(PHRASES.flatMap((p) => [...p.words, p.glued]))];
const TARGET_INDEX = new Map(TARGETS.map((t, i) => [t, i]));
const TARGET_LIMITS = TARGETS.map((t) => maxEdits(t.length));
const MIN_TARGET = Math.min(...TARGETS.map((t, i) => t.length - TARGET_LIMITS[i]!));
const MAX_TARGET = Math.max(...TARGETS.map((t, i) => t.length + TARGET_LIMITS[i]!));

export function targetIndex(target: string): number {
  const i = TARGET_INDEX.get(target);
  if (i === undefined) throw new RangeError(`not a phrase word: ${target}`);
  return i;
}

/** Edits of a token against each target, -1 where out of reach; null when none is in reach. */
export type TargetEdits = Int8Array | null;

const CACHE_LIMIT = 100_000;
const cache = new Map<string, TargetEdits>();

/** Which letters a word has, as 64 bits: a–я one bit each, any other letter hashed into the rest. */
function letterSet(s: string): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x430 && c <= 0x44f) lo |= 1 << (c - 0x430);
    else hi |= 1 << (c % 32);
  }
  return [lo, hi];
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const TARGET_SETS = TARGETS.map(letterSet);

/**
 * A lower bound of the edits between two words from their letter sets: each letter one word has
 * and the other lacks costs at least one edit. It rejects most words before any distance table.
 */
function lettersApart(a: [number, number], b: [number, number]): number {
  const missing = popcount(b[0] & ~a[0]) + popcount(b[1] & ~a[1]);
  const extra = popcount(a[0] & ~b[0]) + popcount(a[1] & ~b[1]);
  return missing > extra ? missing : extra;
}

export function editsAgainstTargets(skel: string): TargetEdits {
  if (skel.length < MIN_TARGET || skel.length > MAX_TARGET) return null;
  const hit = cache.get(skel);
  if (hit !== undefined) return hit;
  let edits: Int8Array | null = null;
  const set = letterSet(skel);
  for (let i = 0; i < TARGETS.length; i++) {
    const limit = TARGET_LIMITS[i]!;
    if (lettersApart(set, TARGET_SETS[i]!) > limit) continue;
    const d = boundedDistance(skel, TARGETS[i]!, limit);
    if (d <= limit) {
      edits ??= new Int8Array(TARGETS.length).fill(-1);
      edits[i] = d;
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(skel, edits);
  return edits;
}

// Distinct levels must stay apart by more than the edits tolerated, or noise could flip a level.
function checkSeparation(): void {
  const levels = PHRASES.filter((p) => p.kind === 'level');
  for (const a of levels) {
    for (const b of levels) {
      if (a.kind !== 'level' || b.kind !== 'level' || a.level === b.level) continue;
      const limit = maxEdits(Math.min(a.letters, b.letters));
      if (boundedDistance(a.glued, b.glued, limit) <= limit) {
        throw new Error(`phrases "${a.text}" and "${b.text}" are too close to tell apart`);
      }
    }
  }
}
checkSeparation();
