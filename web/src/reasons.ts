/**
 * The service's reasons (why a carrier waits for a person) and rejection errors in the page's
 * language: one dictionary sentence per code the service gives beside its English words
 * (`reason.<code>`, `rejection.<code>`), levels named as the page names them. The English, as the
 * service wrote it, stays one click away under "details"; a code the dictionaries do not know (a
 * newer service), or one written without the data its sentence needs, shows the English instead.
 */
import type { ReviewReason } from './api.js';
import { h, levelName } from './dom.js';
import { has, t } from './i18n.js';

/** A dictionary sentence with every placeholder filled, or undefined. */
function sentence(key: string, params: Record<string, string> = {}): string | undefined {
  if (!has(key)) return undefined;
  const text = t(key, params);
  return /\{\w+\}/.test(text) ? undefined : text;
}

export function reasonSentence(r: ReviewReason): string | undefined {
  const l = r.levels ?? {};
  // A reason that may or may not name a lowest level has a sentence for each (`….atLeast`).
  const key = l.atLeast && has(`reason.${r.code}.atLeast`) ? `reason.${r.code}.atLeast` : `reason.${r.code}`;
  return sentence(key, {
    ...(l.found?.length ? { levels: l.found.map(levelName).join(', ') } : {}),
    ...(l.atLeast ? { level: levelName(l.atLeast) } : {}),
    ...(l.carrier ? { carrier: levelName(l.carrier) } : {}),
    ...(l.source ? { source: levelName(l.source) } : {}),
    ...(r.sourceId ? { id: r.sourceId } : {}),
  });
}

export const errorSentence = (code: string | undefined): string | undefined => (code ? sentence(`rejection.${code}`) : undefined);

/** The service's own English words, folded away under a small "details". */
export function englishDetails(english: readonly string[]): HTMLDetailsElement {
  return h(
    'details',
    { class: 'english' },
    h('summary', {}, t('details.english')),
    english.length === 1 ? h('p', { lang: 'en' }, english[0]) : h('ul', { lang: 'en' }, ...english.map((e) => h('li', {}, e))),
  );
}

/**
 * Why a carrier waits for a person: a sentence per code in the page's language (the notes that
 * carry no code, such as a national label seen beside the markings, are counted and left to the
 * details), then the English as the service wrote it.
 */
export function reasonsView(english: readonly string[], codes: readonly ReviewReason[] | undefined): HTMLElement[] {
  const items: HTMLLIElement[] = [];
  const covered = new Set<number>();
  for (const r of codes ?? []) {
    const own = r.index !== undefined ? english[r.index] : undefined;
    const text = reasonSentence(r);
    if (text === undefined && own === undefined) continue;
    items.push(text === undefined ? h('li', { lang: 'en' }, own) : h('li', {}, text));
    if (own !== undefined) covered.add(r.index!);
  }
  // Nothing the page can say in its own words (a service without codes): the English as it is.
  if (items.length === 0) return [h('ul', { class: 'reasons', lang: 'en' }, ...english.map((e) => h('li', {}, e)))];
  const rest = english.filter((_, i) => !covered.has(i)).length;
  if (rest > 0) items.push(h('li', { class: 'muted' }, t('reasons.more', { n: rest })));
  const list = h('ul', { class: 'reasons' }, ...items);
  return english.length ? [list, englishDetails(english)] : [list];
}

/** Why a carrier was rejected: the sentence for its code, the English under details; the English alone for a code the page does not know. */
export function errorView(english: string, code: string | undefined): (Node | string)[] {
  const text = errorSentence(code);
  if (text === undefined) return [h('span', { lang: 'en' }, english)];
  return [h('span', {}, text), englishDetails([english])];
}
