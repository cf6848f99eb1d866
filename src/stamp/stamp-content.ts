/**
 * What the receiving side's stamp says: the comparable marking (Art. 6.1) in the receiving
 * state's language, optionally its Russian equivalent, and a registration block (Art. 6.2) in the
 * same language. Pure: text and type sizes only; the writer measures and draws them.
 */
import { spelling, type Lang, type Level } from '../core/index.js';
import type { StampPlan } from '../core/plan.js';

/** Registration details the receiving authority puts on the carrier. */
export interface Registration {
  /** The receiving authority, as it signs. */
  readonly authority?: string;
  /** Incoming registration number. */
  readonly number?: string;
  /** Date of registration. */
  readonly date: Date;
  /** Copy number of this carrier. */
  readonly copy?: string;
}

export interface StampLine {
  readonly text: string;
  /** Points. */
  readonly size: number;
  /** The marking itself, as opposed to the registration block. */
  readonly marking: boolean;
}

type Labels = { readonly registered: string; readonly number: string; readonly date: string; readonly copy: string };

// The registration block's words in each language the receiving side may write in.
const LABELS: Readonly<Record<Lang, Labels>> = {
  kk: { registered: 'Тіркелді', number: 'Кіріс №', date: 'Күні', copy: 'Дана №' },
  ky: { registered: 'Катталды', number: 'Кирүүчү №', date: 'Күнү', copy: 'Нуска №' },
  ru: { registered: 'Зарегистрировано', number: 'Вх. №', date: 'Дата', copy: 'Экз. №' },
};

export const MARKING_SIZE = 13;
export const REGISTRATION_SIZE = 8;

function ddmmyyyy(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
}

/** The stamp's lines, top to bottom, for a plan that adds a marking. */
export function stampLines(plan: Extract<StampPlan, { action: 'add' }>, reg: Registration): StampLine[] {
  const lang = plan.markings[0]!.lang;
  const l = LABELS[lang];
  const lines: StampLine[] = plan.markings.map((m) => ({ text: m.text.toUpperCase(), size: MARKING_SIZE, marking: true }));
  const small = (text: string): StampLine => ({ text, size: REGISTRATION_SIZE, marking: false });
  // The copy line right under the marking, as on the sender's stamps: a reader (and grif's own
  // detector) pairs them.
  if (reg.copy) lines.push(small(`${l.copy} ${reg.copy}`));
  lines.push(small(reg.authority ? `${l.registered}: ${reg.authority}` : l.registered));
  lines.push(small(`${l.number} ${reg.number ?? '____'}   ${l.date} ${ddmmyyyy(reg.date)}`));
  return lines;
}

/** A level-change notice as the re-marking cites it: its reference and date (Art. 6.3). */
export interface RemarkBasis {
  readonly reference: string;
  /** YYYY-MM-DD. */
  readonly date: string;
}

// The re-marking's words: the marking removed, and the basis (the notice).
const REMARK_WORDS: Readonly<Record<Lang, { readonly removed: string; readonly basis: (ref: string, date: string) => string }>> = {
  kk: { removed: 'Гриф алынып тасталды', basis: (ref, date) => `Негіздеме: ${date} № ${ref} хабарлама` },
  ky: { removed: 'Гриф алынды', basis: (ref, date) => `Негиз: ${date} № ${ref} кабарлама` },
  ru: { removed: 'Гриф снят', basis: (ref, date) => `Основание: уведомление № ${ref} от ${date}` },
};

/** A date as the registry writes it: YYYY-MM-DD as DD.MM.YYYY. */
export const dotted = (iso: string): string => iso.split('-').reverse().join('.');

/**
 * The re-marking's lines (Art. 6.3): the new receiving-side marking (or the words that the
 * marking is removed) in the receiving state's language, and in Russian on request, then the
 * basis: each notice's reference and date, in the receiving state's language.
 */
export function remarkLines(change: { readonly level: Level } | { readonly removed: true }, lang: Lang, russian: boolean, basis: readonly RemarkBasis[]): StampLine[] {
  const langs: Lang[] = russian && lang !== 'ru' ? [lang, 'ru'] : [lang];
  const lines: StampLine[] = langs.map((l) =>
    'level' in change
      ? { text: spelling(change.level, l).toUpperCase(), size: MARKING_SIZE, marking: true }
      : { text: REMARK_WORDS[l].removed.toUpperCase(), size: MARKING_SIZE, marking: false },
  );
  for (const b of basis) lines.push({ text: REMARK_WORDS[lang].basis(b.reference, dotted(b.date)), size: REGISTRATION_SIZE, marking: false });
  return lines;
}

// A copy's line in the receiving state's language (Art. 6.1, 6.4): its number among the copies the
// receiver made, said to be the receiver's so that it is never taken for a copy number the sender printed.
const COPY_WORDS: Readonly<Record<Lang, (k: number) => string>> = {
  kk: (k) => `Нұсқа № ${k} (алушының көшірмесі)`,
  ky: (k) => `Нуска № ${k} (алуучунун көчүрмөсү)`,
  ru: (k) => `Экз. № ${k} (копия получателя)`,
};

export const copyLine = (k: number, lang: Lang): StampLine => ({ text: COPY_WORDS[lang](k), size: 10, marking: false });
