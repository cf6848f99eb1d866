/** Picks the register's backend from its URL: a path or sqlite:PATH → SQLite, postgres(ql):// → PostgreSQL. */
import { PgRegister, redactUrl } from './pg-register.js';
import type { Register } from './register.js';
import { registerError } from './rows.js';
import { SqliteRegister } from './sqlite-register.js';

export interface OpenRegisterOptions {
  /** Make the file or tables when missing (default true); readers pass false so a typo is reported, not created. */
  create?: boolean;
}

export type RegisterLocation = { backend: 'sqlite'; path: string } | { backend: 'postgres'; url: string };

export function parseRegisterUrl(url: string): RegisterLocation {
  const value = url.trim();
  if (value === '') throw registerError('the register URL is empty');
  if (/^postgres(ql)?:\/\//i.test(value)) return { backend: 'postgres', url: value };
  const sqlite = /^sqlite:(.*)$/i.exec(value);
  if (sqlite) {
    // sqlite:///abs/path and sqlite:/abs/path both name /abs/path.
    const path = sqlite[1]!.replace(/^\/\/(?=\/)/, '');
    if (path === '') throw registerError(`no file in the register URL ${value}`);
    return { backend: 'sqlite', path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) throw registerError(`unsupported register URL ${redactUrl(value)}: expected a file path, sqlite:PATH or postgres://…`);
  return { backend: 'sqlite', path: value };
}

export async function openRegister(url: string, opts: OpenRegisterOptions = {}): Promise<Register> {
  const where = parseRegisterUrl(url);
  return where.backend === 'sqlite' ? SqliteRegister.open(where.path, opts) : PgRegister.open(where.url, opts);
}
