/**
 * What the receiving side's stamp says: the comparable marking (Art. 6.1) in the receiving
 * state's language, optionally its Russian equivalent, and a registration block (Art. 6.2) in the
 * same language. Pure: text and type sizes only; the writer measures and draws them.
 */
import type { Lang } from '../core/index.js';
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
