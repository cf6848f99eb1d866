/**
 * Copies, returns and destruction (Art. 6.4) and the inventory (Art. 6.2) over HTTP: the same
 * service functions as the command line (service/copies.ts, disposal.ts, destruction.ts,
 * inventory.ts); who may call what is roles.ts's.
 */
import type { FastifyInstance } from 'fastify';
import { copiesOf, makeCopies } from '../service/copies.js';
import { destroyCarriers } from '../service/destruction.js';
import { returnCarriers } from '../service/disposal.js';
import type { IntakeContext } from '../service/intake.js';
import { accountAddsUp, inventoryOf, yearStart } from '../service/inventory.js';
import { localDay } from '../service/notices.js';
import type { StageContext } from '../service/stages.js';
import { actor } from './actor.js';
import type { CopyRequestBody, DestructionRequestBody, InventoryQueryValue, ReturnRequestBody } from './api-schema.js';
import { carrierLink, sendStoredPdf } from './carriers.js';
import { HttpError } from './errors.js';

export interface DisposalDeps {
  readonly intake: IntakeContext;
  /** What copying reads and writes with (an extraction session of its own); none: copies are not made here. */
  readonly stage?: StageContext;
  /** The receiving authority, as an act names it. */
  readonly authority?: string;
}

// An act numbered "12/2026" comes down as act-12-2026.pdf: a file name has no folders in it.
const actFileName = (act: string): string => `act-${act.replace(/[\\/]/g, '-')}.pdf`;
const actLink = (act: string): string => `/destructions/${encodeURIComponent(act)}/pdf`;

export function disposalRoutes(app: FastifyInstance, deps: DisposalDeps): void {
  const { intake } = deps;

  app.post<{ Params: { id: string }; Body: CopyRequestBody }>('/carriers/:id/copies', async (req, reply) => {
    if (!deps.stage) throw new HttpError('unavailable', 'this service does not make copies (no extraction here): use grif copy');
    const by = actor(req, req.body.by, 'by');
    const made = await makeCopies(deps.stage, req.params.id, { permission: req.body.permission, count: req.body.count, by });
    req.log.info({ carrierId: req.params.id, copies: made.map((m) => m.number), by }, 'copies made');
    return reply.status(201).send({
      carrierId: req.params.id,
      copies: made.map((m) => ({ number: m.number, sha256: m.sha256, pdf: `${carrierLink(req.params.id)}/copies/${m.number}` })),
    });
  });

  app.get<{ Params: { id: string; number: number } }>('/carriers/:id/copies/:number', async (req, reply) => {
    const entry = await intake.register.carrier(req.params.id);
    const copy = entry && copiesOf(entry).find((c) => c.number === req.params.number);
    if (!copy) throw new HttpError('not-found', `carrier ${req.params.id} has no copy № ${req.params.number}`);
    return sendStoredPdf(reply, intake.dir, copy.sha256, `copy № ${copy.number}`, `${entry.name}.copy-${copy.number}.pdf`);
  });

  app.post<{ Body: ReturnRequestBody }>('/returns', async (req, reply) => {
    const by = actor(req, req.body.by, 'by');
    const returned = await returnCarriers(intake, req.body.carriers, { notice: req.body.notice, reference: req.body.reference, date: req.body.date, by });
    req.log.info({ carriers: returned.length, by }, 'carriers returned');
    return reply.status(201).send({ returned });
  });

  app.post<{ Body: DestructionRequestBody }>('/destructions', async (req, reply) => {
    const by = actor(req, req.body.by, 'by');
    const b = req.body;
    const done = await destroyCarriers(
      { dir: intake.dir, register: intake.register, ...(intake.incomingFormat ? { incomingFormat: intake.incomingFormat } : {}) },
      b.carriers,
      {
        notice: b.notice,
        act: b.act,
        members: b.members,
        ...(b.date ? { date: b.date } : {}),
        ...(b.how ? { how: b.how } : {}),
        russian: b.russian ?? false,
        ...(deps.authority ? { authority: deps.authority } : {}),
        by,
      },
    );
    req.log.info({ act: done.act, carriers: done.carriers.length, wiped: done.wiped.length, by }, 'carriers destroyed');
    return reply.status(201).send({
      act: done.act,
      actSha256: done.actSha256,
      carriers: done.carriers,
      sought: done.sought.map((s) => ({ sha256: s.sha256, what: s.what })),
      wiped: done.wiped.length,
      search: { files: done.search.files, bytes: done.search.bytes, found: done.search.found.length },
      links: { pdf: actLink(done.act) },
    });
  });

  app.get<{ Params: { act: string } }>('/destructions/:act/pdf', async (req, reply) => {
    const note = (await intake.register.list({ search: req.params.act })).flatMap((e) => e.events).find((e) => e.kind === 'wiped' && e.reference === req.params.act && e.outputSha256);
    if (!note) throw new HttpError('not-found', `no act of destruction ${req.params.act} in the register`);
    return sendStoredPdf(reply, intake.dir, note.outputSha256!, `act ${req.params.act}`, actFileName(req.params.act));
  });

  app.get<{ Querystring: InventoryQueryValue }>('/inventory', async (req) => {
    const asOf = req.query.asOf ?? localDay();
    const since = req.query.since ?? yearStart(asOf);
    if (since > asOf) throw new HttpError('bad-request', `"since" ${since} is after "asOf" ${asOf}`);
    const inv = inventoryOf(await intake.register.list(), asOf, since, (iso) => localDay(new Date(iso)), intake.incomingFormat);
    return { ...inv, addsUp: accountAddsUp(inv) };
  });
}
