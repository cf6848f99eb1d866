import { describe, expect, it } from 'vitest';
import { foldPhrase, foldToken } from '../../src/core/fold.js';
import { boundedDistance, PHRASES } from '../../src/core/phrases.js';
import { splitCells, tokenize } from '../../src/core/tokenize.js';

describe('folding look-alikes', () => {
  it.each([
    ['ҚҰПИЯ', 'КУПИЯ'],
    ['Құпия', 'купия'],
    ['ӨТЕ', 'ОТЕ'],
    ['Өзгөчө', 'Озгочо'],
    ['маанилүү', 'маанилуу'],
    ['маңызды', 'манызды'],
    ['CEKPETHO', 'СЕКРЕТНО'],
    ['СЕКРЕТН0', 'СЕКРЕТНО'],
    ['С3КРЕТНО', 'СЗКРЕТНО'],
    ['Kyпия', 'купия'],
    ['ЖAШЫPУУH', 'жашыруун'],
  ])('%s folds like %s', (a, b) => {
    expect(foldToken(a)).toBe(foldToken(b));
  });
  it('keeps numbers standing alone', () => {
    expect(foldToken('2')).toBe('2');
    expect(foldToken('12')).toBe('12');
  });
  it('Latin H is Cyrillic Н but Latin h is һ', () => {
    expect(foldToken('H')).toBe('н');
    expect(foldToken('h')).toBe('һ');
  });
  it('folds phrases word by word', () => {
    expect(foldPhrase('Өте  құпия')).toBe('оте купия');
  });
});

describe('cells and tokens', () => {
  it('splits columns at tabs and wide gaps only', () => {
    expect(splitCells('СЕКРЕТНО   Экз. № 2').map((c) => c.text)).toEqual(['СЕКРЕТНО   Экз. № 2']);
    expect(splitCells('МИНИСТЕРСТВО ОБОРОНЫ          СЕКРЕТНО').map((c) => c.text)).toEqual(['МИНИСТЕРСТВО ОБОРОНЫ', 'СЕКРЕТНО']);
    expect(splitCells('a\tb').map((c) => c.text)).toEqual(['a', 'b']);
    expect(splitCells('   ')).toEqual([]);
  });
  it('counts non-space characters per cell', () => {
    expect(splitCells('  С Е К Р Е Т Н О  ')[0]!.dense).toBe(8);
  });
  it('joins letter-spacing into words, wider gaps separating words', () => {
    expect(tokenize('С Е К Р Е Т Н О').map((t) => t.skel)).toEqual(['секретно']);
    expect(tokenize('Ө Т Е  Қ Ұ П И Я').map((t) => t.skel)).toEqual(['оте', 'купия']);
    expect(tokenize('" Қ ұ п и я "').map((t) => t.raw)).toEqual(['Қ ұ п и я']);
    expect(tokenize('С  Е  К  Р  Е  Т  Н  О').map((t) => t.skel)).toEqual(['секретно']);
  });
  it('leaves short words of ordinary text alone', () => {
    expect(tokenize('и в том числе').map((t) => t.skel)).toEqual(['и', 'в', 'том', 'числе']);
  });
  it('keeps the number sign and numbers as tokens', () => {
    expect(tokenize('Экз. №2').map((t) => t.raw)).toEqual(['Экз', '№', '2']);
  });
});

describe('phrases', () => {
  it('are ordered longest first', () => {
    for (let i = 1; i < PHRASES.length; i++) {
      expect(PHRASES[i - 1]!.words.length).toBeGreaterThanOrEqual(PHRASES[i]!.words.length);
    }
  });
  it('distance is exact within its bound', () => {
    expect(boundedDistance('секретно', 'секретно', 2)).toBe(0);
    expect(boundedDistance('секретно', 'секретна', 2)).toBe(1);
    expect(boundedDistance('секретно', 'несекретно', 2)).toBe(2);
    expect(boundedDistance('секретно', 'жашыруун', 2)).toBe(3);
  });
});

describe('letter-spacing with OCR digits', () => {
  it('a look-alike digit inside a letter-spaced word belongs to it', () => {
    expect(tokenize('C E K P E T H 0').map((t) => t.skel)).toEqual(['секретно']);
  });
  it('spaced digits alone stay apart', () => {
    expect(tokenize('1 0 - б а п').map((t) => t.raw)).toEqual(['1', '0', 'б а п']);
  });
});
