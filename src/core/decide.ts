/**
 * The verifier's first half: the verdict on one carrier. Several stamps must be Article 3
 * equivalents, weak evidence goes to a person, and nothing is ever decided below any evidence.
 */
import { highestLevel, LANG_NAMES, type Level } from './article3.js';
import { OTHER_LABEL_MEANINGS } from './labels.js';
import type { Detection, Stamp, UnreadMark, Verdict } from './types.js';

function where(s: Stamp): string {
  return `"${s.text}" (${s.lang}, page ${s.page} line ${s.line})`;
}

function levelsOf(stamps: readonly Stamp[]): Level[] {
  return [...new Set(stamps.map((s) => s.level))];
}

function contextNotes(d: Detection): string[] {
  const notes: string[] = [];
  for (const o of d.otherLabels) {
    notes.push(
      `"${o.text}" (${LANG_NAMES[o.lang]}, page ${o.page} line ${o.line}) is a national label ` +
        `(${OTHER_LABEL_MEANINGS[o.label]}), not an Article 3 level: not mapped to a level`,
    );
  }
  for (const l of d.listings) {
    notes.push(
      `a table of markings on page ${l.page}, lines ${l.fromLine}–${l.toLine} (${l.levels.join(', ')}), ` +
        'was read as a listing, not as stamps',
    );
  }
  if (d.proseMentions > 0) {
    notes.push(`${d.proseMentions} marking word(s) inside running text were not taken as stamps`);
  }
  return notes;
}

const MARK_KINDS: Record<UnreadMark['kind'], string> = {
  frame: 'a frame',
  ring: 'a ring',
  'coloured-ink': 'a block of coloured ink',
  'turned-text': 'a turned block of letters',
};

function describeMark(m: UnreadMark): string {
  const at = m.bbox.map((v) => Math.round(v)).join(', ');
  return `${MARK_KINDS[m.kind]}${m.coloured && m.kind !== 'coloured-ink' ? ' in coloured ink' : ''} on page ${m.page} at [${at}]`;
}

/** How the note on unreadable stamp-like marks begins (the service codes it by this). */
export const UNREAD_MARK_NOTE = 'a stamp-like mark could not be read';

function unreadNote(marks: readonly UnreadMark[], minLevel: Level | null): string {
  return `${UNREAD_MARK_NOTE} (${marks.map(describeMark).join('; ')}); a person must look` + (minLevel ? `, at no lower than ${minLevel}` : '');
}

export function decide(d: Detection): Verdict {
  const strong = d.stamps.filter((s) => s.evidence === 'strong');
  const weak = d.stamps.filter((s) => s.evidence === 'weak');
  const strongLevels = levelsOf(strong);
  const minLevel = highestLevel(d.stamps.map((s) => s.level));
  const notes = contextNotes(d);
  // Unreadable stamp-like marks go with every verdict a person sees, outlined for them.
  const marks = d.unreadMarks.length ? { unreadMarks: d.unreadMarks } : {};
  if (d.unreadMarks.length) notes.push(unreadNote(d.unreadMarks, minLevel));

  if (strongLevels.length > 1) {
    const byLevel = strongLevels.map((l) => `${l}: ${strong.filter((s) => s.level === l).map(where).join(', ')}`);
    notes.unshift(`stamps are not Article 3 equivalents (${byLevel.join(' vs ')}); a person must decide`);
    return { status: 'conflict', level: null, minLevel, stamps: d.stamps, ...marks, notes };
  }

  const decided = strongLevels[0] ?? null;
  const disagreeing = weak.filter((s) => s.level !== decided);
  if (disagreeing.length > 0) {
    const list = disagreeing.map((s) => `${where(s)} as ${s.level}, confidence ${s.confidence}: ${s.why}`);
    notes.unshift(
      `evidence too weak to decide: ${list.join('; ')}; a person must decide, at no lower than ${minLevel}`,
    );
    return { status: 'review', level: null, minLevel, stamps: d.stamps, ...marks, notes };
  }

  // A stamp-like mark that could not be read may be a marking, of any level: a person looks.
  if (d.unreadMarks.length > 0) {
    // Its note first: it is why the carrier waits for a person.
    notes.unshift(notes.pop()!);
    return { status: 'review', level: null, minLevel, stamps: d.stamps, ...marks, notes };
  }

  if (decided) return { status: 'marked', level: decided, minLevel: decided, stamps: d.stamps, notes };
  return { status: 'unmarked', level: null, minLevel: null, stamps: d.stamps, notes };
}
