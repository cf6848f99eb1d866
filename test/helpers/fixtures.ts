// The generated carriers (scripts/make-fixtures.ts), made once per checkout under .tmp/fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './carriers.js';

export const FIXTURES = join(ROOT, '.tmp', 'fixtures');

export interface Fixture {
  file: string;
  kind: string;
  expect: { status: 'marked' | 'unmarked' | 'conflict' | 'review' | 'error'; level: string | null; errorMatches?: string };
  pages: number;
  note: string;
}

export function fixtures(): Fixture[] {
  const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { fixtures: Fixture[] };
  return manifest.fixtures;
}
