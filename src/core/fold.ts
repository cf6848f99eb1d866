/**
 * Folding of letters into an OCR-proof skeleton.
 *
 * OCR of Kazakh and Kyrgyz often yields the Russian or Latin look-alike of a letter
 * (қ→к, ө→о, ұ/ү→у, і→i/1/l, ...), and scanned Cyrillic words often carry Latin homoglyphs.
 * Every marking and every token is compared in this folded form, so a look-alike costs no edit.
 * The folding is many-to-one and used only for matching; what grif reports is the text as found.
 */

// target skeleton letter ← the characters that fold into it. Case-sensitive where Latin
// upper and lower case look like different Cyrillic letters (H→н but h→һ).
const CLASSES: ReadonlyArray<readonly [string, string]> = [
  ['а', 'аАaAәӘɑα@'],
  ['б', 'бБ6'],
  ['в', 'вВB'],
  ['г', 'гГғҒrґҐ'],
  ['д', 'дД'],
  ['е', 'еЕeEёЁєЄ'],
  ['ж', 'жЖ'],
  ['з', 'зЗ3'],
  ['и', 'иИйЙuU'],
  ['і', 'іІiI1lӀ|!ïїЇ'],
  ['к', 'кКқҚkKκ'],
  ['л', 'лЛ'],
  ['м', 'мМM'],
  ['н', 'нНңҢH'],
  ['о', 'оОoOөӨ0ɵθΟο'],
  ['п', 'пПn'],
  ['р', 'рРpPρ'],
  ['с', 'сСcC'],
  ['т', 'тТT'],
  ['у', 'уУyYұҰүҮ'],
  ['ф', 'фФ'],
  ['х', 'хХxXχ'],
  ['һ', 'һҺh'],
  ['ц', 'цЦ'],
  ['ч', 'чЧ'],
  ['ш', 'шШ'],
  ['щ', 'щЩ'],
  ['ъ', 'ъЪ'],
  ['ы', 'ыЫ'],
  ['ь', 'ьЬb'],
  ['э', 'эЭ'],
  ['ю', 'юЮ'],
  ['я', 'яЯ'],
];

// Code units below this bound are looked up in an array: the detector folds every short line.
const FAST_LIMIT = 0x2000;
const FAST = new Array<string | undefined>(FAST_LIMIT);
const SLOW = new Map<string, string>();

for (const [target, sources] of CLASSES) {
  for (const ch of sources) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code < FAST_LIMIT) FAST[code] = target;
    else SLOW.set(ch, target);
  }
}

/** The skeleton of one character; letters with no class are lower-cased, other characters are dropped. */
export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  const hit = code < FAST_LIMIT ? FAST[code] : SLOW.get(ch);
  if (hit !== undefined) return hit;
  return /\p{L}/u.test(ch) ? ch.toLowerCase() : '';
}

/**
 * The skeleton of a token. Digits fold to look-alike letters only inside a word that has letters
 * ("С3КРЕТНО"); a number on its own ("№ 2") stays a number.
 */
export function foldToken(token: string): string {
  let hasLetter = false;
  for (const ch of token) {
    if (!(ch >= '0' && ch <= '9')) {
      hasLetter = true;
      break;
    }
  }
  if (!hasLetter) return token;
  let out = '';
  for (const ch of token) out += foldChar(ch);
  return out;
}

/** The skeleton of a phrase: its words folded and joined by single spaces. */
export function foldPhrase(phrase: string): string {
  return phrase
    .normalize('NFC')
    .split(/\s+/u)
    .filter(Boolean)
    .map(foldToken)
    .join(' ');
}
