import { describe, expect, it } from 'vitest';
import {
  ARTICLE_3,
  LANGS,
  LEVEL_IDS,
  areEquivalent,
  compareLevels,
  highestLevel,
  isLevel,
  isPartyId,
  levelRow,
  party,
  spelling,
} from '../../src/core/index.js';

describe('the Article 3 table', () => {
  it('has the three levels, highest first, with distinct ranks', () => {
    expect(ARTICLE_3.map((r) => r.id)).toEqual(['special-importance', 'top-secret', 'secret']);
    expect(ARTICLE_3.map((r) => r.rank)).toEqual([3, 2, 1]);
  });
  it.each([
    ['special-importance', 'Аса маңызды', 'Өзгөчө маанилүү', 'Особой важности'],
    ['top-secret', 'Өте құпия', 'Абдан жашыруун', 'Совершенно секретно'],
    ['secret', 'Құпия', 'Жашыруун', 'Секретно'],
  ] as const)('%s is spelled as the treaty spells it', (id, kk, ky, ru) => {
    expect(levelRow(id).spelling).toEqual({ kk, ky, ru });
    expect(spelling(id, 'kk')).toBe(kk);
  });
  it('knows the Parties and their languages', () => {
    expect(party('KZ')).toMatchObject({ id: 'KZ', lang: 'kk' });
    expect(party('KG')).toMatchObject({ id: 'KG', lang: 'ky' });
    expect(isPartyId('KZ')).toBe(true);
    expect(isPartyId('RU')).toBe(false);
  });
  it('orders and compares levels', () => {
    expect(compareLevels('secret', 'top-secret')).toBeLessThan(0);
    expect(compareLevels('special-importance', 'top-secret')).toBeGreaterThan(0);
    expect(compareLevels('secret', 'secret')).toBe(0);
    expect(highestLevel(['secret', 'special-importance', 'top-secret'])).toBe('special-importance');
    expect(highestLevel([])).toBeNull();
  });
  it('equivalence is the same level, in any language', () => {
    for (const a of LEVEL_IDS) for (const b of LEVEL_IDS) expect(areEquivalent(a, b)).toBe(a === b);
  });
  it('rejects what is not a level, with a message naming the choices', () => {
    expect(isLevel('confidential')).toBe(false);
    expect(isLevel('secret')).toBe(true);
    expect(() => levelRow('dsp' as never)).toThrow(/expected one of special-importance, top-secret, secret/);
  });
  it('every spelling exists in every language', () => {
    for (const r of ARTICLE_3) for (const l of LANGS) expect(r.spelling[l].length).toBeGreaterThan(3);
  });
});
