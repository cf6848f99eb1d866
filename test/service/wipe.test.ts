// The wipe and the search behind a destruction (service/wipe.ts), on real files: a file found by
// its SHA-256 and a later revision found by its beginning, also when the cut falls inside a read
// chunk of a file of several MiB; links are not followed; a wiped file's blocks hold other bytes
// (seen through a hard link to the same inode) before it is removed; a link is refused.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findContents, wipeFile } from '../../src/service/wipe.js';

let root: string;
let outside: string;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'grif-wipe-'));
  outside = await mkdtemp(join(tmpdir(), 'grif-wipe-outside-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('the search', () => {
  it('finds a file by its SHA-256 and a later revision by its beginning, across read chunks; links are not followed', async () => {
    // 1.5 MiB: the cut falls inside the second 1 MiB chunk of the longer file.
    const original = randomBytes(1.5 * 1024 * 1024);
    const revised = Buffer.concat([original, Buffer.from('\n% an incremental update\n'), randomBytes(2 * 1024 * 1024)]);
    const small = Buffer.from('%PDF-1.7 a small one');
    await mkdir(join(root, 'store', 'deep'), { recursive: true });
    await writeFile(join(root, 'store', 'a.pdf'), original);
    await writeFile(join(root, 'store', 'deep', 'b.pdf'), revised);
    await writeFile(join(root, 'unrelated.pdf'), Buffer.concat([randomBytes(10), original]));
    await writeFile(join(root, 'small.pdf'), small);
    // A link to a file outside holding the contents: not followed, not reported.
    await writeFile(join(outside, 'copy.pdf'), original);
    await symlink(join(outside, 'copy.pdf'), join(root, 'link.pdf'));
    await symlink(outside, join(root, 'linked-folder'));

    const report = await findContents(root, [
      { sha256: sha(original), what: 'received', size: original.length },
      { sha256: sha(small), what: 'small', size: small.length },
    ]);
    expect(report.files).toBe(4);
    expect(report.bytes).toBe(original.length + revised.length + original.length + 10 + small.length);
    expect(report.found.map((f) => [f.path, f.what, f.how]).sort()).toEqual([
      [join('small.pdf'), 'small', 'whole'],
      [join('store', 'a.pdf'), 'received', 'whole'],
      [join('store', 'deep', 'b.pdf'), 'received', 'beginning'],
    ]);
  });
});

describe('the wipe', () => {
  it('writes other bytes over the whole file before removing it', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(root, 'secret.pdf');
    await writeFile(path, bytes);
    // A second name for the same blocks: what the wipe wrote there is seen through it after the first name is gone.
    const other = join(root, 'same-inode.pdf');
    await link(path, other);
    expect(await wipeFile(path)).toBe(true);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    const after = await readFile(other);
    expect(after.length).toBe(bytes.length);
    expect(after.equals(bytes)).toBe(false);
    // Not one 64 KiB stretch of the old contents is left in place.
    for (let at = 0; at + 65536 <= bytes.length; at += 65536) expect(after.subarray(at, at + 65536).equals(bytes.subarray(at, at + 65536))).toBe(false);
    await rm(other);
    expect(await wipeFile(path)).toBe(false);
  });

  it('wiped by several at once (a reconciler beside grif destroy): each finds it wiped or gone, none fails', async () => {
    const path = join(root, 'raced.pdf');
    for (let round = 0; round < 30; round++) {
      await writeFile(path, randomBytes(64 * 1024 + round));
      // Staggered so that some look while another has just removed it.
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => new Promise((r) => setTimeout(r, i % 3)).then(() => wipeFile(path))));
      expect(results.filter(Boolean).length, `round ${round}`).toBeGreaterThanOrEqual(1);
      await expect(stat(path)).rejects.toThrow(/ENOENT/);
    }
  });

  it('refuses a link (it would write through it to a file elsewhere)', async () => {
    await writeFile(join(outside, 'kept.pdf'), 'kept');
    await symlink(join(outside, 'kept.pdf'), join(root, 'to-kept.pdf'));
    await expect(wipeFile(join(root, 'to-kept.pdf'))).rejects.toThrow(/not a regular file/);
    expect(await readFile(join(outside, 'kept.pdf'), 'utf8')).toBe('kept');
  });
});
