/**
 * The page's texts: one dictionary per language, kept as data in /web/i18n/<lang>.json. English
 * fills any key a dictionary lacks. Static texts carry `data-i18n="key"` (their text) or
 * `data-i18n-attr="attribute:key;…"`; the rest call t().
 */

export type UiLang = 'ru' | 'kk' | 'ky' | 'en';
export const UI_LANGS: readonly UiLang[] = ['ru', 'kk', 'ky', 'en'];
const LANG_KEY = 'grif.lang';

type Dict = Record<string, string>;
let current: UiLang = 'ru';
let dict: Dict = {};
let fallback: Dict = {};

async function load(lang: UiLang): Promise<Dict> {
  const r = await fetch(`/web/i18n/${lang}.json`, { cache: 'no-cache' });
  if (!r.ok) throw new Error(`the ${lang} dictionary did not load (${r.status})`);
  return (await r.json()) as Dict;
}

/** The language saved by this browser, else the browser's own when we have it, else Russian. */
export function preferredLang(): UiLang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && (UI_LANGS as readonly string[]).includes(saved)) return saved as UiLang;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if ((UI_LANGS as readonly string[]).includes(base)) return base as UiLang;
  }
  return 'ru';
}

export const lang = (): UiLang => current;

export async function setLang(l: UiLang): Promise<void> {
  const [d, f] = await Promise.all([load(l), Object.keys(fallback).length ? Promise.resolve(fallback) : load('en')]);
  dict = d;
  fallback = f;
  current = l;
  localStorage.setItem(LANG_KEY, l);
  document.documentElement.lang = l;
  applyStatic(document);
}

/** Whether the dictionaries have a text for the key (the service's codes may be newer than the page). */
export const has = (key: string): boolean => key in dict || key in fallback;

/** The text of a key, with {name} placeholders filled. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = dict[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function applyStatic(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n']!);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset['i18nAttr']!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  document.title = t('app.title');
}

/** Dates and times as the chosen language writes them (Kazakh and Kyrgyz where the browser knows them). */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(current, { dateStyle: 'short', timeStyle: 'short' }).format(d);
  } catch {
    return d.toISOString().replace('T', ' ').slice(0, 16);
  }
}
