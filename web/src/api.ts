/**
 * The service's HTTP API as the page uses it. Every call sends the token as a bearer header; the
 * token lives in sessionStorage (gone when the tab closes). Files (previews, downloads) are
 * fetched with the token too and handed to the browser as blobs.
 */

import type { Abilities, Accepted, Level, Me, Party, Stage } from './api-types.js';

// The API's types are generated from the service's schemas (src/http/api-schema.ts).
export type * from './api-types.js';

export const LEVELS: readonly Level[] = ['special-importance', 'top-secret', 'secret'];
export const rank = (l: Level): number => 3 - LEVELS.indexOf(l);
export const PARTIES: readonly Party[] = ['KZ', 'KG'];
export const other = (p: Party): Party => (p === 'KZ' ? 'KG' : 'KZ');

/** Where a carrier stops (parked: until a person takes it again). */
export const FINAL: readonly Stage[] = ['stamped', 'unmarked', 'already-marked', 'rejected', 'parked'];

const TOKEN_KEY = 'grif.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;
/** Called when the service refuses the token (it changed, or the page was left open too long). */
export function whenUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

export const getToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

const auth = (token = getToken()): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function failure(r: Response): Promise<ApiError> {
  const body = (await r.json().catch(() => undefined)) as { error?: string; code?: string } | undefined;
  return new ApiError(r.status, body?.error ?? `${r.status} ${r.statusText}`, body?.code);
}

async function call(path: string, init: RequestInit = {}, token?: string): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path, { ...init, headers: { ...auth(token), ...(init.headers as Record<string, string> | undefined) }, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (r.status === 401 && token === undefined) onUnauthorized();
  if (!r.ok) throw await failure(r);
  return r;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await call(path)).json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await (await call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as T;
}

/** Who the token is, or null when the service does not take it (without signing anyone out). */
export async function checkToken(token: string): Promise<Me | null> {
  try {
    const me = (await (await call('/me', {}, token)).json()) as Me;
    // A role this page does not know may do nothing beyond reading and uploading.
    const may: Abilities = { review: me.may?.review === true, retry: me.may?.retry === true, dashboard: me.may?.dashboard === true, metrics: me.may?.metrics === true, notices: me.may?.notices === true, disposal: me.may?.disposal === true };
    return me.kind === 'user' && typeof me.name === 'string' ? { kind: 'user', name: me.name, role: me.role, may } : { kind: 'service', name: null, role: me.role, may };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The file name a content-disposition header gives (its exact UTF-8 form first). */
export function dispositionName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const exact = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (exact?.[1]) {
    try {
      return decodeURIComponent(exact[1]);
    } catch {
      /* the plain name below */
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? fallback;
}

export async function getBlob(path: string): Promise<{ blob: Blob; name: string }> {
  const r = await call(path);
  return { blob: await r.blob(), name: dispositionName(r.headers.get('content-disposition'), path.split('/').pop() ?? 'download') };
}

/** Saves a file from the service the way a link would (the browser's download). */
export async function download(path: string, fallbackName?: string): Promise<void> {
  const { blob, name } = await getBlob(path);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fallbackName && name === path.split('/').pop() ? fallbackName : name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Uploads a carrier with XMLHttpRequest, which reports upload progress (fetch does not). */
export function uploadCarrier(file: File, fields: Record<string, string>, onProgress: (sent: number, total: number) => void): Promise<Accepted> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/carriers');
    const token = getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network'));
    xhr.onload = () => {
      const body = xhr.response as (Accepted & { error?: string; code?: string }) | null;
      if (xhr.status === 401) onUnauthorized();
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError(xhr.status, body?.error ?? `${xhr.status}`, body?.code));
    };
    xhr.send(form);
  });
}
