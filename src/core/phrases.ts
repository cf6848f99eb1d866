/**
 * The phrases the detector looks for, compiled once from the Article 3 table and the table of
 * other labels, in folded form, longest first (so "Совершенно секретно" is one top-secret
 * marking and never also a secret one).
 */
import { ARTICLE_3, LANGS, type Lang, type Level } from './article3.js';
import { foldPhrase, foldToken } from './fold.js';
import { COPY_WORDS, OTHER_LABELS, STAMP_WORDS, type OtherLabelId } from './labels.js';

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

/** Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
export function boundedDistance(a: string, b: string, limit: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > limit) return limit + 1;
  if (limit === 0) return 1;
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[lb]!;
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
