// Confirmation of receipt (Art. 5.3), end to end on real files: three carriers of one transfer go
// through the real pipeline (real Redis, SQLite register, workers, OCR); the confirmation lists each
// with its incoming number and SHA-256 (read back with pdftotext), passes qpdf --check, is registered
// as an outgoing document and gives each carrier its 'receipt-confirmed' event, once.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIncoming } from '../../src/register/incoming.js';
import { confirmTransfer, unconfirmed } from '../../src/service/confirm.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { ROOT } from '../helpers/carriers.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

let parts: HttpTestParts;
const TRANSFER = 'Сопроводительное письмо № 12-5/678 от 16.11.2026';

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-confirm-' });
}, 60_000);

afterAll(async () => {
  await parts?.stop();
}, 60_000);

async function settled(id: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const state = (await parts.register.stateOf(id))?.state;
    if (state && ['stamped', 'unchanged', 'review', 'rejected'].includes(state)) return;
    if (Date.now() - t0 > 120_000) throw new Error(`${id} still ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('confirmation of receipt of a transfer (Art. 5.3)', () => {
  it('lists the three carriers of the transfer with their incoming numbers and SHA-256s; registered once as an outgoing document', async () => {
    const files: [string, string | undefined][] = [
      ['digital-kk-top-secret.pdf', '17/2-қ'],
      ['scan-conflict-kk-ru.pdf', undefined],
      ['photo-ru-secret-upside-down.png', '19/2-қ'],
    ];
    const ids: string[] = [];
    for (const [name, senderReference] of files) {
      const bytes = await readFile(join(ROOT, 'samples', 'carriers', name));
      const a = await acceptCarrier(parts.intake, { bytes, name, from: 'KZ', to: 'KG', transfer: TRANSFER, ...(senderReference ? { senderReference } : {}), intake: 'http' });
      ids.push(a.carrierId);
    }
    // Another carrier, of no transfer: not in the confirmation.
    const other = await acceptCarrier(parts.intake, { bytes: await readFile(join(ROOT, 'samples', 'carriers', 'scan-ky-top-secret.pdf')), name: 'scan-ky-top-secret.pdf', from: 'KZ', to: 'KG', intake: 'http' });
    // While they are still being read, the confirmation waits.
    await expect(confirmTransfer(parts.register, TRANSFER, { authority: 'ГКНБ КР', by: 'Н. Алиева' })).rejects.toThrow(/still being read/);
    for (const id of [...ids, other.carrierId]) await settled(id);

    expect((await unconfirmed(parts.register, 0, new Date())).map((u) => u.carrierId).sort()).toEqual([...ids].sort());
    const done = await confirmTransfer(parts.register, TRANSFER, { authority: 'Государственный комитет национальной безопасности Кыргызской Республики', by: 'Н. Алиева' });
    expect([...done.carriers].sort()).toEqual([...ids].sort());
    expect(done.number).toBe('1/2026');
    const out = join(parts.tmp, 'confirmation.pdf');
    await writeFile(out, done.pdf);
    execFileSync('qpdf', ['--check', out]);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    // In the sending state's language and in Russian.
    expect(text).toMatch(/АЛЫНҒАНЫ ТУРАЛЫ РАСТАУ/);
    expect(text).toMatch(/ПОДТВЕРЖДЕНИЕ О ПОЛУЧЕНИИ/);
    expect(text).toMatch(/Исх\. № 1\/2026/);
    for (const id of ids) {
      const entry = (await parts.register.carrier(id))!;
      const incoming = formatIncoming(entry.incoming);
      expect(text, id).toContain(`вх. № ${incoming} от`);
      expect(text, id).toContain(`кіріс № ${incoming}`);
      expect(text, id).toContain(entry.inputSha256);
      expect(entry.events.filter((e) => e.kind === 'receipt-confirmed')).toEqual([expect.objectContaining({ reference: '1/2026', outputSha256: done.sha256, decidedBy: 'Н. Алиева' })]);
    }
    expect(text).toContain('№ отправителя 17/2-қ');
    expect(text).toMatch(/гриф отправителя: Өте құпия/);
    // Conflicting markings: both levels, as the sender marked them.
    expect(text).toMatch(/гриф отправителя: Өте құпия \/ Құпия/);
    expect(text).toMatch(/не содержит секретных сведений и грифа не имеет/);
    expect(text).not.toContain((await parts.register.carrier(other.carrierId))!.inputSha256);
    expect(await parts.register.outgoing()).toEqual([expect.objectContaining({ year: 2026, seq: 1, kind: 'receipt-confirmation', sha256: done.sha256 })]);
    expect(await unconfirmed(parts.register, 0, new Date())).toEqual([]);
    // Confirmed once: a second confirmation of the same transfer is refused.
    await expect(confirmTransfer(parts.register, TRANSFER, { authority: 'ГКНБ КР', by: 'Н. Алиева' })).rejects.toThrow(/confirmed already \(1\/2026\)/);
    await expect(confirmTransfer(parts.register, 'Письмо № 0', { authority: 'ГКНБ КР', by: 'Н. Алиева' })).rejects.toThrow(/no carrier in the register came in transfer/);
    expect((await parts.register.verify()).ok).toBe(true);
  }, 240_000);
});
