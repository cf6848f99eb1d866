/**
 * Destroying the bytes grif holds of a carrier (Art. 6.4: "so that recovery is impossible"), and
 * the search that proves none are left. A file is wiped by writing random bytes over its whole
 * length, flushing them to the disk, and only then removing it: the old contents are not left in
 * free blocks for a disk reader to find. (A copy-on-write or flash file system may still keep old
 * blocks of its own; docs/service.md says to keep the data directory on an encrypted volume.)
 *
 * The search reads every regular file under the data directory and compares its SHA-256 with the
 * ones sought, and also the SHA-256 of its beginning at each sought length: a PDF grif stamped,
 * copied or re-marked is an incremental update, so it begins with every byte of the version
 * before it, and a stray one (a copy made by a process killed before it was registered) is found
 * by the carrier it was made of. Symbolic links are not followed; nothing outside is read.
 */
import { constants as fsConstants, createReadStream } from 'node:fs';
import { lstat, open, readdir, rm } from 'node:fs/promises';
import { createHash, randomFillSync, type Hash } from 'node:crypto';
import { join, relative } from 'node:path';

/** Contents sought: a SHA-256, what it is (for the report), and its length when known (for beginnings). */
export interface Sought {
  readonly sha256: string;
  readonly what: string;
  readonly size?: number;
}

/** A file found holding sought contents: all of it, or as its beginning (a later revision of a PDF). */
export interface Found {
  /** Relative to the folder searched. */
  readonly path: string;
  readonly sha256: string;
  readonly what: string;
  readonly how: 'whole' | 'beginning';
}

export interface SearchReport {
  readonly root: string;
  /** Regular files read, and their bytes. */
  readonly files: number;
  readonly bytes: number;
  readonly found: readonly Found[];
}

const CHUNK = 1 << 20;

/** Every regular file under `dir` (links and special files passed over), relative paths. */
async function* filesUnder(root: string, dir = root): AsyncGenerator<{ path: string; size: number }> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  for (const name of names.sort()) {
    const path = join(dir, name);
    const s = await lstat(path).catch(() => undefined);
    if (!s) continue;
    if (s.isDirectory()) yield* filesUnder(root, path);
    else if (s.isFile()) yield { path, size: s.size };
  }
}

/** The file's SHA-256, and that of its beginning at each of `cuts` (ascending, below its size). */
async function hashes(path: string, cuts: readonly number[]): Promise<{ whole: string; beginnings: Map<number, string> }> {
  const h: Hash = createHash('sha256');
  const beginnings = new Map<number, string>();
  let at = 0;
  let next = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    let off = 0;
    while (next < cuts.length && cuts[next]! <= at + (chunk.length - off)) {
      const take = cuts[next]! - at;
      h.update(chunk.subarray(off, off + take));
      off += take;
      at += take;
      beginnings.set(cuts[next]!, h.copy().digest('hex'));
      next++;
    }
    h.update(chunk.subarray(off));
    at += chunk.length - off;
  }
  return { whole: h.digest('hex'), beginnings };
}

/** Searches `root` for files holding any of `sought`, whole or as their beginning. */
export async function findContents(root: string, sought: readonly Sought[], onFile?: (files: number) => void): Promise<SearchReport> {
  const bySha = new Map(sought.map((s) => [s.sha256, s]));
  const sizes = [...new Set(sought.flatMap((s) => (s.size ? [s.size] : [])))].sort((a, b) => a - b);
  const found: Found[] = [];
  let files = 0;
  let bytes = 0;
  for await (const f of filesUnder(root)) {
    files++;
    bytes += f.size;
    onFile?.(files);
    const cuts = sizes.filter((n) => n < f.size);
    const r = await hashes(f.path, cuts).catch((err: NodeJS.ErrnoException) => {
      // Gone meanwhile (a temporary file renamed): nothing there to find.
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!r) continue;
    const rel = relative(root, f.path);
    const whole = bySha.get(r.whole);
    if (whole) {
      found.push({ path: rel, sha256: whole.sha256, what: whole.what, how: 'whole' });
      continue;
    }
    for (const s of sought) {
      if (s.size && r.beginnings.get(s.size) === s.sha256) {
        found.push({ path: rel, sha256: s.sha256, what: s.what, how: 'beginning' });
        break;
      }
    }
  }
  return { root, files, bytes, found };
}

const gone = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Overwrites a file with random bytes, flushes it to the disk, then removes it. A file already
 * gone is fine (returns false), also when another process wiping it at once (a reconciler beside
 * grif destroy) removes it between the look and the open; a link or anything but a regular file is
 * refused, also one put in its place after the look (opened without following links, and what was
 * opened checked again).
 */
export async function wipeFile(path: string): Promise<boolean> {
  const s = await lstat(path).catch((err: unknown) => {
    if (gone(err)) return undefined;
    throw err;
  });
  if (!s) return false;
  if (!s.isFile()) throw new Error(`${path} is not a regular file: not wiped`);
  const fh = await open(path, fsConstants.O_RDWR | fsConstants.O_NOFOLLOW).catch((err: unknown) => {
    if (gone(err)) return undefined;
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${path} is not a regular file: not wiped`);
    throw err;
  });
  if (!fh) return false;
  try {
    // What was opened: the file at this path now, whatever stood there at the look.
    const now = await fh.stat();
    if (!now.isFile()) throw new Error(`${path} is not a regular file: not wiped`);
    const noise = Buffer.alloc(Math.min(CHUNK, Math.max(1, now.size)));
    for (let at = 0; at < now.size; at += noise.length) {
      randomFillSync(noise);
      const n = Math.min(noise.length, now.size - at);
      await fh.write(noise, 0, n, at);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rm(path, { force: true });
  return true;
}
