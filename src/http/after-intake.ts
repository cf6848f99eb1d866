/**
 * A received carrier's life after intake, over HTTP: transfers and their confirmations of receipt
 * (Art. 5.3), level-change notices and re-marking (Art. 6.3). The same service functions as the
 * command line (service/confirm.ts, notices.ts, remark.ts); who may call what is roles.ts's.
 */
import type { FastifyInstance } from 'fastify';
import { formatIncoming } from '../register/incoming.js';
import { statusOf } from '../register/export.js';
import type { OutgoingRow } from '../register/register.js';
import { confirmationOf, confirmTransfer, transferOf } from '../service/confirm.js';
import type { IntakeContext } from '../service/intake.js';
import { localDay as today, pendingNotices, recordNotice } from '../service/notices.js';
import { storeOutput } from '../service/publish.js';
import { remarkCarrier } from '../service/remark.js';
import type { StageContext } from '../service/stages.js';
import type { ConfirmRequestBody, NoticeRequestBody, RemarkRequestBody } from './api-schema.js';
import { carrierLink, sendStoredPdf } from './carriers.js';
import { actor } from './actor.js';
import { HttpError } from './errors.js';

export interface AfterIntakeDeps {
  readonly intake: IntakeContext;
  /** What re-marking reads and writes with (an extraction session of its own); none: re-marking is not offered here. */
  readonly stage?: StageContext;
  /** The receiving authority, for confirmations that do not name one. */
  readonly authority?: string;
}

const outgoingLink = (o: Pick<OutgoingRow, 'year' | 'seq'>): string => `/outgoing/${o.year}/${o.seq}`;

export function afterIntakeRoutes(app: FastifyInstance, deps: AfterIntakeDeps): void {
  const { intake } = deps;
  const fmt = (n: Parameters<typeof formatIncoming>[0]) => formatIncoming(n, intake.incomingFormat);

  app.get('/transfers', async () => {
    const journal = await intake.register.outgoing();
    const byNumber = new Map(journal.map((o) => [fmt({ year: o.year, seq: o.seq }), o]));
    const groups = new Map<string, { transfer: string; carriers: unknown[]; unconfirmed: number; numbers: Set<string>; newest: string }>();
    for (const e of await intake.register.list()) {
      const t = transferOf(e);
      if (!t) continue;
      const g = groups.get(t.transfer) ?? { transfer: t.transfer, carriers: [], unconfirmed: 0, numbers: new Set<string>(), newest: '' };
      const confirmed = confirmationOf(e)?.reference ?? null;
      if (confirmed) g.numbers.add(confirmed);
      else g.unconfirmed++;
      if (e.receivedAt > g.newest) g.newest = e.receivedAt;
      g.carriers.push({ carrierId: e.id, incoming: fmt(e.incoming), name: e.name, senderReference: t.senderReference, receivedAt: e.receivedAt, status: statusOf(e), confirmed });
      groups.set(t.transfer, g);
    }
    const items = [...groups.values()]
      .sort((a, b) => b.newest.localeCompare(a.newest))
      .map((g) => ({
        transfer: g.transfer,
        carriers: g.carriers.reverse(),
        unconfirmed: g.unconfirmed,
        confirmations: [...g.numbers].map((number) => ({ number, pdf: byNumber.get(number) ? outgoingLink(byNumber.get(number)!) : '' })),
      }));
    return { items };
  });

  app.post<{ Params: { ref: string }; Body: ConfirmRequestBody }>('/transfers/:ref/confirmation', async (req, reply) => {
    const by = actor(req, req.body.by, 'by');
    const authority = req.body.authority?.trim() || deps.authority;
    if (!authority) throw new HttpError('bad-request', 'name the receiving authority that confirms ("authority"); the service has none set (GRIF_AUTHORITY)');
    const done = await confirmTransfer(intake.register, req.params.ref, {
      authority,
      by,
      ...(intake.incomingFormat ? { incomingFormat: intake.incomingFormat } : {}),
      keep: async (pdf) => void (await storeOutput(intake.dir, pdf)),
    });
    req.log.info({ transfer: req.params.ref.slice(0, 80), number: done.number, carriers: done.carriers.length, by }, 'receipt confirmed');
    return reply.status(201).send({ number: done.number, sha256: done.sha256, carriers: done.carriers, links: { pdf: outgoingLink(done.row) } });
  });

  app.get<{ Params: { year: number; seq: number } }>('/outgoing/:year/:seq', async (req, reply) => {
    const row = (await intake.register.outgoing()).find((o) => o.year === req.params.year && o.seq === req.params.seq);
    if (!row) throw new HttpError('not-found', `no outgoing document ${req.params.seq}/${req.params.year} in the register`);
    return sendStoredPdf(reply, intake.dir, row.sha256, `outgoing document ${fmt(row)}`, `confirmation-${row.year}-${row.seq}.pdf`);
  });

  app.get<{ Querystring: { today?: string } }>('/notices', async (req) => {
    const on = req.query.today ?? today();
    const items = await pendingNotices(intake.register, on);
    return { today: on, items: items.map((p) => ({ ...p, incoming: fmt(p.incoming) })) };
  });

  app.post<{ Body: NoticeRequestBody }>('/notices', async (req, reply) => {
    const by = actor(req, req.body.by, 'by');
    const on = today();
    const notices = req.body.notices.map((n) => ({ party: n.from, change: req.body.level, reference: n.reference.trim(), date: n.date, received: n.received ?? on, authority: n.authority.trim() }));
    for (const n of notices) {
      if (n.received < n.date) throw new HttpError('bad-request', `the notice dated ${n.date} cannot have been received on ${n.received}, before it was written`);
    }
    const recorded = await recordNotice(intake.register, req.body.carriers, notices, by);
    req.log.info({ carriers: recorded.length, change: req.body.level, by }, 'level-change notice recorded');
    return reply.status(201).send({ recorded });
  });

  app.post<{ Params: { id: string }; Body: RemarkRequestBody }>('/carriers/:id/remark', async (req) => {
    if (!deps.stage) throw new HttpError('unavailable', 'this service does not re-mark carriers (no extraction here): use grif remark');
    const by = actor(req, req.body.by, 'by');
    const done = await remarkCarrier(deps.stage, req.params.id, { by, ...(req.body.russian !== undefined ? { russian: req.body.russian } : {}) });
    req.log.info({ carrierId: req.params.id, change: done.change, struck: done.struck, by }, 'carrier re-marked');
    return { carrierId: done.carrierId, change: done.change, struck: done.struck, outputSha256: done.outputSha256, derived: done.derived, links: { pdf: `${carrierLink(done.carrierId)}/pdf` } };
  });
}
