import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { examine, type CarrierText, type Verdict } from '../../src/core/index.js';
import { textToCarrier } from '../../src/extract/text-file.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The agreement's Kazakh text, kept in the repository (the same bytes as shared/seeds' copy): tests read nothing outside it. */
export const SEED_PATH = fileURLToPath(new URL('../../samples/carriers/agreement-kk.txt', import.meta.url));

export function seedText(): string {
  return readFileSync(SEED_PATH, 'utf8');
}

export function carrier(text: string): CarrierText {
  return textToCarrier(text);
}

export function verdictOf(text: string): Verdict {
  return examine(textToCarrier(text));
}

/** A few lines of ordinary Russian body text that carry no marking words. */
export const BODY_RU = [
  'Министерство направляет сведения о ходе поставок оборудования',
  'по договору от 12 марта 2024 года и просит рассмотреть их в',
  'установленном порядке. Приложение: на 3 листах.',
  '',
  'Начальник управления                               А. Касымов',
].join('\n');

export const BODY_KK = [
  'Министрлік 2024 жылғы 12 наурыздағы шарт бойынша жабдықтарды',
  'жеткізу барысы туралы мәліметтерді жібереді және оларды белгіленген',
  'тәртіппен қарауды сұрайды. Қосымша: 3 парақта.',
].join('\n');

export const BODY_KY = [
  'Министрлик 2024-жылдын 12-мартындагы келишим боюнча жабдууларды',
  'жеткирүүнүн жүрүшү жөнүндө маалыматтарды жөнөтөт жана аларды',
  'белгиленген тартипте кароону суранат. Тиркеме: 3 баракта.',
].join('\n');
