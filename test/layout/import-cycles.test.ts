// The folders depend on one another in one direction only: a reader can follow a carrier from
// intake to register without going round in circles (core ← extract ← stamp ← service ← http ← app ← cli).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/carriers.js';

/** 'src/core', 'src/service', 'workers', … for a file under the repository root. */
function folderOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : parts[0]!;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('layout', () => {
  it('no import cycle between folders of src/ and workers/', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'workers'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const from = folderOf(file);
        const to = folderOf(normalize(join(dirname(file), m[1]!)));
        if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const walk = (start: string, at: string, path: string[]): void => {
      for (const next of edges.get(at) ?? []) {
        if (next === start) cycles.push([...path, next].join(' → '));
        else if (!path.includes(next)) walk(start, next, [...path, next]);
      }
    };
    for (const start of edges.keys()) walk(start, start, [start]);
    expect(cycles).toEqual([]);
  });
});
