/**
 * National labels that look like markings but are NOT Article 3 levels. The detector reports them
 * as notes and never maps them to a level (DOMAIN.md: "ДСП" is not covered by the agreement).
 * Negations ("Несекретно", "Құпия емес") are here too: longest match keeps them from reading as
 * the level word they contain.
 */
import type { Lang } from './article3.js';

export type OtherLabelId = 'for-official-use' | 'unclassified' | 'declassified' | 'confidential';

export interface OtherLabel {
  readonly id: OtherLabelId;
  readonly lang: Lang;
  readonly text: string;
}

export const OTHER_LABELS: readonly OtherLabel[] = [
  { id: 'for-official-use', lang: 'ru', text: 'Для служебного пользования' },
  { id: 'for-official-use', lang: 'ru', text: 'ДСП' },
  { id: 'for-official-use', lang: 'kk', text: 'Қызмет бабында пайдалану үшін' },
  { id: 'for-official-use', lang: 'kk', text: 'Қызметтік пайдалану үшін' },
  { id: 'for-official-use', lang: 'ky', text: 'Кызмат бабында пайдалануу үчүн' },
  { id: 'for-official-use', lang: 'ky', text: 'Кызматтык пайдалануу үчүн' },
  { id: 'unclassified', lang: 'ru', text: 'Несекретно' },
  { id: 'unclassified', lang: 'ru', text: 'Не секретно' },
  { id: 'unclassified', lang: 'kk', text: 'Құпия емес' },
  { id: 'unclassified', lang: 'ky', text: 'Жашыруун эмес' },
  { id: 'declassified', lang: 'ru', text: 'Рассекречено' },
  { id: 'confidential', lang: 'ru', text: 'Конфиденциально' },
];

export const OTHER_LABEL_MEANINGS: Readonly<Record<OtherLabelId, string>> = {
  'for-official-use': 'for official use',
  unclassified: 'unclassified',
  declassified: 'declassified',
  confidential: 'confidential',
};

/**
 * Words that belong on a stamp besides the marking itself: copy lines ("Экз. № 2", "Дана № 2",
 * "Нуска № 2") and the like. They do not make a stamp line read as prose.
 */
export const COPY_WORDS: readonly string[] = ['Экз', 'Экземпляр', 'Экземпляра', 'Дана', 'Данасы', 'Нұсқа', 'Нұсқасы', 'Нуска', 'Нускасы'];
export const STAMP_WORDS: readonly string[] = [
  ...COPY_WORDS,
  'единственный',
  'единств',
  'жалғыз',
  'жалгыз',
  'гриф',
  'No',
  'лист',
  'листов',
  'парақ',
  'барак',
];

/**
 * Word beginnings that, beside a marking word, make it a noun phrase of prose: "құпия ақпарат"
 * (classified information), "жашыруун маалымат", "секретные сведения". A stamp with OCR noise
 * does not come with one of these next to it.
 */
export const PROSE_COLLOCATES: readonly string[] = [
  'ақпарат',
  'мәлімет',
  'құжат',
  'маалымат',
  'документ',
  'сведени',
  'информаци',
  'материал',
  'делопроизводств',
  'іс қағаз',
];
