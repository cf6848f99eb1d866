/** Building the page's elements: text always goes in as text (names come from outside), never as HTML. */
import { ApiError, type Level } from './api.js';
import { t } from './i18n.js';

type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export function $<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`the page has no ${selector}`);
  return el;
}

/** A form field's value, trimmed. */
export const fieldValue = (id: string): string => $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`#${id}`).value.trim();

/** The register ids typed into a field, separated by spaces, commas or semicolons. */
export const idList = (id: string): string[] => fieldValue(id).split(/[\s,;]+/).filter(Boolean);

/** A request's body with who does it: the name signed in with, if one was given (a personal token says it anyway). */
export function withBy<T extends object>(body: T): T & { by?: string } {
  const by = fieldValue('signin-name');
  return by ? { ...body, by } : body;
}

/** Announces a change to screen readers (one polite live region for the whole page). */
export function announce(text: string): void {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  // A new text node in a fresh tick is announced even when the text repeats.
  setTimeout(() => (live.textContent = text), 50);
}

export const levelName = (l: Level | null | undefined): string => (l ? t(`level.${l}`) : t('level.none'));
export const langName = (l: string): string => t(`lang.${l}`);
export const partyName = (p: string): string => t(`party.${p}`);

/** An error as the clerk should read it: our words for the network and the token, the service's words otherwise. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 401) return t('error.token');
    if (err.status === 503) return t('error.unavailable', { message: err.message });
    // The answers a clerk can meet, in the page's language; the service's English follows.
    const known: Record<number, string> = { 403: 'error.forbidden', 404: 'error.notFound', 409: 'error.conflict', 413: 'error.tooLarge', 415: 'error.unsupported', 422: 'error.refused' };
    const key = known[err.status];
    return key ? `${t(key)} (${err.message})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} ${t('unit.mib')}` : `${Math.max(1, Math.round(n / 1024))} ${t('unit.kib')}`;
