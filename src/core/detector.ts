/**
 * The stamp detector: finds markings on a carrier's text and tells a stamp from prose and from a
 * table of markings. It decides nothing; `decide` turns its findings into a verdict.
 */
import type { Lang, Level } from './article3.js';
import { analyseTokens, garbledOpening, inCapitals, type CellAnalysis, type PhraseMatch } from './cell.js';
import { DEFAULT_SETTINGS, type DetectorSettings } from './settings.js';
import { splitCells, tokenize, type Token } from './tokenize.js';
import type { BBox, CarrierText, Detection, Listing, OtherLabelHit, Region, Stamp, TextLine, TextPage, UnreadMark } from './types.js';

interface Cell {
  readonly line: number; // 0-based index on the page
  readonly text: string;
  readonly dense: number;
  readonly region: Region;
  readonly source: TextLine;
}

/** One cell, or a cell joined with the next when a marking runs across them. */
interface Unit {
  readonly cells: readonly Cell[];
  readonly analysis: CellAnalysis;
}

interface Candidate {
  readonly match: PhraseMatch;
  readonly unit: Unit;
  readonly level: Level;
  readonly lang: Lang;
  /** Other words share the stamp line: weak evidence at best. */
  readonly crowded: boolean;
  /** The treaty text of a longer marking whose garbled opening stands before this one. */
  readonly garbledFrom?: string;
  copy?: string;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function regionsOf(page: TextPage, s: DetectorSettings): Region[] {
  const regions = new Array<Region>(page.lines.length).fill('body');
  const h = page.height;
  if (h && h > 0 && page.lines.some((l) => l.bbox)) {
    page.lines.forEach((l, i) => {
      if (!l.bbox) return;
      if (l.bbox[1] <= h * s.topBand) regions[i] = 'top';
      else if (l.bbox[3] >= h * (1 - s.bottomBand)) regions[i] = 'bottom';
    });
    return regions;
  }
  const filled: number[] = [];
  page.lines.forEach((l, i) => {
    if (l.text.trim()) filled.push(i);
  });
  filled.slice(-s.bottomLines).forEach((i) => (regions[i] = 'bottom'));
  filled.slice(0, s.topLines).forEach((i) => (regions[i] = 'top'));
  return regions;
}

/** Whether a box on a page lies (at least partly) in its stamp areas. */
function inStampArea(b: BBox, page: TextPage, s: DetectorSettings): boolean {
  const h = page.height;
  if (!h) return true;
  return b[1] <= h * s.topBand || b[3] >= h * (1 - s.bottomBand);
}

function cellsOf(page: TextPage, s: DetectorSettings): Cell[] {
  const regions = regionsOf(page, s);
  const cells: Cell[] = [];
  page.lines.forEach((line, i) => {
    // A marking struck through after a level-change notice no longer counts (Art. 6.3).
    if (line.struck) return;
    for (const c of splitCells(line.text)) {
      cells.push({ line: i, text: c.text, dense: c.dense, region: regions[i]!, source: line });
    }
  });
  return cells;
}

function spansBoundary(a: CellAnalysis, firstLength: number): boolean {
  return a.matches.some((m) => m.from < firstLength && m.to > firstLength);
}

function unitsOf(cells: readonly Cell[], s: DetectorSettings): Unit[] {
  const analyses = new Map<Cell, CellAnalysis>();
  const tokensOf = new Map<Cell, Token[]>();
  const analyse = (c: Cell): CellAnalysis | null => {
    if (c.dense > s.maxCellChars) return null;
    let a = analyses.get(c);
    if (!a) {
      const tokens = tokenize(c.text);
      tokensOf.set(c, tokens);
      a = analyseTokens(tokens);
      analyses.set(c, a);
    }
    return a;
  };
  const units: Unit[] = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const a = analyse(cell);
    if (!a) continue;
    const next = cells[i + 1];
    if (a.opening && next && next.line - cell.line <= 1 && analyse(next)) {
      const tokens = [...tokensOf.get(cell)!, ...tokensOf.get(next)!];
      const joined = analyseTokens(tokens);
      if (spansBoundary(joined, tokensOf.get(cell)!.length)) {
        units.push({ cells: [cell, next], analysis: joined });
        i++;
        continue;
      }
    }
    units.push({ cells: [cell], analysis: a });
  }
  return units;
}

// A marking quoted and followed by a dash opens a definition ('"өте құпия" – олардың таралуы…',
// «Секретно» — …), as the agreement's own Article 3 defines its levels; a line that opens with a
// paragraph number ("3.", "4.2.", "2)", "б)") is a paragraph of running text. Either way the
// marking is named, not stamped. A stamp carries neither: its words stand alone (a copy line or
// registration number follows it, never precedes it with a dot or a bracket).
const QUOTED_DEFINITION = /^\s*["«„“”'‘’][^"«»„“”]{1,40}["»“”'’]\s*[-–—―]/u;
const PARAGRAPH_NUMBER = /^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|\p{Ll}\))\s*\S/u;

/** The unit names a marking (a definition, a numbered paragraph) rather than bearing it. */
function isReference(u: Unit): boolean {
  const text = u.cells[0]!.text;
  return QUOTED_DEFINITION.test(text) || PARAGRAPH_NUMBER.test(text);
}

function unitRegion(u: Unit): Region {
  return u.cells.find((c) => c.region !== 'body')?.region ?? 'body';
}

function unitConfidence(u: Unit): number | undefined {
  const known = u.cells.map((c) => c.source.confidence).filter((c): c is number => c !== undefined);
  return known.length ? Math.min(...known.map(clamp01)) : undefined;
}

function unitBBox(u: Unit): BBox | undefined {
  const boxes = u.cells.map((c) => c.source.bbox).filter((b): b is BBox => b !== undefined);
  if (!boxes.length) return undefined;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

function matchedText(u: Unit, m: PhraseMatch): string {
  return u.analysis.tokens
    .slice(m.from, m.to)
    .map((t) => t.raw)
    .join(' ');
}

function copyNumber(u: Unit): string | undefined {
  const text = u.cells.map((c) => c.text).join(' ');
  return /\d+/.exec(text)?.[0];
}

function lettersOf(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}]/gu, '');
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function toStamp(c: Candidate, pageNo: number, context: { factor: number; reason: string }, s: DetectorSettings): Stamp {
  const { match, unit } = c;
  const reasons: string[] = [];
  const matchQ = match.edits === 0 ? 1 : clamp01(1 - (s.editCost * match.edits) / match.phrase.letters);
  const text = matchedText(unit, match);
  if (match.edits > 0) reasons.push(`${match.edits} edit(s) from "${match.phrase.text}"`);
  else if (lettersOf(text) === lettersOf(match.phrase.text)) reasons.push('exact match');
  else reasons.push(`"${match.phrase.text}" once look-alike letters are read as the letters they imitate`);
  if (c.garbledFrom) reasons.push(`the words before it may be the garbled opening of "${c.garbledFrom}"`);
  const ocr = unitConfidence(unit);
  if (ocr !== undefined) reasons.push(`OCR confidence ${round2(ocr)}`);
  reasons.push(context.reason);
  if (c.copy !== undefined) reasons.push(`copy line № ${c.copy}`);
  const ocrFactor = ocr === undefined ? 1 : 1 - (1 - ocr) * s.ocrWeight;
  const confidence = round2(matchQ * ocrFactor * context.factor);
  const bbox = unitBBox(unit);
  return {
    level: c.level,
    lang: c.lang,
    text,
    page: pageNo,
    line: unit.cells[0]!.line + 1,
    ...(bbox ? { bbox } : {}),
    confidence,
    evidence: confidence >= s.strongConfidence ? 'strong' : 'weak',
    ...(c.copy !== undefined ? { copy: c.copy } : {}),
    why: reasons.join('; '),
  };
}

/** Body marking lines that belong to a table of markings: a row with several, or several levels. */
function findListings(body: readonly Candidate[], pageNo: number): { listings: Listing[]; listed: Set<Candidate> } {
  const listings: Listing[] = [];
  const listed = new Set<Candidate>();
  const sorted = [...body].sort((a, b) => a.unit.cells[0]!.line - b.unit.cells[0]!.line);
  let group: Candidate[] = [];
  const flush = (): void => {
    if (!group.length) return;
    const lines = group.map((c) => c.unit.cells[0]!.line);
    const levels = [...new Set(group.map((c) => c.level))];
    const rowWithSeveral = lines.some((l, i) => lines.indexOf(l) !== i);
    if (rowWithSeveral || levels.length > 1) {
      group.forEach((c) => listed.add(c));
      listings.push({ page: pageNo, fromLine: Math.min(...lines) + 1, toLine: Math.max(...lines) + 1, levels });
    }
    group = [];
  };
  for (const c of sorted) {
    const last = group[group.length - 1];
    if (last && c.unit.cells[0]!.line - last.unit.cells[0]!.line > 2) flush();
    group.push(c);
  }
  flush();
  return { listings, listed };
}

/** Finds the markings on a carrier. Pure: the same text always gives the same detection. */
export function detect(carrier: CarrierText, settings: DetectorSettings = DEFAULT_SETTINGS): Detection {
  const s = settings;
  const stamps: Stamp[] = [];
  const otherLabels: OtherLabelHit[] = [];
  const listings: Listing[] = [];
  const unreadMarks: UnreadMark[] = [];
  let proseMentions = 0;

  carrier.pages.forEach((page, pageIndex) => {
    const pageNo = pageIndex + 1;
    for (const m of page.marks ?? []) if (inStampArea(m.bbox, page, s)) unreadMarks.push({ ...m, page: pageNo });
    const units = unitsOf(cellsOf(page, s), s);
    const candidates: Candidate[] = [];
    let lastWithStamp: { unit: Unit; cands: Candidate[] } | null = null;

    for (const unit of units) {
      const a = unit.analysis;
      const region = unitRegion(unit);
      const isolated = a.restLetters <= s.maxStrayLetters;
      // One short word beside a marking in capitals, where stamps go: a stamp with noise, or
      // not a stamp at all, and a person decides. "Құпия ақпарат" (any case) is prose.
      const fewOthers =
        !isolated && region !== 'body' && a.restTokens <= 1 && a.restLetters <= s.crowdedMaxLetters && !a.proseCollocate;
      const found: Candidate[] = [];
      const reference = a.matches.length > 0 && isReference(unit);
      for (const m of a.matches) {
        const phrase = m.phrase;
        if (reference) {
          if (phrase.kind !== 'other') proseMentions++;
          continue;
        }
        if (phrase.kind === 'other') {
          if (isolated) {
            otherLabels.push({ label: phrase.label, lang: phrase.lang, text: matchedText(unit, m), page: pageNo, line: unit.cells[0]!.line + 1 });
          }
          continue;
        }
        if (isolated) {
          found.push({ match: m, unit, level: phrase.level, lang: phrase.lang, crowded: false });
        } else if (fewOthers && inCapitals(a, m)) {
          const longer = garbledOpening(a, m);
          found.push({
            match: m,
            unit,
            level: longer?.kind === 'level' ? longer.level : phrase.level,
            lang: phrase.lang,
            crowded: true,
            ...(longer ? { garbledFrom: longer.text } : {}),
          });
        } else proseMentions++;
      }
      // A copy line belongs to the stamp on its own line, or to the one just above it.
      if (a.copyWord && a.hasNumber) {
        const copy = copyNumber(unit);
        const line = unit.cells[0]!.line;
        const prev = lastWithStamp;
        const prevLine = prev ? prev.unit.cells[prev.unit.cells.length - 1]!.line : -Infinity;
        const target: Candidate[] = found.length ? found : prev && line - prevLine <= 2 ? prev.cands : [];
        for (const c of target) c.copy ??= copy;
      }
      if (found.length) {
        candidates.push(...found);
        lastWithStamp = { unit, cands: found };
      }
    }

    const body = candidates.filter((c) => unitRegion(c.unit) === 'body' && c.copy === undefined);
    const { listings: pageListings, listed } = findListings(body, pageNo);
    listings.push(...pageListings);

    // Several markings in separate columns of one line are a table row (the agreement's own
    // Article 3 table), not a stamp block; where stamps go, a person decides which it is.
    const unitsOnLine = new Map<number, Set<Unit>>();
    for (const c of candidates) {
      const line = c.unit.cells[0]!.line;
      unitsOnLine.set(line, (unitsOnLine.get(line) ?? new Set()).add(c.unit));
    }
    const inTableRow = (c: Candidate): boolean => unitsOnLine.get(c.unit.cells[0]!.line)!.size > 1;
    // A running header: markings in capitals in the columns of one line where stamps go, with
    // nothing else on the line and no other such line beside it (several are a table, like the
    // agreement's own, whose rows are quoted and in title case besides). Equivalents there are
    // the carrier's marking; non-equivalents a conflict.
    const runningHeader = (line: number): boolean => {
      const onLine = candidates.filter((c) => c.unit.cells[0]!.line === line);
      if (onLine.some((c) => c.crowded || !inCapitals(c.unit.analysis, c.match))) return false;
      if (splitCells(page.lines[line]!.text).length !== unitsOnLine.get(line)!.size) return false;
      for (const [other, units] of unitsOnLine) if (other !== line && Math.abs(other - line) <= 2 && units.size > 1) return false;
      return true;
    };

    for (const c of candidates) {
      if (listed.has(c)) continue;
      const region = unitRegion(c.unit);
      let context: { factor: number; reason: string };
      if (c.crowded) context = { factor: s.crowdedFactor, reason: 'another word on the stamp line' };
      else if (region !== 'body' && inTableRow(c)) {
        context = runningHeader(c.unit.cells[0]!.line)
          ? { factor: 1, reason: 'a running header: markings in the columns of one line' }
          : { factor: s.bodyFactor, reason: 'one of several markings in columns of one line, as in a table' };
      } else if (region !== 'body') context = { factor: 1, reason: `stamp area (${region} of page)` };
      else if (c.copy !== undefined) context = { factor: 1, reason: 'stamp line with a copy line, in the body of the page' };
      else context = { factor: s.bodyFactor, reason: 'marking line in the body of the page, away from the stamp areas' };
      stamps.push(toStamp(c, pageNo, context, s));
    }
  });

  return { stamps, otherLabels, listings, proseMentions, unreadMarks, pages: carrier.pages.length };
}
