import { describe, expect, it } from 'vitest';
import { ARTICLE_3, checkDerived, planReceivingStamp, spelling, type Level } from '../../src/core/index.js';
import { BODY_RU, verdictOf } from '../helpers/carriers.js';

const marked = (stamp: string) => verdictOf(`${stamp}\n${BODY_RU}`);
const at = (level: Level, lang: 'kk' | 'ky' | 'ru') => marked(spelling(level, lang).toUpperCase());

describe('the translation check (Art. 6.1: a derived carrier no lower than its source)', () => {
  for (const s of ARTICLE_3) {
    for (const d of ARTICLE_3) {
      const expected = d.rank < s.rank ? 'violation' : 'ok';
      it(`source ${s.id} (kk) → translation ${d.id} (ru): ${expected}`, () => {
        const check = checkDerived(at(s.id, 'kk'), at(d.id, 'ru'));
        expect(check.status).toBe(expected);
        expect(check.requiredLevel).toBe(s.id);
        if (expected === 'violation') {
          expect(check.findings[0]!.kind).toBe('lower-than-source');
          expect(check.findings[0]!.message).toContain(s.id);
          expect(check.findings[0]!.message).toContain(d.id);
        }
        if (d.rank > s.rank) expect(check.findings[0]!.kind).toBe('higher-than-source');
      });
    }
  }
  it('an unmarked translation of a marked source is a violation', () => {
    const check = checkDerived(at('top-secret', 'ky'), verdictOf(BODY_RU));
    expect(check.status).toBe('violation');
    expect(check.findings[0]!.kind).toBe('derived-unmarked');
  });
  it('an unmarked source sets no floor', () => {
    expect(checkDerived(verdictOf(BODY_RU), verdictOf(BODY_RU))).toMatchObject({ status: 'ok', requiredLevel: null });
  });
  it('a source or a copy in conflict or review goes to a person', () => {
    const conflict = marked('ҚҰПИЯ\nСОВЕРШЕННО СЕКРЕТНО');
    expect(checkDerived(conflict, at('secret', 'ru')).status).toBe('review');
    expect(checkDerived(at('secret', 'ru'), conflict).status).toBe('review');
  });
});

describe('the receiving-side plan (Art. 6.1)', () => {
  for (const row of ARTICLE_3) {
    it(`${row.id} from KZ to KG: add the Kyrgyz marking`, () => {
      const plan = planReceivingStamp(at(row.id, 'kk'), { from: 'KZ', to: 'KG' });
      expect(plan).toEqual({ action: 'add', level: row.id, from: 'KZ', to: 'KG', markings: [{ lang: 'ky', text: row.spelling.ky }] });
    });
    it(`${row.id} from KG to KZ with --russian: Kazakh and Russian`, () => {
      const plan = planReceivingStamp(at(row.id, 'ky'), { from: 'KG', to: 'KZ', russian: true });
      expect(plan).toMatchObject({ action: 'add', level: row.id, markings: [{ lang: 'kk', text: row.spelling.kk }, { lang: 'ru', text: row.spelling.ru }] });
    });
    it(`${row.id}: nothing when the receiving side's equivalent is already there`, () => {
      const v = marked(`${row.spelling.kk.toUpperCase()}\n${row.spelling.ky.toUpperCase()}`);
      expect(planReceivingStamp(v, { from: 'KZ', to: 'KG' })).toMatchObject({ action: 'none', reason: 'already-stamped' });
    });
  }
  it('a Russian stamp already there is not repeated', () => {
    const plan = planReceivingStamp(at('secret', 'ru'), { from: 'KZ', to: 'KG', russian: true });
    expect(plan).toMatchObject({ action: 'add', markings: [{ lang: 'ky', text: 'Жашыруун' }] });
  });
  it.each([
    ['unmarked', BODY_RU],
    ['conflict', 'ҚҰПИЯ\nСОВЕРШЕННО СЕКРЕТНО'],
    ['review', 'СЕКРФТНQ'],
  ])('nothing for %s carriers', (status, text) => {
    const v = marked(text);
    expect(v.status).toBe(status);
    expect(planReceivingStamp(v, { from: 'KZ', to: 'KG' })).toMatchObject({ action: 'none', reason: 'not-marked' });
  });
  it('nothing when the translation check failed', () => {
    const check = checkDerived(at('top-secret', 'kk'), at('secret', 'ru'));
    expect(planReceivingStamp(at('secret', 'ru'), { from: 'KZ', to: 'KG', derived: check })).toMatchObject({ action: 'none', reason: 'derived-check' });
  });
  it('refuses the same Party on both sides', () => {
    expect(() => planReceivingStamp(at('secret', 'ru'), { from: 'KZ', to: 'KZ' })).toThrow(/both KZ/);
  });
});
