/**
 * Carriers over HTTP: upload (multipart, streamed under a size limit), status (the register's
 * record plus the live job), and the results (stamped PDF, receipt). Files are served only from
 * the names resultNames computes from the carrier's stored reference: nothing a request says
 * becomes a path.
 */
import { open, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Job } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { Compile } from 'typebox/compile';
import { PARTY_IDS, type PartyId } from '../core/index.js';
import { EXTRACTORS } from '../extract/read-carrier.js';
import { latestDecision } from '../register/export.js';
import { formatIncoming } from '../register/incoming.js';
import { lastTransition, type EventRow, type RegisterEntry } from '../register/register.js';
import type { CarrierRef } from '../service/carrier-ref.js';
import { storedName, type DataDir } from '../service/data-dir.js';
import { acceptCarrier, loadRef, type IntakeContext } from '../service/intake.js';
import { readResultDoc, resultFilePath, resultOf } from '../service/publish.js';
import { jobIdFor, type StageQueues } from '../service/queues.js';
import type { ReviewReason } from '../service/reason-codes.js';
import { keyedEvent, roundOf } from '../service/stages.js';
import { retryCarrier } from '../service/retry.js';
import { GrifError } from '../errors.js';
import { UploadFields, type RetryBody, type UploadFieldValues } from './api-schema.js';
import { sentence } from './openapi.js';
import { actor } from './actor.js';
import { HttpError } from './errors.js';

/** What grif can stamp: PDFs and images (prepareCarrier's rule); text files can be read but not stamped. */
export function stampableExtensions(): string[] {
  return EXTRACTORS.filter((e) => e.kind === 'PDF' || e.kind === 'image').flatMap((e) => e.extensions);
}

export const carrierLink = (id: string): string => `/carriers/${id}`;

// ---------------------------------------------------------------------------------------------
// Upload

interface FormFields {
  from?: string;
  to?: string;
  russian?: string;
  derivedFrom?: string;
  transfer?: string;
  senderReference?: string;
  joint?: string;
}
const FIELD_NAMES: readonly (keyof FormFields)[] = ['from', 'to', 'russian', 'derivedFrom', 'transfer', 'senderReference', 'joint'];
/** The upload form's schema, compiled once: the route reads the multipart stream itself, so it checks the fields. */
const FIELDS = Compile(UploadFields);

const mib = (n: number): string => (n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB` : `${n} bytes`);

async function drain(file: MultipartFile): Promise<void> {
  for await (const chunk of file.file) void chunk;
}

export async function receiveUpload(req: FastifyRequest, intake: IntakeContext, maxUploadBytes: number) {
  if (!req.isMultipart()) {
    throw new HttpError('bad-request', 'send the carrier as multipart/form-data: the file in the field "file", the sending Party in "from"');
  }
  const fields: FormFields = {};
  let bytes: Buffer | undefined;
  let filename: string | undefined;
  let tooLarge = false;
  let unsupported: string | undefined;
  let extraFile: string | undefined;
  const stampable = stampableExtensions();

  let fileAsField = false;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        const name = part.fieldname as keyof FormFields;
        if (FIELD_NAMES.includes(name) && typeof part.value === 'string') fields[name] = part.value;
        if (part.fieldname === 'file') fileAsField = true;
        continue;
      }
      if (part.fieldname !== 'file' || bytes !== undefined || filename !== undefined) {
        extraFile ??= part.fieldname;
        await drain(part);
        continue;
      }
      filename = part.filename;
      const ext = extname(part.filename).toLowerCase();
      if (!stampable.includes(ext)) {
        unsupported = ext;
        await drain(part);
        continue;
      }
      // Streamed in chunks; busboy stops at limits.fileSize and marks the stream truncated.
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if (part.file.truncated) {
        tooLarge = true;
        chunks.length = 0;
      } else bytes = Buffer.concat(chunks);
    }
  } catch (err) {
    if (err instanceof GrifError) throw err;
    // busboy's own: no boundary, a body cut short, a malformed part header. The request's fault.
    throw new HttpError('bad-request', `the multipart body cannot be read (${err instanceof Error ? err.message.slice(0, 120) : String(err)}): send the carrier as multipart/form-data, whole, with its boundary`);
  }

  if (fileAsField && filename === undefined) {
    throw new HttpError('bad-request', 'the field "file" came without a file name, so not as a file: send the carrier as a file part (a file name holding a line break or an unpaired quote breaks the form\'s headers: rename the file)');
  }
  if (tooLarge) throw new HttpError('too-large', `the carrier is larger than the limit of ${mib(maxUploadBytes)}; split it or ask for the limit to be raised`);
  if (extraFile !== undefined) throw new HttpError('bad-request', `send one carrier per request, in the field "file" (got another file in "${extraFile.slice(0, 40)}")`);
  if (filename === undefined) {
    throw new HttpError(
      'bad-request',
      'no file part named "file" could be read: send the carrier in the multipart field "file" (a file name holding a line break breaks its part\'s headers, and the part is lost: rename the file)',
    );
  }
  if (unsupported !== undefined) {
    throw new HttpError(
      'unsupported-type',
      `${basename(filename).slice(0, 120)}: grif stamps PDF and image carriers (${stampable.join(', ')}); ${unsupported || 'a file without an extension'} cannot take a stamp`,
    );
  }
  if (!bytes || bytes.length === 0) throw new HttpError('bad-request', `${basename(filename).slice(0, 120)} is empty`);

  // The fields as the schema declares them (route-schemas.ts): Parties in capitals, blanks left out.
  const given = (v: string | undefined, upper = false) => (v === undefined || v.trim() === '' ? undefined : upper ? v.trim().toUpperCase() : v.trim());
  const checked = {
    ...(given(fields.from, true) !== undefined ? { from: given(fields.from, true) } : {}),
    ...(given(fields.to, true) !== undefined ? { to: given(fields.to, true) } : {}),
    ...(given(fields.russian) !== undefined ? { russian: given(fields.russian)!.toLowerCase() } : {}),
    ...(given(fields.derivedFrom) !== undefined ? { derivedFrom: given(fields.derivedFrom) } : {}),
    ...(given(fields.transfer) !== undefined ? { transfer: given(fields.transfer) } : {}),
    ...(given(fields.senderReference) !== undefined ? { senderReference: given(fields.senderReference) } : {}),
    ...(given(fields.joint) !== undefined ? { joint: given(fields.joint)!.toLowerCase() } : {}),
  };
  if (checked.from === undefined) throw new HttpError('bad-request', `say which Party sent the carrier: the field "from" must be ${PARTY_IDS.join(' or ')}`);
  if (!FIELDS.Check(checked)) throw new HttpError('bad-request', `${sentence(FIELDS.Errors(checked)[0]!, 'body')} (see /openapi.json)`);
  const { from, derivedFrom, transfer, senderReference } = checked as UploadFieldValues;
  const other = PARTY_IDS.find((p) => p !== from)!;
  const to = (checked as UploadFieldValues).to ?? other;
  if (to === from) throw new HttpError('bad-request', `"to" must be the other Party (${other}), not the sender`);

  const accepted = await acceptCarrier(intake, {
    bytes,
    name: filename,
    from,
    to,
    russian: checked.russian === 'true',
    ...(derivedFrom ? { derivedFrom } : {}),
    ...(transfer ? { transfer } : {}),
    ...(senderReference ? { senderReference } : {}),
    ...(checked.joint === 'true' ? { joint: true } : {}),
    intake: 'http',
  });
  return {
    carrierId: accepted.carrierId,
    status: accepted.status,
    ...(accepted.status === 'duplicate' ? { firstName: accepted.firstName } : {}),
    links: { self: carrierLink(accepted.carrierId) },
  };
}

// ---------------------------------------------------------------------------------------------
// Status

/** Where a carrier stands, for the page: a running stage, or how it ended ('already-marked': it bore the receiving side's marking, nothing was added). */
export type CarrierStage = 'queued' | 'extracting' | 'detecting' | 'stamping' | 'stamped' | 'unmarked' | 'already-marked' | 'review' | 'rejected' | 'parked';

/** An outcome event's kind as the stage it ends a carrier in. */
const ENDED_AS: Readonly<Record<string, CarrierStage>> = { stamped: 'stamped', unmarked: 'unmarked', 'already-marked': 'already-marked', rejected: 'rejected' };
/** Stages whose carrier is in outbox/: the stamped PDF, or the carrier as it came. */
const IN_OUTBOX: readonly CarrierStage[] = ['stamped', 'unmarked', 'already-marked'];

export interface CarrierStatus {
  carrierId: string;
  /** The incoming number as the registry writes it ("17/2026"). */
  incoming: string;
  name: string;
  from: PartyId;
  to: PartyId;
  receivedAt: string;
  stage: CarrierStage;
  progress?: { page: number; pages: number };
  job?: { queue: string; state: string; attempts: number };
  level: string | null;
  stamps: readonly unknown[];
  detail: string | null;
  /** In review: why, one English sentence each (`detail` joins them). */
  reasons?: readonly string[];
  /** In review: the same as codes (absent for carriers routed before there were codes). */
  reasonCodes?: readonly ReviewReason[];
  /** Rejected: the error's code beside the English in `detail` (likewise). */
  errorCode?: string;
  downloads: { pdf?: string; receipt?: string };
  /** What may be done with it: a parked or rejected carrier can be taken again (POST this). */
  links: { retry?: string };
}

function progressOf(job: Job): { page: number; pages: number } | undefined {
  const p = job.progress as unknown;
  if (typeof p !== 'object' || p === null) return undefined;
  const { page, pages } = p as { page?: unknown; pages?: unknown };
  return typeof page === 'number' && typeof pages === 'number' ? { page, pages } : undefined;
}

/** Where a carrier without a final event stands, from the most advanced job BullMQ holds for it. */
async function liveStage(queues: StageQueues, id: string, decided: boolean, round: number): Promise<Pick<CarrierStatus, 'stage' | 'progress' | 'job'>> {
  // A person's decision starts a stamp job of its own (jobIdOf); its earlier jobs say nothing more.
  const stampJob = await queues.stamp.getJob(jobIdFor(id, decided, round));
  const decideJob = decided ? undefined : await queues.decide.getJob(jobIdFor(id, false, round));
  const extractJob = decided ? undefined : await queues.extract.getJob(jobIdFor(id, false, round));
  const job = stampJob ?? decideJob ?? extractJob;
  if (!job) return { stage: decided ? 'stamping' : 'queued' };
  const state = await job.getState();
  const info = { queue: job.queueName, state, attempts: job.attemptsMade };
  if (job === stampJob) return { stage: 'stamping', job: info };
  if (job === decideJob) return { stage: 'detecting', job: info };
  // The extract job: not started yet, running, or done (the decide job is on its way).
  if (state === 'completed') return { stage: 'detecting', job: info };
  if ((state === 'waiting' || state === 'prioritized' || state === 'delayed') && job.attemptsMade === 0) return { stage: 'queued', job: info };
  const progress = progressOf(job);
  return { stage: 'extracting', ...(progress ? { progress } : {}), job: info };
}

/** What a carrier's review or rejection document says beyond the register: the reasons one by one, and the codes. */
async function codesOf(intake: IntakeContext, entry: RegisterEntry, stage: CarrierStage): Promise<Pick<CarrierStatus, 'reasons' | 'reasonCodes' | 'errorCode'>> {
  if (stage !== 'review' && stage !== 'rejected') return {};
  const ref = await loadRef(intake.dir, entry.id);
  const result = ref && resultOf(intake.dir, ref, entry);
  const doc = result && (await readResultDoc(result));
  let written: { reasons?: unknown; reasonCodes?: unknown; errorCode?: unknown } | undefined;
  try {
    written = doc ? (JSON.parse(Buffer.from(doc).toString('utf8')) as typeof written) : undefined;
  } catch {
    written = undefined;
  }
  if (stage === 'rejected') return typeof written?.errorCode === 'string' ? { errorCode: written.errorCode } : {};
  return {
    ...(Array.isArray(written?.reasons) ? { reasons: written.reasons as string[] } : {}),
    ...(Array.isArray(written?.reasonCodes) ? { reasonCodes: written.reasonCodes as ReviewReason[] } : {}),
  };
}

export async function carrierStatus(intake: IntakeContext, queues: StageQueues, id: string): Promise<CarrierStatus | undefined> {
  const entry = await intake.register.carrier(id);
  if (!entry) return undefined;
  const outcome = keyedEvent(entry, 'outcome');
  const review = keyedEvent(entry, 'review');
  const decision = keyedEvent(entry, 'decision');
  const now = lastTransition(entry);
  let where: Pick<CarrierStatus, 'stage' | 'progress' | 'job'>;
  if (now?.state === 'parked') where = { stage: 'parked' };
  else if (outcome) where = { stage: ENDED_AS[outcome.kind] ?? 'rejected' };
  else if (review && !decision) where = { stage: 'review' };
  else where = await liveStage(queues, id, !!decision, roundOf(entry));

  const last = where.stage === 'parked' ? now : latestDecision(entry);
  const downloads: CarrierStatus['downloads'] = {};
  if (IN_OUTBOX.includes(where.stage)) downloads.pdf = `${carrierLink(id)}/pdf`;
  if (IN_OUTBOX.includes(where.stage) || where.stage === 'rejected') downloads.receipt = `${carrierLink(id)}/receipt`;
  const retry = where.stage === 'parked' || where.stage === 'rejected' ? { retry: `${carrierLink(id)}/retry` } : {};
  return {
    carrierId: id,
    incoming: formatIncoming(entry.incoming, intake.incomingFormat),
    name: entry.name,
    from: entry.from,
    to: entry.to,
    receivedAt: entry.receivedAt,
    ...where,
    level: last?.level ?? null,
    stamps: last?.stamps ?? [],
    detail: last?.detail ?? null,
    ...(await codesOf(intake, entry, where.stage)),
    ...(where.stage === 'parked' && now?.detail ? { errorCode: /\[([^\]]+)\]$/.exec(now.detail)?.[1] ?? 'internal' } : {}),
    downloads,
    links: retry,
  };
}

// ---------------------------------------------------------------------------------------------
// Results

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.json': 'application/json; charset=utf-8',
};

/** `attachment` with an ASCII fallback name and the exact one in RFC 5987 form. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'carrier';
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * Sends a PDF grif keeps in its store under its SHA-256 (a confirmation, a copy, an act) as an
 * attachment named `filename`; 404 naming `what` when it is no longer kept.
 */
export async function sendStoredPdf(reply: FastifyReply, d: DataDir, sha256: string, what: string, filename: string): Promise<FastifyReply> {
  const bytes = await readFile(join(d.store, storedName(sha256, 'output.pdf'))).catch(() => undefined);
  if (!bytes) throw new HttpError('not-found', `${what}: its PDF is no longer kept`);
  return reply.type('application/pdf').header('content-length', bytes.length).header('content-disposition', attachment(filename)).send(bytes);
}

/** The carrier's register entry, stored reference and outcome event; 404 when it has none of them. */
async function finished(intake: IntakeContext, id: string): Promise<{ ref: CarrierRef; entry: RegisterEntry; outcome: EventRow | undefined }> {
  const entry = await intake.register.carrier(id);
  const ref = entry ? await loadRef(intake.dir, id) : undefined;
  if (!entry || !ref) throw new HttpError('not-found', `${id}: no such carrier`);
  return { ref, entry, outcome: keyedEvent(entry, 'outcome') };
}

/** Sends a file under the name it has in its folder (the store keeps it under its hash). */
async function sendFile(reply: FastifyReply, path: string, name: string): Promise<FastifyReply> {
  const fh = await open(path, 'r');
  let size: number;
  try {
    size = (await fh.stat()).size;
  } catch (err) {
    await fh.close();
    throw err;
  }
  return reply
    .type(CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream')
    .header('content-length', size)
    .header('content-disposition', attachment(name))
    .send(fh.createReadStream());
}

export function carrierRoutes(app: FastifyInstance, deps: { intake: IntakeContext; queues: StageQueues }, maxUploadBytes: number): void {
  const { intake, queues } = deps;

  app.post('/carriers', async (req, reply) => {
    const answer = await receiveUpload(req, intake, maxUploadBytes);
    return reply.status(202).send(answer);
  });

  // A parked or rejected carrier taken again: who (a personal token's holder, or "by" with the
  // service's token) and why are recorded in the register.
  app.post<{ Params: { id: string }; Body: RetryBody }>('/carriers/:id/retry', async (req, reply) => {
    const id = req.params.id;
    const by = actor(req, req.body.by, 'by');
    const result = await retryCarrier(intake, id, { by, reason: req.body.reason });
    req.log.info({ carrierId: id, round: result.round, by }, 'carrier retried');
    return reply.status(202).send({ ...result, carrierId: id, links: { self: carrierLink(id) } });
  });

  app.get<{ Params: { id: string } }>('/carriers/:id', async (req) => {
    const id = req.params.id;
    const status = await carrierStatus(intake, queues, id);
    if (!status) throw new HttpError('not-found', `${id}: no such carrier`);
    return status;
  });

  // Downloads follow the register: the result its last transition names, from where grif keeps it.
  app.get<{ Params: { id: string } }>('/carriers/:id/pdf', async (req, reply) => {
    const id = req.params.id;
    const { ref, entry, outcome } = await finished(intake, id);
    if (outcome?.kind === 'rejected') throw new HttpError('not-found', `${ref.name} was rejected: nothing to download (see its receipt)`);
    const result = resultOf(intake.dir, ref, entry);
    if (!outcome || !IN_OUTBOX.includes(ENDED_AS[outcome.kind]!) || result?.folder !== 'outbox') throw new HttpError('not-found', `${ref.name} is not stamped yet`);
    // Stamped: the stamped PDF; unmarked, or already bearing the receiving side's marking: the carrier unchanged.
    const path = await resultFilePath(result);
    if (!path || !result.file) throw new HttpError('not-found', `${ref.name}: its result is no longer kept`);
    return sendFile(reply, path, basename(result.file.target));
  });

  app.get<{ Params: { id: string } }>('/carriers/:id/receipt', async (req, reply) => {
    const id = req.params.id;
    const { ref, entry, outcome } = await finished(intake, id);
    const result = resultOf(intake.dir, ref, entry);
    if (!outcome || !result || result.folder === 'review') throw new HttpError('not-found', `${ref.name} has no receipt yet`);
    const doc = await readResultDoc(result);
    if (!doc) throw new HttpError('not-found', `${ref.name}: its receipt is no longer kept`);
    return reply
      .type(CONTENT_TYPES['.json']!)
      .header('content-length', doc.length)
      .header('content-disposition', attachment(basename(result.doc.target)).replace(/^attachment/, 'inline'))
      .send(Buffer.from(doc));
  });
}
