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
  return code === 32 || code === 9 || code === 0xa0 || code === 0x2002 || code === 0x2003 || code === 0x2009 || code === 0x3000;
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

const WORD = /[\p{L}\p{N}]+|№/gu;
const LETTER = /\p{L}/u;

interface Chunk {
  start: number;
  end: number;
  words: Array<{ raw: string; start: number; end: number }>;
}

function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  const re = /\S+/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const words: Chunk['words'] = [];
    WORD.lastIndex = 0;
    let w: RegExpExecArray | null;
    while ((w = WORD.exec(m[0]))) {
      words.push({ raw: w[0], start: m.index + w.index, end: m.index + w.index + w[0].length });
    }
    chunks.push({ start: m.index, end: m.index + m[0].length, words });
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

function countLetters(s: string): number {
  let n = 0;
  for (const ch of s) if (LETTER.test(ch)) n++;
  return n;
}

function makeToken(text: string, raw: string, start: number, end: number, letters: string): Token {
  const skel = raw === '№' ? '№' : foldToken(letters);
  return { raw: text.slice(start, end), skel, start, end, letters: countLetters(letters) };
}

/**
 * The words of a cell. Letter-spaced runs ("С Е К Р Е Т Н О", "Қ ұ п и я  Ж а ш") become words:
 * inside a run the narrowest gap separates letters and any wider gap separates words.
 */
export function tokenize(cellText: string): Token[] {
  // NFC, not NFKC: compatibility folding would turn "№" into "No".
  const text = cellText.normalize('NFC');
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
          tokens.push(makeToken(text, letters, first.start, last.end, letters));
          wordStart = k;
        }
      }
      i = j;
      continue;
    }
    const chunk = chunks[i]!;
    for (const w of chunk.words) tokens.push(makeToken(text, w.raw, w.start, w.end, w.raw));
    i++;
  }
  return tokens;
}
