// The schemas are the contract (src/http/api-schema.ts, route-schemas.ts): every route has one,
// Fastify refuses what does not match with a 400 naming the field, /openapi.json is generated from
// them, real answers match them, and the web page's types are the ones they make. Against a real
// redis-server, SQLite register and stage workers, with real PDFs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEVEL_IDS } from '../../src/core/index.js';
import { CarrierStatus, Me, Readiness, RegisterEntry, RegisterPage, ReviewList } from '../../src/http/api-schema.js';
import { OPEN_ROUTES, ROUTE_ROLES } from '../../src/http/roles.js';
import { ROUTE_SCHEMAS } from '../../src/http/route-schemas.js';
import { startHttp, type HttpServer } from '../../src/http/server.js';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/api-types.js';
import { ROOT } from '../helpers/carriers.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

const TOKEN = 'service-token-schemas-0123456789';
const SOME_ID = `${'cd'.repeat(16)}-KZ-KG`;

let parts: HttpTestParts;
let http: HttpServer;

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-http-schemas-' });
  http = await startHttp({ intake: parts.intake, metrics: parts.metrics, queues: parts.queues }, { host: '127.0.0.1', port: 0, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await http?.close();
  await parts?.stop();
}, 60_000);

const auth = { authorization: `Bearer ${TOKEN}` };
const get = (path: string) => fetch(`${http.url}${path}`, { headers: auth });
const postJson = (path: string, body: string) => fetch(`${http.url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>;
}

const openApiPath = (pattern: string) => pattern.replace(/:(\w+)/g, '{$1}');

describe('every route has its schema, and the document is made from them', () => {
  it('the schema table and the roles table name the same routes', () => {
    const served = [...Object.keys(ROUTE_ROLES).filter((k) => !k.endsWith('/*')), ...OPEN_ROUTES, 'GET /'].sort();
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(served);
  });

  it('/openapi.json lists exactly those operations, each with its answers', async () => {
    const doc = (await (await get('/openapi.json')).json()) as OpenApiDoc;
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(Object.keys(ROUTE_SCHEMAS).map((k) => openApiPath(k)).sort());
    for (const [path, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) expect(Object.keys(op.responses).length, `${m} ${path}`).toBeGreaterThan(0);
  });

  it('says what each route takes: the decision, the upload form, the register query', async () => {
    const doc = (await (await get('/openapi.json')).json()) as OpenApiDoc;
    const decision = doc.paths['/review/{id}']!['post']!.requestBody!.content['application/json']!.schema as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(decision.properties['level']!.enum).toEqual([...LEVEL_IDS]);
    expect(decision.required).toEqual(['reference']);
    const form = doc.paths['/carriers']!['post']!.requestBody!.content['multipart/form-data']!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(form.properties).sort()).toEqual(['derivedFrom', 'file', 'from', 'joint', 'russian', 'senderReference', 'to', 'transfer']);
    expect(form.required.sort()).toEqual(['file', 'from']);
    const limit = doc.paths['/register']!['get']!.parameters!.find((p) => p.name === 'limit')!;
    expect(limit).toMatchObject({ in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } });
    const id = doc.paths['/carriers/{id}']!['get']!.parameters!.find((p) => p.name === 'id')!;
    expect(id).toMatchObject({ in: 'path', schema: { pattern: '^[0-9a-f]{32}-(KZ-KG|KG-KZ)$' } });
    const status = doc.paths['/carriers/{id}']!['get']!.responses['200']!.content!['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(status.properties).sort()).toEqual(Object.keys(CarrierStatus.properties).sort());
    // Open routes say so; the rest take the bearer token.
    expect((doc.paths['/livez']!['get'] as unknown as { security: unknown[] }).security).toEqual([]);
  });

  it("the web page's API types are the ones the schemas make", async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8'), 'run npm run api-types').toBe(await apiTypesSource());
    expect(API_TYPES_FILE).toBe(join(ROOT, 'web', 'src', 'api-types.ts'));
  });
});

describe('a request that does not match its schema: 400, naming the field', () => {
  const cases: [string, () => Promise<Response>, RegExp][] = [
    ['a level that is not one', () => postJson(`/review/${SOME_ID}`, JSON.stringify({ level: 'very-secret', reference: 'x', decidedBy: 'A' })), /"level" must be one of: special-importance, top-secret, secret/],
    ['a decision without its reference', () => postJson(`/review/${SOME_ID}`, JSON.stringify({ level: 'secret', decidedBy: 'A' })), /"reference" is missing from the body/],
    ['a blank reference', () => postJson(`/review/${SOME_ID}`, JSON.stringify({ level: 'secret', reference: '   ', decidedBy: 'A' })), /"reference" must not be blank/],
    ['a decision as an array', () => postJson(`/review/${SOME_ID}`, '[]'), /the body must be of type object/],
    ['"reject" as a word', () => postJson(`/review/${SOME_ID}`, JSON.stringify({ reject: 'sure', reference: 'x', decidedBy: 'A' })), /"reject" must be of type boolean/],
    ['a retry without its reason', () => postJson(`/carriers/${SOME_ID}/retry`, JSON.stringify({ by: 'A' })), /"reason" is missing from the body/],
    ['a malformed carrier id', () => get('/carriers/not-an-id'), /the path does not name a carrier/],
    ['a limit over 1000', () => get('/register?limit=5000'), /"limit" must be at most 1000/],
    ['a limit that is not a number', () => get('/register?limit=ten'), /"limit" must be a whole number/],
    ['a negative offset', () => get('/register?offset=-1'), /"offset" must be at least 0/],
    ['page 0 of a preview', () => get(`/carriers/${SOME_ID}/preview/original.png?page=0`), /"page" must be at least 1/],
    ['an act numbered ".."', () => postJson('/destructions', JSON.stringify({ carriers: [SOME_ID], notice: 'N', act: '..', members: ['A', 'B'] })), /^"act", the act's number, must be one line of text, not "\." or "\.\."/],
    ['an act number of two lines', () => postJson('/destructions', JSON.stringify({ carriers: [SOME_ID], notice: 'N', act: '5\n6', members: ['A', 'B'] })), /^"act", the act's number, must be one line of text/],
    ['a search of 2000 letters', () => get(`/register.csv?search=${'a'.repeat(2000)}`), /"search" is too long/],
  ];
  for (const [what, send, message] of cases) {
    it(what, async () => {
      const r = await send();
      const body = (await r.json()) as { error: string; code: string };
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(body.code).toBe('http/bad-request');
      expect(body.error).toMatch(message);
    });
  }

  it('upload fields: a Party that is not one, a source that is no id', async () => {
    const pdf = await readFile(join(ROOT, 'samples', 'carriers', 'digital-kk-top-secret.pdf'));
    for (const [fields, message] of [
      [{ from: 'RU' }, /"from" must be one of: KZ, KG/],
      [{ from: 'KZ', russian: 'maybe' }, /"russian" must be one of: true, false/],
      [{ from: 'KZ', derivedFrom: '../etc/passwd' }, /"derivedFrom" must name the source carrier/],
      [{ from: 'KZ', to: 'KZ' }, /"to" must be the other Party/],
    ] as [Record<string, string>, RegExp][]) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([pdf]), 'x.pdf');
      const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth, body: form });
      const body = (await r.json()) as { error: string; code: string };
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect(body.error).toMatch(message);
    }
  });
});

describe('real answers match their schemas', () => {
  const matches = (schema: TSchema, value: unknown) => {
    const c = Compile(schema);
    expect(c.Check(value), JSON.stringify(c.Errors(value)[0])).toBe(true);
  };

  it('a stamped carrier and a carrier in review: status, register, review list, me, readiness', async () => {
    const ids: string[] = [];
    for (const name of ['digital-kk-top-secret.pdf', 'scan-conflict-kk-ru.pdf']) {
      const form = new FormData();
      form.append('from', 'KZ');
      form.append('file', new Blob([await readFile(join(ROOT, 'samples', 'carriers', name))]), name);
      const r = await fetch(`${http.url}/carriers`, { method: 'POST', headers: auth, body: form });
      expect(r.status).toBe(202);
      ids.push(((await r.json()) as { carrierId: string }).carrierId);
    }
    const stages: string[] = [];
    for (const id of ids) {
      const t0 = Date.now();
      for (;;) {
        const s = (await (await get(`/carriers/${id}`)).json()) as { stage: string };
        if (['stamped', 'review', 'rejected', 'unmarked'].includes(s.stage)) {
          matches(CarrierStatus, s);
          stages.push(s.stage);
          break;
        }
        if (Date.now() - t0 > 90_000) throw new Error(`${id} still ${s.stage}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    expect(stages).toEqual(['stamped', 'review']);
    const review = await (await get('/review')).json();
    matches(ReviewList, review);
    expect((review as { items: { carrierId: string; reasonCodes?: unknown[]; pageSizes: unknown }[] }).items[0]).toMatchObject({ carrierId: ids[1] });
    for (const id of ids) matches(RegisterEntry, await (await get(`/register/${id}`)).json());
    const page = await (await get('/register?limit=10')).json();
    matches(RegisterPage, page);
    expect((page as { entries: unknown[] }).entries).toHaveLength(2);
    matches(Me, await (await get('/me')).json());
    matches(Readiness, await (await fetch(`${http.url}/readyz`)).json());
  }, 120_000);
});
