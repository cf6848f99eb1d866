// The HTTP intake against a real redis-server, a SQLite register and the stage workers: carriers
// uploaded over HTTP really go through extract → decide → stamp.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_3, rank, type Level } from '../../src/core/index.js';
import { GrifError } from '../../src/errors.js';
import { attachment } from '../../src/http/carriers.js';
import { startHttp, tokenFromEnv, type HttpServer } from '../../src/http/server.js';
import { loadRef, type IntakeContext } from '../../src/service/intake.js';
import { resultWritten } from '../../src/service/outcome-files.js';
import { createMetrics } from '../../src/service/metrics.js';
import type { StageQueues } from '../../src/service/queues.js';
import type { ReviewItem } from '../../src/service/review.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

const TOKEN = 'test-token-0123456789abcdef';
const FINAL = ['stamped', 'unmarked', 'review', 'rejected'];

interface Status {
  carrierId: string;
  name: string;
  stage: string;
  level: string | null;
  detail: string | null;
  downloads: { pdf?: string; receipt?: string };
}

let parts: HttpTestParts;
let queues: StageQueues;
let http: HttpServer;
let small: HttpServer;
let intake: IntakeContext;

const auth = (token = TOKEN): Record<string, string> => ({ authorization: `Bearer ${token}` });

function get(path: string, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(`${http.url}${path}`, { headers });
}

async function upload(file: string, fields: Record<string, string>, server: HttpServer = http, name = file): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([await readFile(join(FIXTURES, file))]), name);
  return fetch(`${server.url}/carriers`, { method: 'POST', headers: auth(), body: form });
}

async function untilFinal(id: string, timeoutMs = 60_000): Promise<Status> {
  const t0 = Date.now();
  for (;;) {
    const s = (await (await get(`/carriers/${id}`)).json()) as Status;
    if (FINAL.includes(s.stage)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${id} still ${s.stage} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-http-' });
  ({ queues, intake } = parts);
  const { metrics } = parts;
  http = await startHttp({ intake, metrics, queues }, { host: '127.0.0.1', port: 0, token: TOKEN, maxUploadBytes: 64 * 1024 * 1024 });
  small = await startHttp({ intake, metrics, queues }, { host: '127.0.0.1', port: 0, token: TOKEN, maxUploadBytes: 1024 });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await small?.close();
  await parts?.stop();
}, 60_000);

describe('tokens', () => {
  it('takes GRIF_TOKEN, else generates one', () => {
    expect(tokenFromEnv({ GRIF_TOKEN: ' abcdefghijklmnopq ' })).toEqual({ token: 'abcdefghijklmnopq', generated: false });
    const g = tokenFromEnv({});
    expect(g.generated).toBe(true);
    expect(g.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to start with a short token', async () => {
    await expect(startHttp({ intake: {} as IntakeContext, metrics: createMetrics(), queues }, { host: '127.0.0.1', port: 0, token: 'short', maxUploadBytes: 1 })).rejects.toThrow(
      GrifError,
    );
  });
});

describe('authentication', () => {
  it('answers /livez without a token, and says nothing else', async () => {
    const r = await fetch(`${http.url}/livez`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it('answers 401 without a token, or with a wrong one', async () => {
    for (const headers of [{}, auth('test-token-0123456789abcdeX'), auth('x'), { authorization: TOKEN }]) {
      for (const path of ['/review', '/register', '/metrics', '/openapi.json', '/queues', '/carriers/0123456789abcdef0123456789abcdef-KZ-KG', '/nowhere']) {
        const r = await get(path, headers);
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(((await r.json()) as { error: string }).error).toMatch(/token/);
      }
    }
    const r = await fetch(`${http.url}/carriers`, { method: 'POST', body: new FormData() });
    expect(r.status).toBe(401);
    // The query-string token opens the dashboard only.
    expect((await get(`/review?token=${TOKEN}`, {})).status).toBe(401);
  });

  it('opens the dashboard with ?token= once, then with the cookie', async () => {
    const r = await get(`/queues?token=${encodeURIComponent(TOKEN)}`, {});
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    const html = await r.text();
    expect(html).toMatch(/<html/i);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^grif_token=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const jar = cookie.split(';')[0]!;
    const api = await get('/queues/api/queues', { cookie: jar });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['grif-decide', 'grif-extract', 'grif-stamp']);
    // The page's own assets load with the cookie too.
    expect(html).toContain('<base href="/queues/"');
    const script = /src="(static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = `/queues/${script!}`;
    expect((await get(asset!, { cookie: jar })).status).toBe(200);
    expect((await get(asset!, {})).status).toBe(401);
    expect((await get('/queues?token=wrong-token-0123456789', {})).status).toBe(401);
    expect((await get('/review', { cookie: 'grif_token=wrong-token-0123456789' })).status).toBe(401);
  });
});

describe('carriers', () => {
  let stampedId: string;

  it('stamps an uploaded carrier; the PDF and the receipt can be downloaded', async () => {
    const r = await upload('digital-ru-secret.pdf', { from: 'KZ' });
    expect(r.status).toBe(202);
    const a = (await r.json()) as { carrierId: string; status: string; links: { self: string } };
    expect(a.status).toBe('queued');
    expect(a.carrierId).toMatch(/^[0-9a-f]{32}-KZ-KG$/);
    expect(a.links.self).toBe(`/carriers/${a.carrierId}`);
    stampedId = a.carrierId;

    const s = await untilFinal(a.carrierId);
    expect(s).toMatchObject({ stage: 'stamped', name: 'digital-ru-secret.pdf', level: 'secret' });
    expect(s.downloads).toEqual({ pdf: `/carriers/${a.carrierId}/pdf`, receipt: `/carriers/${a.carrierId}/receipt` });

    const pdf = await get(s.downloads.pdf!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="digital-ru-secret\.pdf\.[0-9a-f]{8}-KZ-KG\.stamped\.pdf"/);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const receipt = (await (await get(s.downloads.receipt!)).json()) as { status: string; carrierId: string; level: string };
    expect(receipt).toMatchObject({ status: 'stamped', carrierId: a.carrierId, level: 'secret' });
  }, 60_000);

  it('answers "duplicate" for the same carrier uploaded again', async () => {
    const r = await upload('digital-ru-secret.pdf', { from: 'kz', to: 'KG' }, http, 'again.pdf');
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ carrierId: stampedId, status: 'duplicate', firstName: 'digital-ru-secret.pdf' });
  });

  it('hands an unmarked carrier back unchanged', async () => {
    // The fields may come after the file.
    const form = new FormData();
    form.append('file', new Blob([await readFile(join(FIXTURES, 'digital-unmarked-ru.pdf'))]), 'digital-unmarked-ru.pdf');
    form.append('from', 'KG');
    const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth(), body: form });
    expect(r.status).toBe(202);
    const a = (await r.json()) as { carrierId: string };
    expect(a.carrierId).toMatch(/-KG-KZ$/);
    const s = await untilFinal(a.carrierId);
    expect(s.stage).toBe('unmarked');
    const pdf = Buffer.from(await (await get(s.downloads.pdf!)).arrayBuffer());
    expect(pdf.equals(await readFile(join(FIXTURES, 'digital-unmarked-ru.pdf')))).toBe(true);
    expect(((await (await get(s.downloads.receipt!)).json()) as { status: string }).status).toBe('unmarked');
  }, 60_000);

  it('refuses an oversize carrier with 413, a text file with 415, bad fields with 400', async () => {
    const big = await upload('digital-ru-secret.pdf', { from: 'KZ' }, small);
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toMatch(/larger than the limit of 1024 bytes/);

    const form = new FormData();
    form.append('from', 'KZ');
    form.append('file', new Blob(['СЕКРЕТНО\nтекст']), 'note.txt');
    const txt = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth(), body: form });
    expect(txt.status).toBe(415);
    expect(((await txt.json()) as { error: string }).error).toMatch(/note\.txt: grif stamps PDF and image carriers.*\.txt cannot take a stamp/);

    const noParty = await upload('digital-ru-secret.pdf', {});
    expect(noParty.status).toBe(400);
    expect(((await noParty.json()) as { error: string }).error).toMatch(/"from" must be KZ or KG/);
    const badParty = await upload('digital-ru-secret.pdf', { from: 'RU' });
    expect(badParty.status).toBe(400);
    const same = await upload('digital-ru-secret.pdf', { from: 'KZ', to: 'KZ' });
    expect(same.status).toBe(400);
    const badSource = await upload('digital-ru-secret.pdf', { from: 'KZ', derivedFrom: '../../etc/passwd' });
    expect(badSource.status).toBe(400);

    const noFile = new FormData();
    noFile.append('from', 'KZ');
    const nf = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth(), body: noFile });
    expect(nf.status).toBe(400);
    expect(((await nf.json()) as { error: string }).error).toMatch(/field "file"/);

    const json = await fetch(`${http.url}/carriers`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await get('/carriers/..%2F..%2Fetc')).status).toBe(400);
    expect((await get('/carriers/0123456789abcdef0123456789abcdef-KZ-KZ')).status).toBe(400);
    const unknown = '0123456789abcdef0123456789abcdef-KZ-KG';
    for (const p of ['', '/pdf', '/receipt']) expect((await get(`/carriers/${unknown}${p}`)).status).toBe(404);
  });
});

describe('review', () => {
  it('lists a conflicting scan, refuses a level below the evidence, then stamps at a proper one', async () => {
    const r = await upload('conflict-kk-ru.pdf', { from: 'KZ' });
    const { carrierId } = (await r.json()) as { carrierId: string };
    const s = await untilFinal(carrierId);
    expect(s.stage).toBe('review');
    expect((await get(`/carriers/${carrierId}/pdf`)).status).toBe(404);

    const { items } = (await (await get('/review')).json()) as { items: ReviewItem[] };
    const item = items.find((i) => i.carrierId === carrierId);
    expect(item).toMatchObject({ name: 'conflict-kk-ru.pdf', verdict: 'conflict' });
    const minLevel = item!.minLevel!;
    expect(minLevel).not.toBeNull();
    const below = ARTICLE_3.map((row) => row.id).find((l: Level) => rank(l) < rank(minLevel));
    expect(below, `a level below ${minLevel}`).toBeDefined();

    const decide = (body: unknown) =>
      fetch(`${http.url}/review/${carrierId}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const low = await decide({ level: below, reference: 'No. 17/2024', decidedBy: 'A. Clerk' });
    expect(low.status).toBe(422);
    expect(((await low.json()) as { error: string }).error).toMatch(/conflict-kk-ru\.pdf/);
    expect((await decide({ level: minLevel, reference: ' ', decidedBy: 'A. Clerk' })).status).toBe(400);
    expect((await decide({ level: 'confidential', reference: 'No. 17/2024', decidedBy: 'A. Clerk' })).status).toBe(400);
    expect((await decide({ level: minLevel, reference: 'No. 17/2024', decidedBy: 'A. Clerk' })).status).toBe(202);
    // Decided once: a second decision is a conflict.
    expect((await decide({ reject: true, reference: 'No. 18/2024', decidedBy: 'A. Clerk' })).status).toBe(409);

    const done = await untilFinal(carrierId);
    expect(done).toMatchObject({ stage: 'stamped', level: minLevel });
    const pdf = Buffer.from(await (await get(done.downloads.pdf!)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const receipt = (await (await get(done.downloads.receipt!)).json()) as { status: string; decidedBy: string; reference: string };
    expect(receipt).toMatchObject({ status: 'stamped', decidedBy: 'A. Clerk', reference: 'No. 17/2024' });
    const after = (await (await get('/review')).json()) as { items: ReviewItem[] };
    expect(after.items.some((i) => i.carrierId === carrierId)).toBe(false);

    expect((await decide({ level: minLevel, reference: 'x', decidedBy: 'y' })).status).toBe(409);
    const unknown = await fetch(`${http.url}/review/0123456789abcdef0123456789abcdef-KZ-KG`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ reject: true, reference: 'x', decidedBy: 'y' }),
    });
    expect(unknown.status).toBe(404);
  }, 90_000);
});

describe('retry', () => {
  it('a rejected carrier is taken again (reason required, recorded in the register); a stamped one cannot be', async () => {
    const r = await upload('encrypted.pdf', { from: 'KZ' });
    const { carrierId } = (await r.json()) as { carrierId: string };
    const first = (await untilFinal(carrierId)) as Status & { links: { retry?: string }; errorCode?: string };
    expect(first).toMatchObject({ stage: 'rejected', errorCode: 'input/encrypted', links: { retry: `/carriers/${carrierId}/retry` } });
    const post = (body: unknown, id = carrierId) =>
      fetch(`${http.url}/carriers/${id}/retry`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ by: 'A. Admin' })).status).toBe(400);
    const ok = await post({ by: 'A. Admin', reason: 'the sender says the password is gone now' });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ status: 'queued', round: 1, carrierId });
    // Still encrypted: rejected again, in its second round, and its rejection notice is the new one.
    await waitFor(async () => ((await parts.register.carrier(carrierId))?.events.filter((e) => e.kind === 'rejected').length ?? 0) === 2);
    const events = (await parts.register.carrier(carrierId))!.events.map((e) => e.kind);
    expect(events.filter((k) => k !== 'duplicate')).toEqual(['registered', 'rejected', 'retried', 'rejected']);
    expect((await untilFinal(carrierId)).stage).toBe('rejected');

    const stamped = (await (await get('/register?search=digital-ru-secret')).json()) as { entries: { id: string; status: string }[] };
    const done = stamped.entries.find((e) => e.status === 'stamped')!;
    const refused = await post({ by: 'A. Admin', reason: 'why not' }, done.id);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/is stamped since .*only a parked or rejected carrier/);
    expect((await post({ reason: 'x', by: 'y' }, '0123456789abcdef0123456789abcdef-KZ-KG')).status).toBe(404);
  }, 60_000);
});

describe('decisions at once', () => {
  it('ten decisions sent at once for one carrier (five to stamp, five to reject): one is taken, nine answer 409 naming it; the carrier ends in one folder, as the register says', async () => {
    const r = await upload('conflict-kk-ru.pdf', { from: 'KG' });
    const { carrierId } = (await r.json()) as { carrierId: string };
    expect((await untilFinal(carrierId)).stage).toBe('review');
    const { items } = (await (await get('/review')).json()) as { items: ReviewItem[] };
    const level = items.find((i) => i.carrierId === carrierId)!.minLevel!;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fetch(`${http.url}/review/${carrierId}`, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/json' },
          body: JSON.stringify(i % 2 ? { reject: true, reference: `No. ${i}`, decidedBy: `Clerk ${i}` } : { level, reference: `No. ${i}`, decidedBy: `Clerk ${i}` }),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((x) => x === 202 || x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(9);
    const winner = answers.findIndex((a) => a.status < 300);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(((await a.json()) as { error: string }).error).toMatch(new RegExp(`already decided by Clerk ${winner} at `));
    }
    const final = await untilFinal(carrierId);
    expect(final.stage).toBe(winner % 2 ? 'rejected' : 'stamped');
    // The register: one decision, one outcome; the folders: the carrier in exactly one of them.
    const entry = (await parts.register.carrier(carrierId))!;
    expect(entry.events.filter((e) => e.kind === 'decision')).toHaveLength(1);
    expect(entry.events.filter((e) => e.kind === 'stamped' || e.kind === 'rejected')).toHaveLength(1);
    const ref = (await loadRef(parts.dir, carrierId))!;
    const folders = async () => ({ outbox: await resultWritten(parts.dir, ref, 'outbox'), rejected: await resultWritten(parts.dir, ref, 'rejected'), review: await resultWritten(parts.dir, ref, 'review') });
    const want = { outbox: winner % 2 === 0, rejected: winner % 2 === 1, review: false };
    // The folders follow the register: published just after the commit.
    await waitFor(async () => JSON.stringify(await folders()) === JSON.stringify(want), 10_000);
    expect(await folders()).toEqual(want);
    expect((await parts.register.verify()).ok).toBe(true);
  }, 120_000);
});

describe('register, metrics, OpenAPI', () => {
  it('lists and exports the register', async () => {
    const all = (await (await get('/register')).json()) as { entries: { id: string; name: string; events: { kind: string }[] }[] };
    // The conflicting scan twice: from KZ (decided in 'review'), from KG (the ten decisions at once).
    expect(all.entries.map((e) => e.name).sort()).toEqual(['conflict-kk-ru.pdf', 'conflict-kk-ru.pdf', 'digital-ru-secret.pdf', 'digital-unmarked-ru.pdf', 'encrypted.pdf']);
    const found = (await (await get('/register?search=unmarked&limit=5')).json()) as { entries: { name: string }[] };
    expect(found.entries.map((e) => e.name)).toEqual(['digital-unmarked-ru.pdf']);
    expect((await get('/register?limit=-1')).status).toBe(400);

    // A level by its name in any language and case, and a carrier's own entry by its id.
    for (const q of ['СЕКРЕТНО', 'жашыруун', 'Құпия', 'secret']) {
      const byLevel = (await (await get(`/register?search=${encodeURIComponent(q)}`)).json()) as { entries: { name: string; events: { level: string | null }[] }[]; total: number };
      expect(byLevel.entries.map((e) => e.name), q).toContain('digital-ru-secret.pdf');
      expect(byLevel.entries.every((e) => e.events.some((ev) => ev.level === 'secret')), q).toBe(true);
      expect(byLevel.total).toBe(byLevel.entries.length);
    }
    const one = all.entries.find((e) => e.name === 'digital-ru-secret.pdf')!;
    const entry = (await (await get(`/register/${one.id}`)).json()) as { id: string; name: string; events: { kind: string }[] };
    expect(entry).toMatchObject({ id: one.id, name: 'digital-ru-secret.pdf' });
    expect(entry.events.map((e) => e.kind)).toContain('stamped');
    expect((await get(`/register/${'0'.repeat(32)}-KZ-KG`)).status).toBe(404);
    expect((await get('/register/not-an-id')).status).toBe(400);

    const csv = await get('/register.csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for spreadsheets
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^incoming,id,receivedAt,name,from,to/);
    expect(lines).toHaveLength(6);
    expect(lines.some((l) => l.includes('digital-ru-secret.pdf') && l.includes(',stamped,secret,'))).toBe(true);
  });

  it('serves Prometheus metrics with the queue depth', async () => {
    const r = await get('/metrics');
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toMatch(/^grif_carriers_total\{outcome="stamped"\} 2$/m);
    expect(text).toMatch(/^grif_queue_jobs\{queue="grif-extract",state="completed"\} \d+$/m);
  });

  it('describes its routes in OpenAPI 3.1', async () => {
    const doc = (await (await get('/openapi.json')).json()) as { openapi: string; paths: Record<string, object>; components: { securitySchemes: Record<string, { scheme?: string }> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/', '/carriers', '/carriers/{id}', '/carriers/{id}/copies', '/carriers/{id}/copies/{number}', '/carriers/{id}/pdf', '/carriers/{id}/preview/original.png', '/carriers/{id}/preview/stamped.png', '/carriers/{id}/receipt', '/carriers/{id}/remark', '/carriers/{id}/retry', '/destructions', '/destructions/{act}/pdf', '/inventory', '/livez', '/me', '/metrics', '/notices', '/openapi.json', '/outgoing/{year}/{seq}', '/queues', '/readyz', '/register', '/register.csv', '/register/{id}', '/returns', '/review', '/review/{id}', '/transfers', '/transfers/{ref}/confirmation'].sort(),
    );
    expect(doc.components.securitySchemes['bearer']?.scheme).toBe('bearer');
  });

  it('answers 500 "internal error" for its own failures, and logs them without the token or the upload', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const broken = Object.assign(Object.create(intake.register) as IntakeContext["register"], {
      list: () => Promise.reject(new Error('disk on fire')),
    });
    const server = await startHttp({ intake: { ...intake, log, register: broken }, metrics: createMetrics(), queues }, { host: '127.0.0.1', port: 0, token: TOKEN, maxUploadBytes: 1024 });
    try {
      const r = await fetch(`${server.url}/register`, { headers: auth() });
      expect(r.status).toBe(500);
      expect(await r.json()).toEqual({ error: 'internal error' });
      expect((await fetch(`${server.url}/queues?token=${TOKEN}`)).status).toBe(200);
      const form = new FormData();
      form.append('from', 'KZ');
      form.append('file', new Blob(['%PDF-1.7 uploaded-secret-content' + ' '.repeat(2000)]), 'x.pdf');
      expect((await fetch(`${server.url}/carriers`, { method: 'POST', headers: auth(), body: form })).status).toBe(413);
    } finally {
      await server.close();
    }
    const all = lines.join('');
    expect(all).toMatch(/disk on fire/);
    expect(all).toMatch(/token=\[withheld\]/);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('uploaded-secret-content');
  });

  it('names downloads safely', () => {
    expect(attachment('отчёт "1".pdf')).toBe(`attachment; filename="_______1_.pdf"; filename*=UTF-8''${encodeURIComponent('отчёт "1".pdf')}`);
  });
});
