/** How results are printed: one JSON object per line, or a table for people. */
import type { Stamp, Verdict } from '../core/index.js';
import type { DerivedCheck, StampPlan } from '../core/index.js';
import { printable } from './printable.js';

export type ResultStatus = Verdict['status'] | 'error';

export interface FileResult {
  readonly file: string;
  readonly verdict?: Verdict;
  readonly error?: string;
}

export function stampJson(s: Stamp): Record<string, unknown> {
  return {
    lang: s.lang,
    level: s.level,
    text: s.text,
    page: s.page,
    line: s.line,
    ...(s.bbox ? { bbox: s.bbox.map((v) => Math.round(v * 10) / 10) } : {}),
    confidence: s.confidence,
    evidence: s.evidence,
    ...(s.copy !== undefined ? { copy: s.copy } : {}),
    why: s.why,
  };
}

export function resultJson(r: FileResult): Record<string, unknown> {
  if (!r.verdict) {
    return { file: r.file, status: 'error', level: null, stamps: [], notes: [r.error ?? 'unknown error'] };
  }
  const v = r.verdict;
  return {
    file: r.file,
    status: v.status,
    level: v.level,
    ...(v.status === 'review' || v.status === 'conflict' ? { minLevel: v.minLevel } : {}),
    stamps: v.stamps.map(stampJson),
    notes: v.notes,
  };
}

function pad(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : s + ' '.repeat(width - len);
}

function stampBrief(s: Stamp): string {
  const weak = s.evidence === 'weak' ? ', weak' : '';
  const copy = s.copy !== undefined ? `, copy ${s.copy}` : '';
  return `${s.lang} "${printable(s.text)}" p${s.page}:${s.line} (${s.confidence.toFixed(2)}${weak}${copy})`;
}

/** A readable table: one row per file, stamps and notes indented under it; names escaped (printable). */
export function resultTable(results: readonly FileResult[]): string {
  const names = results.map((r) => printable(r.file));
  const fileWidth = Math.min(48, Math.max(4, ...names.map((n) => [...n].length)));
  const lines = [`${pad('FILE', fileWidth)}  ${pad('STATUS', 9)}  LEVEL`];
  results.forEach((r, i) => {
    const status: ResultStatus = r.verdict?.status ?? 'error';
    const level = r.verdict?.level ?? (r.verdict?.minLevel ? `(at least ${r.verdict.minLevel})` : '-');
    lines.push(`${pad(names[i]!, fileWidth)}  ${pad(status, 9)}  ${level}`);
    if (r.error) lines.push(`    error: ${printable(r.error)}`);
    for (const s of r.verdict?.stamps ?? []) lines.push(`    stamp: ${stampBrief(s)}`);
    for (const n of r.verdict?.notes ?? []) lines.push(`    note:  ${printable(n)}`);
  });
  return lines.join('\n');
}

export function summaryLine(results: readonly FileResult[]): string {
  const counts = new Map<ResultStatus, number>();
  for (const r of results) {
    const s: ResultStatus = r.verdict?.status ?? 'error';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const parts = (['marked', 'unmarked', 'conflict', 'review', 'error'] as const)
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`);
  return `${results.length} file(s): ${parts.join(', ') || 'none'}`;
}

export function derivedText(source: FileResult, derived: FileResult, check: DerivedCheck): string {
  const lines = [
    `source:  ${printable(source.file)}: ${source.verdict?.status}${source.verdict?.level ? ` (${source.verdict.level})` : ''}`,
    `derived: ${printable(derived.file)}: ${derived.verdict?.status}${derived.verdict?.level ? ` (${derived.verdict.level})` : ''}`,
    `check:   ${check.status}${check.requiredLevel ? ` (the derived carrier must be marked at least ${check.requiredLevel})` : ''}`,
  ];
  for (const f of check.findings) lines.push(`    ${f.severity}: ${printable(f.message)}`);
  return lines.join('\n');
}

export function planText(plan: StampPlan): string {
  if (plan.action === 'none') return `nothing to add: ${plan.detail}`;
  return `add ${plan.level} for ${plan.to}: ${plan.markings.map((m) => `"${m.text.toUpperCase()}" (${m.lang})`).join(' + ')}`;
}
