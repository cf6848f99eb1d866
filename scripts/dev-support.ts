/** Small helpers the dev scripts and benchmarks share (not part of grif itself). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a fixture generator's manifest holds at least: its version and the files it made. */
export interface GeneratedManifest {
  readonly version: number;
  readonly fixtures: readonly { readonly file: string }[];
}

/** The manifest's name in a folder of generated files. */
export const GENERATED_MANIFEST = 'manifest.json';

/**
 * A fixture generator run at most once per folder: `generate(dir)` writes its files, then the
 * manifest (last, so a reader never sees one ahead of its files). A folder whose manifest carries
 * `version` and whose files (and `others(manifest)`) all exist is taken as it is; concurrent
 * calls for one folder share one run.
 */
export function generatedOnce<M extends GeneratedManifest>(
  version: number,
  generate: (dir: string) => Promise<M>,
  others: (m: M) => readonly string[] = () => [],
): (dir: string) => Promise<M> {
  const running = new Map<string, Promise<M>>();
  const existing = async (dir: string): Promise<M | null> => {
    try {
      const m = JSON.parse(await readFile(join(dir, GENERATED_MANIFEST), 'utf8')) as M;
      if (m.version !== version || !Array.isArray(m.fixtures)) return null;
      return [...m.fixtures.map((f) => f.file), ...others(m)].every((f) => existsSync(join(dir, f))) ? m : null;
    } catch {
      return null;
    }
  };
  return async (dir) => {
    const abs = resolve(dir);
    const made = await existing(abs);
    if (made) return made;
    let job = running.get(abs);
    if (!job) {
      job = generate(abs).finally(() => running.delete(abs));
      running.set(abs, job);
    }
    return job;
  };
}
