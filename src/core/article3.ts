/**
 * The Article 3 equivalence table of the 2006 Kazakhstan–Kyrgyzstan agreement, kept as data.
 * Everything in grif that needs a level, a spelling or a party asks this module.
 */

export const LANGS = ['kk', 'ky', 'ru'] as const;
/** A language a marking is written in: Kazakh, Kyrgyz or Russian. */
export type Lang = (typeof LANGS)[number];

export const LEVEL_IDS = ['special-importance', 'top-secret', 'secret'] as const;
/** An Article 3 level, by its stable id. */
export type Level = (typeof LEVEL_IDS)[number];

export const PARTY_IDS = ['KZ', 'KG'] as const;
/** A Party to the agreement. */
export type PartyId = (typeof PARTY_IDS)[number];

export interface LevelRow {
  readonly id: Level;
  /** 3 is the highest. */
  readonly rank: number;
  /** The treaty spelling of the marking in each language. */
  readonly spelling: Readonly<Record<Lang, string>>;
}

export interface Party {
  readonly id: PartyId;
  readonly name: string;
  /** The state language its own markings are written in. */
  readonly lang: Exclude<Lang, 'ru'>;
}

const TABLE: readonly LevelRow[] = [
  {
    id: 'special-importance',
    rank: 3,
    spelling: { kk: 'Аса маңызды', ky: 'Өзгөчө маанилүү', ru: 'Особой важности' },
  },
  {
    id: 'top-secret',
    rank: 2,
    spelling: { kk: 'Өте құпия', ky: 'Абдан жашыруун', ru: 'Совершенно секретно' },
  },
  {
    id: 'secret',
    rank: 1,
    spelling: { kk: 'Құпия', ky: 'Жашыруун', ru: 'Секретно' },
  },
];

const PARTIES: Readonly<Record<PartyId, Party>> = {
  KZ: { id: 'KZ', name: 'Republic of Kazakhstan', lang: 'kk' },
  KG: { id: 'KG', name: 'Kyrgyz Republic', lang: 'ky' },
};

// The table is data that the rest of the program trusts blindly, so check it once at load.
function checkTable(rows: readonly LevelRow[]): void {
  const ids = new Set(rows.map((r) => r.id));
  const ranks = new Set(rows.map((r) => r.rank));
  if (ids.size !== LEVEL_IDS.length || LEVEL_IDS.some((id) => !ids.has(id))) {
    throw new Error('Article 3 table: every level id must appear exactly once');
  }
  if (ranks.size !== rows.length) throw new Error('Article 3 table: ranks must be distinct');
  for (const row of rows) {
    for (const lang of LANGS) {
      if (!row.spelling[lang]?.trim()) {
        throw new Error(`Article 3 table: level ${row.id} has no ${lang} spelling`);
      }
    }
  }
}
checkTable(TABLE);

/** Rows from the highest level to the lowest. */
export const ARTICLE_3: readonly LevelRow[] = [...TABLE].sort((a, b) => b.rank - a.rank);

const BY_ID = new Map<Level, LevelRow>(ARTICLE_3.map((r) => [r.id, r]));

export function levelRow(level: Level): LevelRow {
  const row = BY_ID.get(level);
  if (!row) throw new RangeError(`unknown level "${String(level)}"; expected one of ${LEVEL_IDS.join(', ')}`);
  return row;
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && BY_ID.has(value as Level);
}

export function isPartyId(value: unknown): value is PartyId {
  return typeof value === 'string' && value in PARTIES;
}

export function party(id: PartyId): Party {
  const p = PARTIES[id];
  if (!p) throw new RangeError(`unknown party "${String(id)}"; expected KZ or KG`);
  return p;
}

export function rank(level: Level): number {
  return levelRow(level).rank;
}

/** Negative when a is lower than b, 0 when equal, positive when higher. */
export function compareLevels(a: Level, b: Level): number {
  return rank(a) - rank(b);
}

/** The higher of the given levels, or null when there are none. */
export function highestLevel(levels: Iterable<Level>): Level | null {
  let best: Level | null = null;
  for (const l of levels) if (best === null || compareLevels(l, best) > 0) best = l;
  return best;
}

/** Two markings are Article 3 equivalents when they name the same level, whatever the language. */
export function areEquivalent(a: Level, b: Level): boolean {
  return a === b;
}

/** The treaty spelling of a level in a language. */
export function spelling(level: Level, lang: Lang): string {
  return levelRow(level).spelling[lang];
}

export const LANG_NAMES: Readonly<Record<Lang, string>> = { kk: 'Kazakh', ky: 'Kyrgyz', ru: 'Russian' };
