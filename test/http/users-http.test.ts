// Users' own tokens over HTTP, against a real redis-server, a SQLite register and the stage
// workers: a user's token signs in as them, and their review decisions are recorded in the
// register under their name, whatever the body says.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../../src/http/server.js';
import { addUser, removeUser, usersFileOf } from '../../src/http/users.js';
import type { Register } from '../../src/register/register.js';
import type { IntakeContext } from '../../src/service/intake.js';
import type { StageQueues } from '../../src/service/queues.js';
import type { ReviewItem } from '../../src/service/review.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

const TOKEN = 'service-token-0123456789abcdef';
const CLERK = 'А. Клерк';
const REVIEWER = 'Б. Проверяющая';
const FINAL = ['stamped', 'unmarked', 'review', 'rejected'];

let parts: HttpTestParts;
let usersFile: string;
let register: Register;
let queues: StageQueues;
let http: HttpServer;
let intake: IntakeContext;
let clerkToken: string;
let reviewerToken: string;
const logLines: string[] = [];

const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const get = (path: string, token: string): Promise<Response> => fetch(`${http.url}${path}`, { headers: auth(token) });
/** The status alone, the body read (so that no connection is left half-read). */
const statusOf = async (r: Response | Promise<Response>): Promise<number> => {
  const res = await r;
  await res.arrayBuffer();
  return res.status;
};
const decide = (id: string, token: string, body: unknown): Promise<Response> =>
  fetch(`${http.url}/review/${id}`, { method: 'POST', headers: { ...auth(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function upload(file: string, from: 'KZ' | 'KG', token: string): Promise<string> {
  const form = new FormData();
  form.append('from', from);
  form.append('file', new Blob([await readFile(join(FIXTURES, file))]), file);
  const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth(token), body: form });
  expect(r.status).toBe(202);
  return ((await r.json()) as { carrierId: string }).carrierId;
}

async function untilFinal(id: string, timeoutMs = 90_000): Promise<{ stage: string; downloads: { receipt?: string } }> {
  const t0 = Date.now();
  for (;;) {
    const s = (await (await get(`/carriers/${id}`, TOKEN)).json()) as { stage: string; downloads: { receipt?: string } };
    if (FINAL.includes(s.stage)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${id} still ${s.stage} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function decisionsOf(id: string): Promise<{ decidedBy: string; reference: string | null; level: string | null }[]> {
  const entry = await register.carrier(id);
  return (entry?.events ?? []).filter((e) => e.kind === 'decision').map((e) => ({ decidedBy: e.decidedBy, reference: e.reference, level: e.level }));
}

beforeAll(async () => {
  const log = pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) });
  parts = await startHttpTestParts({ prefix: 'grif-http-users-', log, extractConcurrency: 2 });
  ({ register, queues, intake } = parts);
  usersFile = usersFileOf(parts.dir.root);
  clerkToken = (await addUser(usersFile, CLERK, 'reviewer')).token;
  http = await startHttp({ intake, metrics: parts.metrics, queues }, { host: '127.0.0.1', port: 0, token: TOKEN, maxUploadBytes: 64 * 1024 * 1024, usersFile });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await parts?.stop();
}, 60_000);

describe('users\' own tokens', () => {
  it('sign in as their user; /me says who the token is, its role and what it may do', async () => {
    expect(await (await get('/me', clerkToken)).json()).toEqual({ name: CLERK, kind: 'user', role: 'reviewer', may: { review: true, retry: false, dashboard: false, metrics: false, notices: true, disposal: true } });
    expect(await (await get('/me', TOKEN)).json()).toEqual({ name: null, kind: 'service', role: 'admin', may: { review: true, retry: true, dashboard: true, metrics: true, notices: true, disposal: true } });
    for (const token of ['', 'not-a-token-0123456789abcdef', clerkToken.slice(0, -1)]) {
      expect(await statusOf(fetch(`${http.url}/me`, { headers: token ? auth(token) : {} })), token).toBe(401);
    }
    for (const path of ['/review', '/register', '/openapi.json']) expect(await statusOf(get(path, clerkToken)), path).toBe(200);
    // A reviewer is no admin: the metrics and the queue dashboard are not theirs.
    expect(await statusOf(get('/metrics', clerkToken))).toBe(403);
    expect(await statusOf(fetch(`${http.url}/queues?token=${encodeURIComponent(clerkToken)}`))).toBe(403);
    // An admin's ?token= opens the dashboard; its cookie is good for the dashboard alone.
    const admin = (await addUser(usersFile, 'Д. Админ', 'admin')).token;
    const dash = await fetch(`${http.url}/queues?token=${encodeURIComponent(admin)}`);
    expect(dash.status).toBe(200);
    expect(await dash.text()).toMatch(/<html/i);
    const jar = (dash.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(await statusOf(fetch(`${http.url}/queues`, { headers: { cookie: jar } }))).toBe(200);
    expect(await statusOf(fetch(`${http.url}/me`, { headers: { cookie: jar } }))).toBe(401);
    await removeUser(usersFile, 'Д. Админ');
  });

  it('work for a user added while the service runs, and stop for one removed', async () => {
    const late = await addUser(usersFile, REVIEWER, 'reviewer');
    reviewerToken = late.token;
    expect(await (await get('/me', reviewerToken)).json()).toMatchObject({ name: REVIEWER, kind: 'user', role: 'reviewer' });
    const temp = await addUser(usersFile, 'В. Временный');
    expect(await statusOf(get('/register', temp.token))).toBe(200);
    // Added without a role: a clerk, who may not open the review queue.
    expect(await statusOf(get('/review', temp.token))).toBe(403);
    await removeUser(usersFile, 'В. Временный');
    for (const path of ['/me', '/review', '/register']) {
      const r = await get(path, temp.token);
      expect(r.status, path).toBe(401);
      expect(((await r.json()) as { error: string }).error).toMatch(/token/);
    }
    expect(await statusOf(get('/me', reviewerToken))).toBe(200);
  });
});

describe('review decisions with a user\'s own token', () => {
  let byClerk: string;
  let byReviewer: string;

  beforeAll(async () => {
    // The same conflicting scan sent both ways: two carriers, both held for review.
    [byClerk, byReviewer] = await Promise.all([upload('conflict-kk-ru.pdf', 'KZ', clerkToken), upload('conflict-kk-ru.pdf', 'KG', reviewerToken)]);
    const [a, b] = await Promise.all([untilFinal(byClerk), untilFinal(byReviewer)]);
    expect([a.stage, b.stage]).toEqual(['review', 'review']);
  }, 120_000);

  it('records the user as who decided, and refuses a decidedBy naming anyone else with 403', async () => {
    const { items } = (await (await get('/review', clerkToken)).json()) as { items: ReviewItem[] };
    const level = items.find((i) => i.carrierId === byClerk)!.minLevel!;
    expect(level).not.toBeNull();

    const other = await decide(byClerk, clerkToken, { level, reference: 'No. 17/2024', decidedBy: 'Г. Начальник' });
    expect(other.status).toBe(403);
    const said = (await other.json()) as { error: string; code: string };
    expect(said.code).toBe('http/forbidden');
    expect(said.error).toContain(`this token is ${CLERK}'s`);
    expect(said.error).toMatch(/"decidedBy" must be "А\. Клерк" or left out/);
    expect(await statusOf(decide(byClerk, clerkToken, { level, reference: 'No. 17/2024', decidedBy: 42 }))).toBe(403);
    // The service's token still needs the name in the body.
    const unnamed = await decide(byClerk, TOKEN, { level, reference: 'No. 17/2024' });
    expect(unnamed.status).toBe(400);
    expect(((await unnamed.json()) as { error: string }).error).toMatch(/with the service's token, say who does it: "decidedBy"/);
    // Nothing was recorded by the refusals.
    expect(await decisionsOf(byClerk)).toEqual([]);

    // Left out: the token's holder is recorded.
    expect(await statusOf(decide(byClerk, clerkToken, { level, reference: 'No. 17/2024' }))).toBe(202);
    expect(await decisionsOf(byClerk)).toEqual([{ decidedBy: CLERK, reference: 'No. 17/2024', level }]);

    const done = await untilFinal(byClerk);
    expect(done.stage).toBe('stamped');
    const receipt = (await (await get(done.downloads.receipt!, TOKEN)).json()) as { decidedBy: string };
    expect(receipt.decidedBy).toBe(CLERK);
    const found = (await (await get(`/register?search=${encodeURIComponent('Клерк')}`, TOKEN)).json()) as { entries: { id: string }[] };
    expect(found.entries.map((e) => e.id)).toEqual([byClerk]);
    expect(logLines.join('')).toMatch(/"decidedBy":"А\. Клерк","by":"user","msg":"review decided"/);
  }, 90_000);

  it('takes the user\'s own name in decidedBy (spacing aside); a rejection is recorded under it too', async () => {
    const r = await decide(byReviewer, reviewerToken, { reject: true, reference: 'No. 18/2024', decidedBy: '  Б.  Проверяющая ' });
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ status: 'rejected', carrierId: byReviewer });
    expect(await decisionsOf(byReviewer)).toEqual([{ decidedBy: REVIEWER, reference: 'No. 18/2024', level: null }]);
    const done = await untilFinal(byReviewer);
    expect(done.stage).toBe('rejected');
    const error = (await (await get(done.downloads.receipt!, TOKEN)).json()) as { error: string };
    expect(error.error).toMatch(/rejected in review by Б\. Проверяющая \(No\. 18\/2024\)/);
  }, 60_000);
});
