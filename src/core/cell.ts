/** What one cell (or two joined cells) of text holds: markings, other labels, stamp words, prose. */
import { PHRASES, STAMP_WORD_SKELS, COPY_WORD_SKELS, editsAgainstTargets, isProseCollocate, targetIndex, type Phrase } from './phrases.js';
import type { Token } from './tokenize.js';

export interface PhraseMatch {
  readonly phrase: Phrase;
  /** Token range [from, to). */
  readonly from: number;
  readonly to: number;
  /** Edits beyond look-alike folding. */
  readonly edits: number;
}

/** What each token of a cell turned out to be. */
export type TokenRole = 'marking' | 'stamp-word' | 'number' | 'rest';

export interface CellAnalysis {
  readonly tokens: readonly Token[];
  readonly roles: readonly TokenRole[];
  readonly matches: readonly PhraseMatch[];
  /** Letters in words that are neither a marking nor a stamp word. */
  readonly restLetters: number;
  readonly restTokens: number;
  /** A rest word makes the marking words a noun phrase of prose ("құпия ақпарат"). */
  readonly proseCollocate: boolean;
  readonly copyWord: boolean;
  readonly hasNumber: boolean;
  /** The cell is only the opening words of a longer marking ("СОВЕРШЕННО" above "СЕКРЕТНО"). */
  readonly opening: boolean;
}

// Each phrase's words and run-together form, as target numbers.
const PHRASE_TARGETS = new Map<Phrase, { words: number[]; glued: number }>(
  PHRASES.map((p) => [p, { words: p.words.map(targetIndex), glued: targetIndex(p.glued) }]),
);

function editsOf(token: Token, target: number): number {
  const e = editsAgainstTargets(token.skel);
  return e === null ? -1 : e[target]!;
}

function matchAt(tokens: readonly Token[], i: number, phrase: Phrase): PhraseMatch | null {
  const targets = PHRASE_TARGETS.get(phrase)!;
  let best: PhraseMatch | null = null;
  if (phrase.words.length > 1 && i + phrase.words.length <= tokens.length) {
    let edits = 0;
    let ok = true;
    for (let k = 0; k < phrase.words.length; k++) {
      const e = editsOf(tokens[i + k]!, targets.words[k]!);
      if (e < 0) {
        ok = false;
        break;
      }
      edits += e;
    }
    if (ok) best = { phrase, from: i, to: i + phrase.words.length, edits };
  }
  // The words run together: OCR dropped the space, or letter-spacing had no wider word gap.
  const e = editsOf(tokens[i]!, targets.glued);
  if (e >= 0 && (best === null || e < best.edits)) best = { phrase, from: i, to: i + 1, edits: e };
  return best;
}

// Longest match wins, but an edit counts against it twice: "СЕКРЕТНО" is the marking it spells
// exactly, not "Несекретно" two letters away.
function score(m: PhraseMatch): number {
  return m.phrase.letters - 2 * m.edits;
}

function bestMatchAt(tokens: readonly Token[], i: number): PhraseMatch | null {
  // Every phrase starts with its first word or its run-together form: no target, no match.
  if (editsAgainstTargets(tokens[i]!.skel) === null) return null;
  let best: PhraseMatch | null = null;
  for (const phrase of PHRASES) {
    const m = matchAt(tokens, i, phrase);
    if (!m) continue;
    if (best === null || score(m) > score(best) || (score(m) === score(best) && m.phrase.letters > best.phrase.letters)) {
      best = m;
    }
  }
  return best;
}

const DIGITS = /^\d+$/;

function isOpening(tokens: readonly Token[]): boolean {
  const words = tokens.filter((t) => !STAMP_WORD_SKELS.has(t.skel) && !DIGITS.test(t.skel));
  if (words.length === 0) return false;
  return PHRASES.some(
    (p) =>
      p.kind === 'level' &&
      p.words.length > words.length &&
      words.every((t, k) => editsOf(t, PHRASE_TARGETS.get(p)!.words[k]!) >= 0),
  );
}

// OCR breaks bold capitals into pieces ("АБ ДАН ЖАШ Ы РУУН"): a run of short pieces is also
// tried glued together, against every phrase's run-together form.
const MAX_PIECE_LETTERS = 4;
const MAX_PIECES = 6;

function brokenMatchAt(tokens: readonly Token[], i: number): PhraseMatch | null {
  if (tokens[i]!.letters === 0 || tokens[i]!.letters > MAX_PIECE_LETTERS) return null;
  let glued = tokens[i]!.skel;
  let best: PhraseMatch | null = null;
  for (let j = i + 1; j < tokens.length && j - i < MAX_PIECES; j++) {
    const t = tokens[j]!;
    if (t.letters === 0 || DIGITS.test(t.skel)) break;
    glued += t.skel;
    const edits = editsAgainstTargets(glued);
    if (edits === null) continue;
    for (const phrase of PHRASES) {
      const e = edits[PHRASE_TARGETS.get(phrase)!.glued]!;
      if (e < 0) continue;
      const m: PhraseMatch = { phrase, from: i, to: j + 1, edits: e };
      if (best === null || m.to > best.to || (m.to === best.to && score(m) > score(best))) best = m;
    }
  }
  return best;
}

/** Longest match first, left to right; what no phrase takes is a stamp word, a number or prose. */
export function analyseTokens(tokens: readonly Token[]): CellAnalysis {
  const matches: PhraseMatch[] = [];
  const roles: TokenRole[] = [];
  let restLetters = 0;
  let restTokens = 0;
  let proseCollocate = false;
  let copyWord = false;
  let hasNumber = false;
  let i = 0;
  while (i < tokens.length) {
    const m = bestMatchAt(tokens, i) ?? brokenMatchAt(tokens, i);
    if (m) {
      matches.push(m);
      for (let k = m.from; k < m.to; k++) roles.push('marking');
      i = m.to;
      continue;
    }
    const t = tokens[i]!;
    if (DIGITS.test(t.skel)) {
      hasNumber = true;
      roles.push('number');
    } else if (STAMP_WORD_SKELS.has(t.skel)) {
      copyWord ||= COPY_WORD_SKELS.has(t.skel);
      roles.push('stamp-word');
    } else {
      restLetters += t.letters;
      restTokens++;
      proseCollocate ||= isProseCollocate(t.skel);
      roles.push('rest');
    }
    i++;
  }
  const opening = matches.length === 0 && isOpening(tokens);
  return { tokens, roles, matches, restLetters, restTokens, proseCollocate, copyWord, hasNumber, opening };
}

function sameLang(a: Phrase, b: Phrase): boolean {
  return a.lang === b.lang;
}

/**
 * When other words stand just before a marking that ends a longer marking ("СОВХЖЩЗННО СЕКРЕТНО"),
 * they may be that longer marking's opening, garbled past recognition. Returns the longest such
 * phrase, so that the evidence is never read as lower than it may be.
 */
export function garbledOpening(a: CellAnalysis, m: PhraseMatch): Phrase | null {
  let best: Phrase | null = null;
  for (const p of PHRASES) {
    if (p.kind !== 'level' || !sameLang(p, m.phrase)) continue;
    const k = p.words.length - m.phrase.words.length;
    if (k <= 0 || m.from - k < 0) continue;
    if (!m.phrase.words.every((w, i) => p.words[k + i] === w)) continue;
    let fits = true;
    for (let i = 0; i < k && fits; i++) {
      const t = a.tokens[m.from - k + i]!;
      fits = a.roles[m.from - k + i] === 'rest' && Math.abs(t.skel.length - p.words[i]!.length) <= 3;
    }
    if (fits && (best === null || p.letters > best.letters)) best = p;
  }
  return best;
}

/** True when the marking's letters are all capitals, as on a stamp. */
export function inCapitals(a: CellAnalysis, m: PhraseMatch): boolean {
  const raw = a.tokens
    .slice(m.from, m.to)
    .map((t) => t.raw)
    .join('');
  return raw === raw.toUpperCase() && raw !== raw.toLowerCase();
}
