// The codes beside the English words: what review/NAME.reason.json (`reasonCodes`) and
// rejected/NAME.error.json (`errorCode`) carry for a page in the clerk's language, and what
// GET /carriers/:id and GET /review pass on. No Redis: the decide stage runs on a data dir and a
// SQLite register, the intake's queue is a stand-in.
import { readdir, readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/index.js';
import { InputError } from '../../src/errors.js';
import type { ExtractContext } from '../../src/extract/extractor.js';
import { carrierStatus } from '../../src/http/carriers.js';
import { resolveRouting } from '../../src/intake/inbox-layout.js';
import { openRegister } from '../../src/register/open-register.js';
import type { Register } from '../../src/register/register.js';
import type { CarrierRef } from '../../src/service/carrier-ref.js';
import { dataDir, prepareDataDir, textPathOf, type DataDir } from '../../src/service/data-dir.js';
import { acceptCarrier, loadRef, type IntakeContext } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { rejectUnsorted, resultNames } from '../../src/service/outcome-files.js';
import { resultOf } from '../../src/service/publish.js';
import type { StageQueues } from '../../src/service/queues.js';
import { REVIEW_REASON_CODES, rejectionCodeOf, type ReviewReason } from '../../src/service/reason-codes.js';
import { decideReview, listReview } from '../../src/service/review.js';
import { decideStage, DecisionRefused, eventKey, rejectStage, type StageContext } from '../../src/service/stages.js';
import { BODY_RU, carrier, ROOT } from '../helpers/carriers.js';

interface ReasonJson {
  reasons: string[];
  minLevel: string | null;
  reasonCodes: ReviewReason[];
}

let tmp: string;
let dir: DataDir;
let register: Register;
let intake: IntakeContext;
let stages: StageContext;
// The intake queues a carrier's extract job (here the text is written by the test instead), a decision its stamp job.
const queues = { extract: { add: async () => undefined }, stamp: { add: async () => undefined } } as unknown as StageQueues;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'grif-reason-codes-'));
  dir = dataDir(join(tmp, 'data'));
  await prepareDataDir(dir);
  register = await openRegister(join(tmp, 'register.sqlite'));
  const log = silentLogger();
  intake = { dir, register, queues, log, agent: 'grif test' };
  stages = { dir, register, extract: {} as ExtractContext, log, agent: 'grif test' };
});

afterAll(async () => {
  await register?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A carrier accepted over "HTTP" whose extracted text is `text`. */
async function carrierOf(name: string, text: string, from: PartyId = 'KZ', derivedFrom?: string): Promise<CarrierRef> {
  const a = await acceptCarrier(intake, {
    bytes: Buffer.from(`%PDF-1.7 ${name}\n${text}`),
    name,
    from,
    to: from === 'KZ' ? 'KG' : 'KZ',
    intake: 'http',
    ...(derivedFrom ? { derivedFrom } : {}),
  });
  expect(a.status).toBe('queued');
  await writeFile(textPathOf(dir, a.carrierId), JSON.stringify(carrier(text)));
  // As the extract stage leaves it: text written, then the transition that says so.
  await register.addEvent({ carrierId: a.carrierId, kind: 'extracted', level: null, stamps: [], decidedBy: 'grif test', reference: null, outputSha256: null, outputPath: null, detail: null, key: null });
  return (await loadRef(dir, a.carrierId))!;
}

async function reasonOf(ref: CarrierRef): Promise<ReasonJson> {
  return JSON.parse(await readFile(resultNames(dir, ref, 'review').json, 'utf8')) as ReasonJson;
}

async function errorOf(ref: CarrierRef): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(resultNames(dir, ref, 'rejected').json, 'utf8')) as Record<string, unknown>;
}

describe('review/NAME.reason.json: reasonCodes beside the English reasons', () => {
  it('a conflict: not-equivalent, with the levels found; passed on by GET /review and the status; a person\'s rejection is review/rejected', async () => {
    const ref = await carrierOf('conflict.pdf', `ҚҰПИЯ\nСОВЕРШЕННО СЕКРЕТНО\n${BODY_RU}`);
    expect(await decideStage(stages, ref)).toBe('review');
    const r = await reasonOf(ref);
    expect(r.reasonCodes).toEqual([{ code: 'not-equivalent', levels: { found: ['top-secret', 'secret'] }, index: 0 }]);
    expect(r.reasons[0]).toMatch(/not Article 3 equivalents/);

    const listed = (await listReview(intake)).find((i) => i.carrierId === ref.carrierId);
    expect(listed?.reasonCodes).toEqual(r.reasonCodes);
    const status = await carrierStatus(intake, queues, ref.carrierId);
    expect(status).toMatchObject({ stage: 'review', reasons: r.reasons, reasonCodes: r.reasonCodes });
    expect(status!.errorCode).toBeUndefined();

    expect(await decideReview(intake, ref.carrierId, { reject: true, reference: 'No. 5/2025', decidedBy: 'A. Clerk' })).toEqual({ status: 'rejected' });
    expect(await errorOf(ref)).toMatchObject({ status: 'rejected', errorCode: 'review/rejected', decidedBy: 'A. Clerk', error: expect.stringMatching(/rejected in review/) });
    expect(await carrierStatus(intake, queues, ref.carrierId)).toMatchObject({ stage: 'rejected', errorCode: 'review/rejected' });
  });

  it('GET /review lists what the register holds in review, not what review/ shows: before the folder is written, without its document, and never once decided', async () => {
    const ref = await carrierOf('unpublished.pdf', `ҚҰПИЯ\nСОВЕРШЕННО СЕКРЕТНО\n${BODY_RU}`);
    expect(await decideStage(stages, ref)).toBe('review');
    const staged = await reasonOf(ref);
    // As just after the review transition committed, before publish wrote the folder: review/ is empty of it.
    const n = resultNames(dir, ref, 'review');
    for (const p of [n.carrier, n.json]) await rm(p, { force: true });
    const listed = (await listReview(intake)).find((i) => i.carrierId === ref.carrierId);
    expect(listed).toMatchObject({ carrierId: ref.carrierId, reasonCodes: staged.reasonCodes, minLevel: staged.minLevel });
    // Its staged document lost as well: still listed, from the register, saying so.
    const entry = (await register.carrier(ref.carrierId))!;
    const r = resultOf(dir, ref, entry)!;
    await rm(r.doc.source!, { force: true });
    expect((await listReview(intake)).find((i) => i.carrierId === ref.carrierId)).toMatchObject({
      name: 'unpublished.pdf',
      minLevel: null,
      reasons: [expect.stringMatching(/review document is missing/)],
    });
    // Decided: no longer waiting, whatever the folders still hold.
    await writeFile(n.json, JSON.stringify(staged));
    expect(await decideReview(intake, ref.carrierId, { level: 'top-secret', reference: 'No. 7/2025', decidedBy: 'A. Clerk' })).toEqual({ status: 'queued' });
    await writeFile(n.json, JSON.stringify(staged));
    expect((await listReview(intake)).map((i) => i.carrierId)).not.toContain(ref.carrierId);
  });

  it('weak evidence: weak-evidence, at no lower than the level it points to', async () => {
    const ref = await carrierOf('garbled.pdf', `СЕКРФТНQ\n${BODY_RU}`);
    expect(await decideStage(stages, ref)).toBe('review');
    const r = await reasonOf(ref);
    expect(r.reasonCodes).toEqual([{ code: 'weak-evidence', levels: { atLeast: 'secret' }, index: 0 }]);
    expect(r.reasons[0]).toMatch(/too weak to decide/);
  });

  it('an unreadable stamp-like mark: unreadable-mark, the mark outlined in the review JSON and in GET /review', async () => {
    const ref = await carrierOf('smeared.pdf', BODY_RU);
    // The extracted text as OCR leaves it: the body, and a violet frame at the top right it could not read.
    const mark = { bbox: [400, 60, 500, 120], kind: 'frame', coloured: true };
    const lines = BODY_RU.split('\n').map((text, i) => ({ text, bbox: [70, 200 + i * 16, 500, 212 + i * 16], confidence: 0.9 }));
    await writeFile(textPathOf(dir, ref.carrierId), JSON.stringify({ pages: [{ lines, width: 595, height: 842, marks: [mark] }] }));
    expect(await decideStage(stages, ref)).toBe('review');
    const r = (await reasonOf(ref)) as ReasonJson & { unreadMarks: unknown[] };
    expect(r.reasonCodes).toEqual([{ code: 'unreadable-mark', index: 0 }]);
    expect(r.reasons[0]).toMatch(/stamp-like mark could not be read \(a frame in coloured ink on page 1 at \[400, 60, 500, 120\]\)/);
    expect(r.unreadMarks).toEqual([{ ...mark, page: 1 }]);
    const listed = (await listReview(intake)).find((i) => i.carrierId === ref.carrierId);
    expect(listed?.unreadMarks).toEqual([{ ...mark, page: 1 }]);
  });

  it('a translation marked lower than its source: lower-than-source, with both levels', async () => {
    const source = await carrierOf('source.pdf', `ӨТЕ ҚҰПИЯ\n${BODY_RU}`);
    await register.addEvent({ carrierId: source.carrierId, kind: 'to-stamp', level: 'top-secret', stamps: [], decidedBy: 'grif test', reference: null, outputSha256: null, outputPath: null, detail: null, key: null });
    await register.addEvent({
      carrierId: source.carrierId,
      kind: 'stamped',
      level: 'top-secret',
      stamps: [],
      decidedBy: 'grif test',
      reference: null,
      outputSha256: null,
      outputPath: null,
      detail: null,
      key: eventKey(source.carrierId, 'outcome'),
    });
    const ref = await carrierOf('translation.pdf', `СЕКРЕТНО\n${BODY_RU}`, 'KG', source.carrierId);
    expect(await decideStage(stages, ref)).toBe('review');
    const r = await reasonOf(ref);
    expect(r.reasonCodes).toEqual([{ code: 'lower-than-source', levels: { carrier: 'secret', source: 'top-secret' }, index: 0 }]);
    expect(r.reasons[0]).toMatch(/marked secret, lower than its source's top-secret/);
  });

  it('a translation whose source is not in the register: source-not-registered, naming it', async () => {
    const unknown = '0123456789abcdef0123456789abcdef-KZ-KG';
    const ref = await carrierOf('orphan-copy.pdf', `СЕКРЕТНО\n${BODY_RU}`, 'KZ', unknown);
    expect(await decideStage(stages, ref)).toBe('review');
    const r = await reasonOf(ref);
    expect(r.reasonCodes).toEqual([{ code: 'source-not-registered', sourceId: unknown, index: r.reasons.length - 1 }]);
    expect(r.reasons.at(-1)).toMatch(/not in the register/);
  });

  it('every code is one the page\'s dictionaries know', async () => {
    const en = JSON.parse(await readFile(join(ROOT, 'web', 'public', 'i18n', 'en.json'), 'utf8')) as Record<string, string>;
    expect(REVIEW_REASON_CODES.filter((c) => !(`reason.${c}` in en))).toEqual([]);
  });
});

describe('rejected/NAME.error.json: errorCode beside the English error', () => {
  it('carries the code it is given, and none when not given (the older call)', async () => {
    const bad = await carrierOf('locked.pdf', BODY_RU);
    const err = new InputError('locked.pdf', 'encrypted', 'locked.pdf: the PDF is password-protected (encrypted)');
    await rejectStage(stages, bad, err.message, undefined, rejectionCodeOf(err));
    expect(await errorOf(bad)).toMatchObject({ status: 'rejected', error: err.message, errorCode: 'input/encrypted' });
    expect(await carrierStatus(intake, queues, bad.carrierId)).toMatchObject({ stage: 'rejected', detail: err.message, errorCode: 'input/encrypted' });

    const old = await carrierOf('old-style.pdf', `${BODY_RU}\n`);
    await rejectStage(stages, old, 'old-style.pdf: something');
    expect(await errorOf(old)).not.toHaveProperty('errorCode');
    expect(await carrierStatus(intake, queues, old.carrierId)).not.toHaveProperty('errorCode');
  });

  it('names a GrifError by its code and anything else "internal"', () => {
    expect(rejectionCodeOf(new InputError('x.pdf', 'too-many-pixels', 'x'))).toBe('input/too-many-pixels');
    expect(rejectionCodeOf(new DecisionRefused('x'))).toBe('review/refused');
    expect(rejectionCodeOf(new Error('boom'))).toBe('internal');
    expect(rejectionCodeOf('boom')).toBe('internal');
  });

  it('an inbox file that cannot be queued: inbox/no-party, inbox/bad-sidecar, else inbox/refused', async () => {
    expect(resolveRouting('a.pdf', undefined, undefined)).toMatchObject({ ok: false, code: 'inbox/no-party' });
    expect(resolveRouting('a.pdf', 'KZ', '{not json')).toMatchObject({ ok: false, code: 'inbox/bad-sidecar' });
    expect(resolveRouting('a.pdf', 'KZ', '{"from":"KZ","to":"KZ"}')).toMatchObject({ ok: false, code: 'inbox/bad-sidecar' });

    for (const [name, code] of [['stray.pdf', 'inbox/no-party'], ['other.pdf', undefined]] as const) {
      const path = join(dir.inbox, name);
      await writeFile(path, `%PDF-1.7 ${name}`);
      await rejectUnsorted(dir, path, `${name}: no sending Party`, code);
      const json = (await readdir(dir.rejected)).find((n) => n.startsWith(`${name}.`) && n.endsWith('-unsorted.error.json'))!;
      const written = JSON.parse(await readFile(join(dir.rejected, json), 'utf8')) as Record<string, unknown>;
      expect(written).toMatchObject({ status: 'rejected', error: `${name}: no sending Party`, errorCode: code ?? 'inbox/refused' });
    }
  });
});
