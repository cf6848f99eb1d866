/**
 * Splitting a line of carrier text into cells (columns) and tokens, with letter-spacing undone.
 * Pure string work; offsets refer to the cell text so that reports can quote what was found.
 */
import { foldToken } from './fold.js';

/** A word of a cell: as found (raw) and folded (skel). */
export interface Token {
  readonly raw: string;
  readonly skel: string;
  readonly start: number;
  readonly end: number;
  /** Letters in the word, for weighing how much of a cell a marking covers. */
  readonly letters: number;
}

export interface CellText {
  readonly text: string;
  /** Offset of the cell in its line. */
  readonly start: number;
  /** Non-space characters in the cell: a cheap size test before any tokenizing. */
  readonly dense: number;
}

/** Columns are separated by a tab or by this many spaces (letter-spacing uses fewer). */
export const COLUMN_GAP = 4;
/** Letters of a letter-spaced word are at most this many spaces apart. */
const MAX_SPACED_GAP = 3;
/** A letter-spaced run has at least this many letters ("С Е К Р Е Т Н О"). */
const MIN_SPACED_RUN = 3;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x3000;
}

/** Cuts a line into cells at tabs and wide gaps, counting non-space characters as it goes. */
export function splitCells(line: string): CellText[] {
  const cells: CellText[] = [];
  let start = -1;
  let dense = 0;
  let lastDense = -1;
  let gap = 0;
  let sawTab = false;
  const n = line.length;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? line.charCodeAt(i) : -1;
    if (code !== -1 && isSpace(code)) {
      gap++;
      if (code === 9) sawTab = true;
      continue;
    }
    if (start >= 0 && (code === -1 || gap >= COLUMN_GAP || sawTab)) {
      cells.push({ text: line.slice(start, lastDense + 1), start, dense });
      start = -1;
      dense = 0;
    }
    gap = 0;
    sawTab = false;
    if (code === -1) break;
    if (start < 0) start = i;
    dense++;
    lastDense = i;
  }
  return cells;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const COMBINING = /[\u0300-\u036f]/;
const NUMERO = 0x2116; // №

// Letters and digits, with a fast path for ASCII and Cyrillic, which is nearly all carrier text.
function isWordChar(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  if (code >= 0x400 && code <= 0x52f) return code < 0x482 || code > 0x489;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return WORD_CHAR.test(String.fromCharCode(code));
}

interface Chunk {
  start: number;
  end: number;
  words: Array<{ raw: string; start: number; end: number }>;
}

/** Space-separated chunks of a cell, each with its words (runs of letters and digits, or "№"). */
function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let chunk: Chunk | null = null;
  let wordStart = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? text.charCodeAt(i) : 32;
    const space = isSpace(code);
    const word = !space && code !== NUMERO && isWordChar(code);
    if (wordStart >= 0 && !word) {
      chunk!.words.push({ raw: text.slice(wordStart, i), start: wordStart, end: i });
      wordStart = -1;
    }
    if (space) {
      if (chunk) {
        chunk.end = i;
        chunks.push(chunk);
        chunk = null;
      }
      continue;
    }
    chunk ??= { start: i, end: i, words: [] };
    if (code === NUMERO) chunk.words.push({ raw: '№', start: i, end: i + 1 });
    else if (word && wordStart < 0) wordStart = i;
  }
  return chunks;
}

// Digits OCR gives for letters (0→о, 3→з, 6→б, 1→і) may stand in a letter-spaced word.
const LETTER_LIKE_DIGIT = /^[0136]$/;

function isSpacedLetter(c: Chunk): boolean {
  const only = c.words.length === 1 ? c.words[0] : undefined;
  return only !== undefined && only.raw.length === 1 && (LETTER.test(only.raw) || LETTER_LIKE_DIGIT.test(only.raw));
}

function isLetterChunk(c: Chunk): boolean {
  return LETTER.test(c.words[0]!.raw);
}

// A token holds only letters and digits (and "№"): its letters are what is not an ASCII digit.
function countLetters(s: string): number {
  if (s === '№') return 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && (c < 0xdc00 || c > 0xdfff)) n++;
  }
  return n;
}

function makeToken(text: string, start: number, end: number, letters: string): Token {
  const skel = letters === '№' ? '№' : foldToken(letters);
  return { raw: text.slice(start, end), skel, start, end, letters: countLetters(letters) };
}

/**
 * The words of a cell. Letter-spaced runs ("С Е К Р Е Т Н О", "Қ ұ п и я  Ж а ш") become words:
 * inside a run the narrowest gap separates letters and any wider gap separates words.
 */
export function tokenize(cellText: string): Token[] {
  // NFC, not NFKC: compatibility folding would turn "№" into "No". Only decomposed letters
  // (a combining mark after the base letter) need it.
  const text = COMBINING.test(cellText) ? cellText.normalize('NFC') : cellText;
  const chunks = chunksOf(text);
  const tokens: Token[] = [];
  let i = 0;
  while (i < chunks.length) {
    // Find a run of single-letter chunks close together.
    let j = i;
    while (
      j < chunks.length &&
      isSpacedLetter(chunks[j]!) &&
      (j === i || chunks[j]!.start - chunks[j - 1]!.end <= MAX_SPACED_GAP)
    ) {
      j++;
    }
    if (j - i >= MIN_SPACED_RUN && chunks.slice(i, j).filter(isLetterChunk).length >= MIN_SPACED_RUN - 1) {
      let minGap = Infinity;
      for (let k = i + 1; k < j; k++) minGap = Math.min(minGap, chunks[k]!.start - chunks[k - 1]!.end);
      let wordStart = i;
      for (let k = i + 1; k <= j; k++) {
        if (k === j || chunks[k]!.start - chunks[k - 1]!.end > minGap) {
          const parts = chunks.slice(wordStart, k).map((c) => c.words[0]!);
          const first = parts[0]!;
          const last = parts[parts.length - 1]!;
          const letters = parts.map((p) => p.raw).join('');
          tokens.push(makeToken(text, first.start, last.end, letters));
          wordStart = k;
        }
      }
      i = j;
      continue;
    }
    const chunk = chunks[i]!;
    for (const w of chunk.words) tokens.push(makeToken(text, w.start, w.end, w.raw));
    i++;
  }
  return tokens;
}
