// The data directory's folders, and who may read the carriers kept in it.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, prepareDataDir, storeCarrier, sha256Of } from '../../src/service/data-dir.js';
import { outputTag, safeName } from '../../src/service/carrier-ref.js';

describe('the data directory', () => {
  it('makes the drop folders and keeps store/ and work/ to the service user (0700)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'grif-dd-'));
    try {
      const d = dataDir(root);
      await prepareDataDir(d);
      for (const f of ['inbox/from-KZ', 'inbox/from-KG', 'outbox', 'review', 'rejected']) expect((await stat(join(root, f))).isDirectory(), f).toBe(true);
      for (const f of [d.store, d.work]) expect((await stat(f)).mode & 0o777, f).toBe(0o700);
      // Stored once by content: the same bytes twice are one file.
      const bytes = new TextEncoder().encode('%PDF-1.7 test');
      const sha = sha256Of(bytes);
      const a = await storeCarrier(d, bytes, sha, 'A.PDF');
      const b = await storeCarrier(d, bytes, sha, 'other.pdf');
      expect(a).toBe(b);
      expect(a).toBe(join('store', `${sha}.pdf`));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('makes hostile names safe to write under its folders', () => {
    expect(safeName('../../etc/passwd')).toBe('passwd');
    expect(safeName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(safeName('.hidden.pdf')).toBe('hidden.pdf');
    expect(safeName('a\u0000b\nc.pdf')).toBe('a_b_c.pdf');
    expect(safeName('')).toBe('carrier');
    expect([...safeName('я'.repeat(300) + '.pdf')].length).toBe(120);
    expect(outputTag({ sha256: 'ab'.repeat(32), from: 'KZ', to: 'KG' })).toBe('abababab-KZ-KG');
  });
});
