// The register's search (src/register/search.ts): levels in every language, names, numbers,
// references, who decided and dates; case and look-alike letters do not matter.
import { describe, expect, it } from 'vitest';
import { ARTICLE_3, LANGS } from '../../src/core/article3.js';
import type { EventRow, RegisterEntry } from '../../src/register/register.js';
import { foldForSearch, levelNamed, registerMatcher, searchRegister } from '../../src/register/search.js';

let seq = 0;
function event(e: Partial<EventRow> & Pick<EventRow, 'kind'>): EventRow {
  ++seq;
  return { seq, n: seq, carrierId: '', at: '', state: null, level: null, stamps: [], decidedBy: 'grif 0.1.0', reference: null, outputSha256: null, outputPath: null, detail: null, key: null, prevHash: '', hash: '', ...e };
}

function entry(name: string, hash: string, events: EventRow[], receivedAt = '2026-03-04T09:00:00.000Z'): RegisterEntry {
  // An event without a time of its own happened when the carrier arrived.
  const timed = events.map((e) => ({ ...e, at: e.at || receivedAt }));
  return { id: `${hash.slice(0, 32)}-KZ-KG`, incoming: null, receivedAt, name, from: 'KZ', to: 'KG', inputSha256: hash, kind: 'carrier', derivedFrom: null, intake: 'http', events: timed };
}

const secret = entry('Письмо министерства.pdf', '3f9a0c12'.padEnd(64, '0'), [event({ kind: 'verdict', level: 'secret' }), event({ kind: 'stamped', level: 'secret' })]);
const topSecret = entry('conflict-kk-ru.pdf', 'ab12cd34'.padEnd(64, '1'), [
  event({ kind: 'review' }),
  event({ kind: 'decision', level: 'top-secret', decidedBy: 'А. Клерк', reference: 'Письмо № 17/2024' }),
  event({ kind: 'stamped', level: 'top-secret', decidedBy: 'А. Клерк', reference: 'Письмо № 17/2024', at: '2026-03-05T23:10:00.000Z' }),
], '2026-03-05T22:00:00.000Z');
const special = entry('hisobot.tif', 'ee00ff11'.padEnd(64, '2'), [event({ kind: 'stamped', level: 'special-importance', decidedBy: 'Д. Ревизор' })], '2025-12-31T10:00:00.000Z');
const waiting = entry('scan-0001.pdf', '99887766'.padEnd(64, '3'), [event({ kind: 'review' })], '2026-01-02T08:00:00.000Z');
const ALL = [secret, topSecret, special, waiting];

const found = (q: string) => ALL.filter(registerMatcher(q)).map((e) => e.name);

describe('foldForSearch', () => {
  it('is case-blind and folds look-alikes: Latin capitals, Kazakh and Kyrgyz letters to their Russian look-alikes', () => {
    expect(foldForSearch('СЕКРЕТНО')).toBe(foldForSearch('секретно'));
    expect(foldForSearch('CEKPETHO')).toBe(foldForSearch('секретно')); // Latin capitals
    expect(foldForSearch('Өте құпия')).toBe(foldForSearch('оте купия'));
    expect(foldForSearch('Өзгөчө маанилүү')).toBe(foldForSearch('озгочо маанилуу'));
    expect(foldForSearch('Top Secret')).toBe(foldForSearch('top secret'));
  });
  it('keeps digits and punctuation (references, dates, numbers) and collapses spaces', () => {
    expect(foldForSearch('  № 17/2024 ')).toBe('№ 17/2024');
    expect(foldForSearch('2026-03-04')).toBe('2026-03-04');
  });
});

describe('levelNamed: every Article 3 name, in every language, is its level', () => {
  for (const row of ARTICLE_3) {
    for (const lang of LANGS) {
      it(`${row.spelling[lang]} (${lang}) → ${row.id}, in any case`, () => {
        expect(levelNamed(row.spelling[lang])).toBe(row.id);
        expect(levelNamed(row.spelling[lang].toUpperCase())).toBe(row.id);
      });
    }
    it(`${row.id} and its English words`, () => {
      expect(levelNamed(row.id)).toBe(row.id);
      expect(levelNamed(row.id.replace(/-/g, ' ').toUpperCase())).toBe(row.id);
    });
  }
  it('other words are no level', () => {
    expect(levelNamed('несекретно')).toBeUndefined();
    expect(levelNamed('совершенно')).toBeUndefined();
  });
});

describe('registerMatcher', () => {
  it('finds a level by a word of its name in any language', () => {
    expect(found('совершенно')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('өте құпия')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('абдан жашыруун')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('top secret')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('ОСОБОЙ')).toEqual(['hisobot.tif']);
    expect(found('маанилүү')).toEqual(['hisobot.tif']);
  });
  it('a query that is exactly a level\'s name finds that level only', () => {
    expect(found('Секретно')).toEqual(['Письмо министерства.pdf']);
    expect(found('ҚҰПИЯ')).toEqual(['Письмо министерства.pdf']);
    expect(found('жашыруун')).toEqual(['Письмо министерства.pdf']);
    expect(found('secret')).toEqual(['Письмо министерства.pdf']);
    // Part of a name is a word search: "секрет" is in "Секретно" and "Совершенно секретно".
    expect(found('секрет')).toEqual(['Письмо министерства.pdf', 'conflict-kk-ru.pdf']);
  });
  it('tolerates look-alikes: Russian letters for Kazakh ones, Latin capitals for Cyrillic', () => {
    expect(found('оте купия')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('COBEPШEHHO')).toEqual(['conflict-kk-ru.pdf']);
  });
  it('finds by name, case-blind, and by the incoming number (with or without №) or id', () => {
    expect(found('письмо МИНИСТЕРСТВА')).toEqual(['Письмо министерства.pdf']);
    expect(found('3f9a0c12')).toEqual(['Письмо министерства.pdf']);
    expect(found('№ 3F9A0C12')).toEqual(['Письмо министерства.pdf']);
    expect(found('#ab12cd34')).toEqual(['conflict-kk-ru.pdf']);
  });
  it('finds by reference and by who decided', () => {
    expect(found('17/2024')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('клерк')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('ревизор')).toEqual(['hisobot.tif']);
  });
  it('finds by date, as ISO or as written in Russian, Kazakh and Kyrgyz (dd.mm.yyyy), received or decided', () => {
    expect(found('2026-03-04')).toEqual(['Письмо министерства.pdf']);
    expect(found('31.12.2025')).toEqual(['hisobot.tif']);
    expect(found('06.03.2026')).toEqual([]);
    expect(found('05.03.2026')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('2026-01')).toEqual(['scan-0001.pdf']);
  });
  it('every word must be found; an empty query finds everything', () => {
    expect(found('совершенно клерк')).toEqual(['conflict-kk-ru.pdf']);
    expect(found('совершенно ревизор')).toEqual([]);
    expect(found('   ')).toHaveLength(4);
    expect(found('review')).toEqual(['conflict-kk-ru.pdf', 'scan-0001.pdf']);
  });
});

describe('searchRegister', () => {
  const register = { list: async () => ALL };
  it('filters, pages and counts', async () => {
    const r = await searchRegister(register, { search: 'секрет', limit: 1, offset: 1 });
    expect(r.entries.map((e) => e.name)).toEqual(['conflict-kk-ru.pdf']);
    expect(r.total).toBe(2);
  });
  it('without a search asks the register for the page itself', async () => {
    const asked: unknown[] = [];
    await searchRegister({ list: async (o) => (asked.push(o), ALL) }, { search: ' ', limit: 5, offset: 0 });
    expect(asked).toEqual([{ limit: 5, offset: 0 }]);
  });
});
