// Systematic cases from the Article 3 table: every level × language × rendering.
import { describe, expect, it } from 'vitest';
import { ARTICLE_3, examine, LANGS, rank, type Lang, type Level, type TextLine } from '../../src/core/index.js';
import { BODY_RU, BODY_KK, BODY_KY, verdictOf } from '../helpers/carriers.js';

const BODY: Record<Lang, string> = { ru: BODY_RU, kk: BODY_KK, ky: BODY_KY };

// Look-alikes that OCR gives for Kazakh/Kyrgyz letters, and Latin homoglyphs (DOMAIN.md).
const LOOK_ALIKE: Record<string, string> = {
  қ: 'к', Қ: 'К', ұ: 'у', Ұ: 'У', ү: 'у', Ү: 'У', ө: 'о', Ө: 'О', ң: 'н', Ң: 'Н', і: 'i',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
};

/** Replaces the first n letters that have a look-alike. */
function lookAlike(s: string, n: number, fromEnd = false): string {
  const chars = [...s];
  const order = chars.map((_, i) => i);
  if (fromEnd) order.reverse();
  let done = 0;
  for (const i of order) {
    if (done === n) break;
    const sub = LOOK_ALIKE[chars[i]!];
    if (sub) {
      chars[i] = sub;
      done++;
    }
  }
  return chars.join('');
}

/** Letter-spacing as typists do it: one space between letters, wider between words. */
function spaced(s: string, wordGap = '   '): string {
  return s
    .split(' ')
    .map((w) => [...w].join(' '))
    .join(wordGap);
}

/** True OCR errors (not look-alikes): n letters of the longest word become 'ф'. */
function garble(s: string, n: number): string {
  const words = s.split(' ');
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const idx = words.indexOf(longest);
  const chars = [...longest];
  for (let k = 0; k < n; k++) chars[2 + 2 * k] = 'ф';
  words[idx] = chars.join('');
  return words.join(' ');
}

type Render = { name: string; stamp: (s: string) => string; multiWordOnly?: boolean; copy?: string };

const RENDERINGS: Render[] = [
  { name: 'treaty spelling', stamp: (s) => s },
  { name: 'capitals', stamp: (s) => s.toUpperCase() },
  { name: 'lower case', stamp: (s) => s.toLowerCase() },
  { name: 'right-aligned capitals', stamp: (s) => ' '.repeat(52) + s.toUpperCase() },
  { name: 'straight quotes', stamp: (s) => `"${s.toUpperCase()}"` },
  { name: 'guillemets', stamp: (s) => `«${s}»` },
  { name: 'frame of box-drawing characters', stamp: (s) => `┌${'─'.repeat(s.length + 2)}┐\n│ ${s.toUpperCase()} │\n└${'─'.repeat(s.length + 2)}┘` },
  { name: 'frame of ASCII characters', stamp: (s) => `+${'-'.repeat(s.length + 2)}+\n| ${s.toUpperCase()} |\n+${'-'.repeat(s.length + 2)}+` },
  { name: 'letter-spaced', stamp: (s) => spaced(s.toUpperCase()) },
  { name: 'letter-spaced, words two spaces apart', stamp: (s) => spaced(s, '  ') },
  { name: 'letter-spaced with no wider word gap', stamp: (s) => spaced(s.toUpperCase(), ' ') },
  { name: 'words run together', stamp: (s) => s.toUpperCase().replace(/ /g, ''), multiWordOnly: true },
  { name: 'split over two lines', stamp: (s) => s.toUpperCase().replace(' ', '\n'), multiWordOnly: true },
  { name: 'split over two lines, right-aligned', stamp: (s) => s.toUpperCase().replace(/^(\S+) /, ' '.repeat(50) + '$1\n' + ' '.repeat(50)), multiWordOnly: true },
  { name: 'one look-alike letter', stamp: (s) => lookAlike(s.toUpperCase(), 1) },
  { name: 'two look-alike letters', stamp: (s) => lookAlike(s.toUpperCase(), 2, true) },
  { name: 'look-alikes in lower case', stamp: (s) => lookAlike(s.toLowerCase(), 2) },
  { name: 'copy line "Экз. № 2"', stamp: (s) => `${s.toUpperCase()}\nЭкз. № 2`, copy: '2' },
  { name: 'copy line "Дана № 2"', stamp: (s) => `${s.toUpperCase()}\nДана № 2`, copy: '2' },
  { name: 'copy line "Нуска № 2"', stamp: (s) => `${s.toUpperCase()}\nНуска № 2`, copy: '2' },
  { name: 'copy number on the stamp line', stamp: (s) => `${s.toUpperCase()}      Экз. №3`, copy: '3' },
];

const CASES = ARTICLE_3.flatMap((row) => LANGS.map((lang) => ({ level: row.id, lang, spelling: row.spelling[lang] })));

function expectMarked(text: string, level: Level, lang: Lang): ReturnType<typeof verdictOf> {
  const v = verdictOf(text);
  expect(v.status, JSON.stringify(v.notes)).toBe('marked');
  expect(v.level).toBe(level);
  expect(v.stamps.length).toBeGreaterThan(0);
  for (const s of v.stamps) {
    // Longest match: never also a lower level hiding inside the marking.
    expect(s.level).toBe(level);
    expect(s.evidence).toBe('strong');
  }
  expect(v.stamps.some((s) => s.lang === lang)).toBe(true);
  return v;
}

describe('every level × language × rendering is found at its level', () => {
  for (const c of CASES) {
    for (const r of RENDERINGS) {
      if (r.multiWordOnly && !c.spelling.includes(' ')) continue;
      it(`${c.level} / ${c.lang} / ${r.name}: "${c.spelling}"`, () => {
        const v = expectMarked(`${r.stamp(c.spelling)}\n\n${BODY[c.lang]}`, c.level, c.lang);
        expect(v.stamps).toHaveLength(1);
        expect(v.stamps[0]!.page).toBe(1);
        if (r.copy) expect(v.stamps[0]!.copy).toBe(r.copy);
      });
    }
  }
});

describe('stamps where they stand on real carriers', () => {
  for (const c of CASES) {
    it(`${c.level} / ${c.lang}: at the foot of the page`, () => {
      const v = expectMarked(`${BODY[c.lang]}\n\n${' '.repeat(40)}${c.spelling.toUpperCase()}`, c.level, c.lang);
      expect(v.stamps[0]!.line).toBe(BODY[c.lang].split('\n').length + 2);
    });
    it(`${c.level} / ${c.lang}: on page 2 only`, () => {
      const v = expectMarked(`${BODY[c.lang]}\f${c.spelling.toUpperCase()}\n${BODY[c.lang]}`, c.level, c.lang);
      expect(v.stamps.map((s) => s.page)).toEqual([2]);
    });
    it(`${c.level} / ${c.lang}: on every page`, () => {
      const page = `${c.spelling.toUpperCase()}\n${BODY[c.lang]}`;
      const v = expectMarked([page, page, page].join('\f'), c.level, c.lang);
      expect(v.stamps.map((s) => s.page)).toEqual([1, 2, 3]);
    });
  }
});

describe('OCR errors beyond look-alikes', () => {
  for (const c of CASES) {
    const letters = c.spelling.replace(/ /g, '').length;
    const longest = Math.max(...c.spelling.split(' ').map((w) => w.length));
    // Each edit costs 1.5 / letters of confidence; below 0.75 a person decides (settings.ts).
    const expected = (edits: number): 'marked' | 'review' => (1 - (1.5 * edits) / letters >= 0.75 ? 'marked' : 'review');
    it(`${c.level} / ${c.lang}: one wrong letter gives ${expected(1)}`, () => {
      const v = verdictOf(`${garble(c.spelling.toUpperCase(), 1)}\n${BODY[c.lang]}`);
      expect(v.status).toBe(expected(1));
      if (v.status === 'marked') expect(v.level).toBe(c.level);
      else expect(v.minLevel).toBe(c.level);
    });
    if (longest >= 7) {
      it(`${c.level} / ${c.lang}: two wrong letters give ${expected(2)}, never another level`, () => {
        const v = verdictOf(`${garble(c.spelling.toUpperCase(), 2)}\n${BODY[c.lang]}`);
        expect(v.status).toBe(expected(2));
        expect(v.status === 'marked' ? v.level : v.minLevel).toBe(c.level);
      });
    }
    it(`${c.level} / ${c.lang}: low OCR confidence gives review at no lower than the level`, () => {
      const lines = [{ text: c.spelling.toUpperCase(), confidence: 0.5 }, ...BODY[c.lang].split('\n').map((text) => ({ text, confidence: 0.95 }))];
      const w = examineLines(lines);
      expect(w.status).toBe('review');
      expect(w.level).toBeNull();
      expect(w.minLevel).toBe(c.level);
    });
  }
});

describe('several stamps on one carrier', () => {
  for (const row of ARTICLE_3) {
    for (const [a, b] of [['kk', 'ky'], ['kk', 'ru'], ['ky', 'ru']] as const) {
      it(`${row.id}: ${a} and ${b} stamps are Art. 3 equivalents`, () => {
        const v = verdictOf(`${row.spelling[a].toUpperCase()}\n${row.spelling[b].toUpperCase()}\n${BODY_RU}`);
        expect(v.status).toBe('marked');
        expect(v.level).toBe(row.id);
        expect(v.stamps.map((s) => s.lang)).toEqual([a, b]);
      });
    }
  }
  for (const x of ARTICLE_3) {
    for (const y of ARTICLE_3) {
      if (x.rank <= y.rank) continue;
      for (const la of LANGS) {
        for (const lb of LANGS) {
          it(`${x.id} (${la}) with ${y.id} (${lb}) is a conflict, at no lower than ${x.id}`, () => {
            const v = verdictOf(`${y.spelling[lb].toUpperCase()}\n${x.spelling[la].toUpperCase()}\n${BODY_RU}`);
            expect(v.status).toBe('conflict');
            expect(v.level).toBeNull();
            expect(v.minLevel).toBe(x.id);
            expect(new Set(v.stamps.map((s) => s.level))).toEqual(new Set([x.id, y.id]));
            expect(v.notes[0]).toMatch(/not Article 3 equivalents/);
          });
        }
      }
    }
  }
});

function examineLines(lines: TextLine[]) {
  return examine({ pages: [{ lines }] });
}

it('ranks order the levels', () => {
  expect(rank('special-importance')).toBeGreaterThan(rank('top-secret'));
  expect(rank('top-secret')).toBeGreaterThan(rank('secret'));
});
