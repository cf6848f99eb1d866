/**
 * How an incoming number is written: the registry's journal number for the year, in a format the
 * registry chooses ({seq} the number, {yyyy} the year, {yy} its last two digits); `17/2026` by
 * default, as registries write "Вх. № 17/2026".
 */
import type { IncomingNumber } from './register.js';

export const DEFAULT_INCOMING_FORMAT = '{seq}/{yyyy}';

/** The format's placeholders; a format must hold {seq}, or two carriers would read alike. */
export function checkIncomingFormat(format: string): string {
  if (!format.includes('{seq}')) throw new Error(`the incoming number format ${JSON.stringify(format)} has no {seq}: two carriers would get the same number`);
  const unknown = [...format.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => !['seq', 'yyyy', 'yy'].includes(p!));
  if (unknown.length) throw new Error(`the incoming number format ${JSON.stringify(format)} has unknown placeholders: ${unknown.map((p) => `{${p}}`).join(', ')} (use {seq}, {yyyy}, {yy})`);
  return format;
}

export function formatIncoming(n: IncomingNumber | null, format = DEFAULT_INCOMING_FORMAT): string {
  if (!n) return '';
  return format.replaceAll('{seq}', String(n.seq)).replaceAll('{yyyy}', String(n.year)).replaceAll('{yy}', String(n.year % 100).padStart(2, '0'));
}
