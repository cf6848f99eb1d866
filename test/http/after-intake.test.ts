// A carrier's life after intake over HTTP, against real Redis, a SQLite register, the stage
// workers and real PDFs: transfers and their confirmation of receipt (Art. 5.3), level-change
// notices with their deadlines and re-marking (Art. 6.3), each route for the roles that may use it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../../src/http/server.js';
import { addUser, usersFileOf } from '../../src/http/users.js';
import { localDay } from '../../src/service/notices.js';
import { silentLogger } from '../../src/service/log.js';
import { addDays } from '../../src/core/notice.js';
import { ROOT } from '../helpers/carriers.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

const TOKEN = 'service-token-after-intake-0123';
const TRANSFER = 'Сопроводительное письмо № 04-1/220';
let parts: HttpTestParts;
let http: HttpServer;
const tokens = { clerk: '', reviewer: '' };

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-http-after-' });
  const usersFile = usersFileOf(parts.dir.root);
  tokens.clerk = (await addUser(usersFile, 'Н. Алиева', 'clerk')).token;
  tokens.reviewer = (await addUser(usersFile, 'А. Регистратор', 'reviewer')).token;
  const stage = { dir: parts.dir, register: parts.register, extract: parts.session, log: silentLogger(), agent: 'grif test' };
  http = await startHttp(
    { intake: parts.intake, metrics: parts.metrics, queues: parts.queues, stage, authority: 'ГКНБ Кыргызской Республики' },
    { host: '127.0.0.1', port: 0, token: TOKEN, usersFile },
  );
}, 60_000);

afterAll(async () => {
  await http?.close();
  await parts?.stop();
}, 60_000);

const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${http.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
const postJson = (path: string, token: string, body: unknown) => call(path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function upload(name: string, fields: Record<string, string>): Promise<string> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([await readFile(join(ROOT, 'samples', 'carriers', name))]), name);
  const r = await call('/carriers', tokens.clerk, { method: 'POST', body: form });
  expect(r.status, await r.clone().text()).toBe(202);
  const id = ((await r.json()) as { carrierId: string }).carrierId;
  const t0 = Date.now();
  for (;;) {
    const s = (await (await call(`/carriers/${id}`, tokens.clerk)).json()) as { stage: string };
    if (['stamped', 'unmarked', 'already-marked', 'review', 'rejected'].includes(s.stage)) return id;
    if (Date.now() - t0 > 120_000) throw new Error(`${name}: still ${s.stage}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

describe('after intake, over HTTP', () => {
  let stamped = '';
  let second = '';

  it('a transfer confirmed by a clerk: the confirmation registered and downloadable, the transfer shown confirmed', async () => {
    stamped = await upload('digital-kk-top-secret.pdf', { from: 'KZ', transfer: TRANSFER, senderReference: '17/2-қ' });
    second = await upload('photo-ru-secret-upside-down.png', { from: 'KZ', transfer: TRANSFER });
    const before = (await (await call('/transfers', tokens.clerk)).json()) as { items: { transfer: string; unconfirmed: number; carriers: { carrierId: string; senderReference: string | null }[] }[] };
    expect(before.items).toHaveLength(1);
    expect(before.items[0]).toMatchObject({ transfer: TRANSFER, unconfirmed: 2 });
    expect(before.items[0]!.carriers.find((c) => c.carrierId === stamped)?.senderReference).toBe('17/2-қ');

    const r = await postJson(`/transfers/${encodeURIComponent(TRANSFER)}/confirmation`, tokens.clerk, {});
    const body = (await r.json()) as { number: string; sha256: string; carriers: string[]; links: { pdf: string } };
    expect(r.status, JSON.stringify(body)).toBe(201);
    expect(body.number).toBe(`1/${new Date().getFullYear()}`);
    expect([...body.carriers].sort()).toEqual([stamped, second].sort());
    const pdf = await call(body.links.pdf, tokens.clerk);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(body.sha256);
    const out = join(parts.tmp, 'confirmation.pdf');
    await writeFile(out, bytes);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Получатель: ГКНБ Кыргызской Республики');
    expect(text).toContain('Подпись ____________  Н. Алиева'.replace('  ', ' '));
    const after = (await (await call('/transfers', tokens.clerk)).json()) as { items: { unconfirmed: number; confirmations: { number: string }[] }[] };
    expect(after.items[0]).toMatchObject({ unconfirmed: 0, confirmations: [{ number: body.number }] });
    // Again: nothing left to confirm.
    const again = await postJson(`/transfers/${encodeURIComponent(TRANSFER)}/confirmation`, tokens.clerk, {});
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/confirmed already/);
  }, 240_000);

  it('notices: a clerk may not record one; the wrong Party is refused; a reviewer records it, the deadline shows, day 31 is overdue', async () => {
    const notice = (from: 'KZ' | 'KG') => ({ carriers: [stamped], level: 'secret', notices: [{ from, reference: '12-3/45', date: '2026-11-02', authority: 'Канцелярия Премьер-Министра РК' }] });
    expect((await postJson('/notices', tokens.clerk, notice('KZ'))).status).toBe(403);
    const wrong = await postJson('/notices', tokens.reviewer, notice('KG'));
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/was sent by KZ: only its originating authority/);
    const ok = await postJson('/notices', tokens.reviewer, notice('KZ'));
    const recorded = (await ok.json()) as { recorded: { carrierId: string; due: string }[] };
    expect(ok.status, JSON.stringify(recorded)).toBe(201);
    expect(recorded.recorded).toEqual([{ carrierId: stamped, created: true, due: addDays(localDay(), 30) }]);
    const list = (await (await call('/notices', tokens.clerk)).json()) as { items: { carrierId: string; daysLeft: number; overdue: boolean; change: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ carrierId: stamped, daysLeft: 30, overdue: false, change: 'secret' })]);
    const late = (await (await call(`/notices?today=${addDays(localDay(), 31)}`, tokens.clerk)).json()) as { items: { daysLeft: number; overdue: boolean }[] };
    expect(late.items[0]).toMatchObject({ daysLeft: -1, overdue: true });
    const metrics = await (await call('/metrics', TOKEN)).text();
    expect(metrics).toMatch(/^grif_notices_overdue 0$/m);
  });

  it('re-marking from the reviewer: the PDF served is the re-marked one, the notice carried out', async () => {
    expect((await postJson(`/carriers/${stamped}/remark`, tokens.clerk, {})).status).toBe(403);
    const r = await postJson(`/carriers/${stamped}/remark`, tokens.reviewer, {});
    const body = (await r.json()) as { change: string; struck: number; outputSha256: string; links: { pdf: string } };
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ change: 'secret' });
    expect(body.struck).toBeGreaterThanOrEqual(2);
    const pdf = Buffer.from(await (await call(body.links.pdf, tokens.clerk)).arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(body.outputSha256);
    expect(((await (await call('/notices', tokens.clerk)).json()) as { items: unknown[] }).items).toEqual([]);
    const status = (await (await call(`/carriers/${stamped}`, tokens.clerk)).json()) as { stage: string };
    expect(status.stage).toBe('stamped');
    // Nothing to carry out any more.
    expect((await postJson(`/carriers/${stamped}/remark`, tokens.reviewer, {})).status).toBe(409);
  }, 180_000);
});
