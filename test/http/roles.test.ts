// Who may do what, route by route (src/http/roles.ts), and what no one may: credentials from a
// cookie outside the read-only dashboard, requests from another site's page, changes through the
// dashboard. Against a real redis-server, SQLite register and stage workers.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, ROUTE_ROLES, type Role } from '../../src/http/roles.js';
import { startHttp, type HttpServer } from '../../src/http/server.js';
import { addUser, usersFileOf } from '../../src/http/users.js';
import { silentLogger } from '../../src/service/log.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

const TOKEN = 'service-token-roles-0123456789';
const SOME_ID = `${'ab'.repeat(16)}-KZ-KG`;

let parts: HttpTestParts;
let http: HttpServer;
const tokens: Record<Role, string> = { clerk: '', reviewer: '', admin: '' };

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-http-roles-' });
  const usersFile = usersFileOf(parts.dir.root);
  for (const role of ROLES) tokens[role] = (await addUser(usersFile, `${role} user`, role)).token;
  // As the service runs it: with an extraction session for re-marking.
  const stage = { dir: parts.dir, register: parts.register, extract: parts.session, log: silentLogger(), agent: 'grif test' };
  http = await startHttp({ intake: parts.intake, metrics: parts.metrics, queues: parts.queues, stage }, { host: '127.0.0.1', port: 0, token: TOKEN, usersFile });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await parts?.stop();
}, 60_000);

/** A request for a route of the table, with a placeholder id; the body is only as valid as needed to get past the door. */
function request(key: string, token: string): Promise<Response> {
  const [method, pattern] = key.split(' ') as [string, string];
  // The dashboard's own routes: a read, and one action of each method (pause all, add a job, edit a schedule).
  const dashboard: Record<string, string> = { GET: '/queues/api/queues', PUT: '/queues/api/queues/pause', POST: '/queues/api/queues/grif-extract/add', PATCH: '/queues/api/queues/grif-extract/job-schedulers/x' };
  const path = pattern === '/queues/*' ? dashboard[method]! : pattern.replace(':id', SOME_ID);
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
  if (method === 'POST') {
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
    init.body = '{}';
  }
  return fetch(`${http.url}${path}`, init);
}

describe('roles, route by route', () => {
  for (const [key, allowed] of Object.entries(ROUTE_ROLES)) {
    it(`${key}: ${allowed.join(', ') || 'no one'}`, async () => {
      for (const role of ROLES) {
        const r = await request(key, tokens[role]);
        const body = await r.text();
        if (allowed.includes(role)) expect([401, 403], `${key} as ${role}: ${body}`).not.toContain(r.status);
        else {
          expect(r.status, `${key} as ${role}`).toBe(403);
          expect(JSON.parse(body)).toMatchObject({ code: 'http/forbidden' });
          expect(JSON.parse(body).error).toContain(allowed.length ? `is a ${role}` : 'the queue dashboard is read-only');
        }
      }
      // The service's token is an admin's.
      const service = (await request(key, TOKEN)).status;
      if (allowed.includes('admin')) expect([401, 403]).not.toContain(service);
      else expect(service).toBe(403);
    });
  }

  it('/livez and /readyz answer without a token; /healthz is gone', async () => {
    expect((await fetch(`${http.url}/livez`)).status).toBe(200);
    const ready = await fetch(`${http.url}/readyz`);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks.redis!.ok).toBe(true);
    expect(body.checks.register!.ok).toBe(true);
    expect(body.checks.store!.ok).toBe(true);
    expect(body.checks.workers).toMatchObject({ ok: true, detail: 'extract: 1, decide: 1, stamp: 1' });
    expect(ready.status).toBe(200);
    expect((await fetch(`${http.url}/healthz`)).status).toBe(401);
  });
});

describe('no ambient credentials', () => {
  const form = (): FormData => {
    const f = new FormData();
    f.set('from', 'KZ');
    f.set('file', new Blob(['%PDF-1.4\n'], { type: 'application/pdf' }), 'x.pdf');
    return f;
  };

  it('a cookie is no credential for anything but reading the dashboard', async () => {
    const cookie = `grif_token=${encodeURIComponent(TOKEN)}`;
    for (const origin of [undefined, 'http://evil.example', http.url]) {
      const headers: Record<string, string> = { cookie, ...(origin ? { origin } : {}) };
      const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers, body: form() });
      expect([401, 403], String(origin)).toContain(r.status);
      expect((await fetch(`${http.url}/register`, { headers: { cookie } })).status).toBe(401);
    }
    expect(await parts.register.count()).toEqual({ carriers: 0, events: 0 });
    // Reading the dashboard with it: from its own pages, yes; from another site's, no.
    expect((await fetch(`${http.url}/queues`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await fetch(`${http.url}/queues`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status).toBe(401);
  });

  it('a request from a page of another site is refused even with a valid token', async () => {
    const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, origin: 'http://127.0.0.1:1' }, body: form() });
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ code: 'http/cross-origin' });
    const read = await fetch(`${http.url}/register`, { headers: { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(read.status).toBe(403);
    // No CORS header: a browser would not let another site's script read any answer.
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the queue dashboard', () => {
  it('is read-only: an admin cannot clean, retry, pause or add through it', async () => {
    const admin = { authorization: `Bearer ${TOKEN}` };
    for (const [method, path] of [
      ['PUT', '/queues/api/queues/grif-extract/clean/completed'],
      ['PUT', '/queues/api/queues/grif-extract/retry/failed'],
      ['PUT', '/queues/api/queues/grif-extract/pause'],
      ['POST', '/queues/api/queues/grif-extract/add'],
      ['PATCH', '/queues/api/queues/grif-extract/job-schedulers/x'],
    ] as const) {
      const r = await fetch(`${http.url}${path}`, { method, headers: admin });
      expect(r.status, `${method} ${path}`).toBe(403);
    }
    const queues = (await (await fetch(`${http.url}/queues/api/queues`, { headers: admin })).json()) as { queues: { readOnlyMode: boolean }[] };
    expect(queues.queues.map((q) => q.readOnlyMode)).toEqual([true, true, true]);
  });

  it('fetches nothing from elsewhere', async () => {
    const page = await fetch(`${http.url}/queues`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    expect(html).not.toMatch(/(src|href)="https?:\/\//i);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});

describe('malformed requests', () => {
  const post = (headers: Record<string, string>, body: string | Uint8Array) =>
    fetch(`${http.url}/carriers`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...headers }, body });

  it('a multipart body without a boundary, or cut short, is a 400 that says so, never a 500', async () => {
    const noBoundary = await post({ 'content-type': 'multipart/form-data' }, 'x');
    expect(noBoundary.status).toBe(400);
    expect(((await noBoundary.json()) as { error: string }).error).toMatch(/multipart|boundary/i);
    const cut = await post({ 'content-type': 'multipart/form-data; boundary=XYZ' }, '--XYZ\r\nContent-Disposition: form-data; name="from"\r\n\r\nKZ\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 half');
    expect(cut.status).toBe(400);
    const json = await post({ 'content-type': 'application/json' }, '{"from": "KZ"');
    expect(json.status).toBe(400);
  });

  it('a file name with a line break (which breaks the part\'s headers) is answered with what went wrong, not a bare "no carrier"', async () => {
    const body = [
      '--XYZ\r\nContent-Disposition: form-data; name="from"\r\n\r\nKZ\r\n',
      '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a\nb.pdf"\r\nContent-Type: application/pdf\r\n\r\nnot a pdf at all\r\n',
      '--XYZ--\r\n',
    ].join('');
    const r = await post({ 'content-type': 'multipart/form-data; boundary=XYZ' }, body);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/line break .*rename the file/);
  });
});

describe('honest health', () => {
  it('/readyz says 503 naming Redis while Redis does not answer, and 200 again once it does; /livez stays 200', async () => {
    // Redis frozen (SIGSTOP): up, but answering nothing, the worst case for a health check.
    execFileSync('kill', ['-STOP', String(parts.redis.pid)]);
    try {
      const t0 = Date.now();
      const r = await fetch(`${http.url}/readyz`);
      const body = (await r.json()) as { ready: boolean; checks: { redis: { ok: boolean; detail?: string } } };
      expect(r.status).toBe(503);
      expect(body.checks.redis).toMatchObject({ ok: false });
      expect(Date.now() - t0).toBeLessThan(6000);
      expect((await fetch(`${http.url}/livez`)).status).toBe(200);
    } finally {
      execFileSync('kill', ['-CONT', String(parts.redis.pid)]);
    }
    await expect.poll(async () => (await fetch(`${http.url}/readyz`)).status, { timeout: 15_000 }).toBe(200);
  }, 30_000);
});

describe('no request is a 500', () => {
  const bodies: [string, string | undefined][] = [
    ['application/json', '{"level": "secret", "reference": '],
    ['application/json', '[1, 2, 3]'],
    ['application/json', '"just a string"'],
    ['application/json', 'null'],
    ['application/json', '{"reject": "yes", "reference": 5, "decidedBy": {}}'],
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=b&c=%ZZ'],
    ['multipart/form-data; boundary=', '--\r\n'],
    [undefined as unknown as string, undefined],
  ];
  const ids = [SOME_ID, 'not-an-id', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(5000), '%00', 'абв'];
  const queries = ['', '?limit=abc', '?limit=1e9', '?offset=-1', '?search=' + encodeURIComponent('\u0000\u202e%'), '?page=0', '?page=99999999', '?search=' + 'a'.repeat(10_000)];

  it('every route, with malformed ids, queries and bodies, answers 4xx (or 2xx), never 5xx', async () => {
    const seen: string[] = [];
    for (const key of Object.keys(ROUTE_ROLES)) {
      const [method, pattern] = key.split(' ') as [string, string];
      if (pattern.startsWith('/queues')) continue; // bull-board's own routes: read-only, its own validation
      for (const id of pattern.includes(':id') ? ids : [SOME_ID]) {
        for (const q of method === 'GET' ? queries : ['']) {
          for (const [type, body] of method === 'GET' ? [[undefined, undefined] as const] : bodies) {
            const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
            if (type) headers['content-type'] = type;
            const r = await fetch(`${http.url}${pattern.replace(':id', id)}${q}`, { method, headers, ...(body !== undefined ? { body } : {}) });
            await r.arrayBuffer();
            if (r.status >= 500) seen.push(`${method} ${pattern.replace(':id', id.slice(0, 20))}${q.slice(0, 30)} [${type}] → ${r.status}`);
          }
        }
      }
    }
    expect(seen).toEqual([]);
  }, 120_000);
});
