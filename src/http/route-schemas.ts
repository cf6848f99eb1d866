/**
 * Every route's schema, as data, keyed like the roles table (roles.ts): what it takes, what it
 * answers, and its words in /openapi.json. Fastify validates requests and serializes answers with
 * these; a route the service serves without one is refused at start (server.ts).
 */
import Type, { type TSchema } from 'typebox';
import {
  Accepted,
  CarrierParams,
  CarrierStatus,
  DashboardQuery,
  Decided,
  Decision,
  ErrorBody,
  Me,
  PageQuery,
  Readiness,
  Receipt,
  RegisterEntry,
  RegisterPage,
  RegisterQuery,
  Retried,
  RetryRequest,
  ReviewList,
  SearchQuery,
  UploadForm,
  ConfirmRequest,
  Confirmation,
  NoticeQuery,
  NoticeRecorded,
  NoticeRequest,
  OutgoingParams,
  PendingList,
  Remarked,
  CopyRequest,
  CopyParams,
  CopiesMade,
  ReturnRequest,
  ReturnsRecorded,
  DestructionRequest,
  DestructionDone,
  ActParams,
  InventoryQuery,
  Inventory,
  RemarkRequest,
  TransferList,
  TransferParams,
} from './api-schema.js';

type Tag = 'carriers' | 'review' | 'register' | 'after intake' | 'copies, return, destruction' | 'operations';

export interface RouteSchema {
  readonly tags: readonly Tag[];
  readonly summary: string;
  readonly description?: string;
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema;
  readonly consumes?: readonly string[];
  readonly produces?: readonly string[];
  readonly response: Readonly<Record<string, unknown>>;
  /** [] for a route open without a token. */
  readonly security?: readonly Record<string, readonly string[]>[];
}

const json = (schema: TSchema, description: string) => ({ description, content: { 'application/json': { schema } } });
/** A file in the answer, in one of these types. */
const file = (description: string, ...types: string[]) => ({ description, content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) });
const text = (description: string, type: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });

/** Every error answer: what went wrong in words a clerk can act on, and its code. */
const errors = { '4xx': { ...ErrorBody, description: 'The request cannot be served as sent: the error says why (401: no token or a wrong one; 403: the role may not, or a page of another site)' } };

export const OPEN = [] as const;

export const ROUTE_SCHEMAS = {
  'GET /livez': {
    tags: ['operations'],
    summary: 'Liveness: the process answers',
    security: OPEN,
    response: { 200: Type.Object({ ok: Type.Literal(true) }) },
  },
  'GET /readyz': {
    tags: ['operations'],
    summary: 'Readiness: Redis and the register answer, the store can be written, every stage has a worker (each check has 2 s)',
    security: OPEN,
    response: { 200: { ...Readiness, description: 'Ready' }, 503: { ...Readiness, description: 'Not ready: the checks say which part is down' } },
  },
  'GET /me': {
    tags: ['operations'],
    summary: 'Who the token is: a user (their own token, from grif users add) by name and role, or the service (its token, an admin); and what the role may do',
    response: { 200: Me, ...errors },
  },
  'POST /carriers': {
    tags: ['carriers'],
    summary: 'Upload a carrier (PDF, PNG, JPEG or TIFF) to be stamped',
    consumes: ['multipart/form-data'],
    body: UploadForm,
    response: { 202: Accepted, ...errors },
  },
  'GET /carriers/:id': {
    tags: ['carriers'],
    summary: 'Where a carrier stands',
    params: CarrierParams,
    response: { 200: CarrierStatus, ...errors },
  },
  'POST /carriers/:id/retry': {
    tags: ['carriers'],
    summary: 'Take a parked or rejected carrier again: a new round through every stage, recorded in the register with who and why',
    params: CarrierParams,
    body: RetryRequest,
    response: { 202: Retried, ...errors },
  },
  'GET /carriers/:id/pdf': {
    tags: ['carriers'],
    summary: "The stamped PDF; for an unmarked carrier (or one already bearing the receiving side's marking), the carrier unchanged",
    params: CarrierParams,
    produces: ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff'],
    response: { 200: file('The file, as an attachment', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff'), ...errors },
  },
  'GET /carriers/:id/receipt': {
    tags: ['carriers'],
    summary: 'The receipt of a finished carrier (stamped or unmarked), or the error of a rejected one',
    params: CarrierParams,
    response: { 200: json(Receipt, 'The receipt'), ...errors },
  },
  'GET /carriers/:id/preview/original.png': {
    tags: ['carriers'],
    summary: 'A page of the carrier as received, rendered about 1000 px wide (for the web page); rendered once, then kept',
    params: CarrierParams,
    querystring: PageQuery,
    produces: ['image/png'],
    response: { 200: file('PNG image', 'image/png'), ...errors },
  },
  'GET /carriers/:id/preview/stamped.png': {
    tags: ['carriers'],
    summary: "A page of the stamped PDF (or of the carrier handed back unchanged), rendered like the original's",
    params: CarrierParams,
    querystring: PageQuery,
    produces: ['image/png'],
    response: { 200: file('PNG image', 'image/png'), ...errors },
  },
  'GET /review': {
    tags: ['review'],
    summary: "Carriers waiting for a person's decision, oldest first (a carrier decided leaves the list at once)",
    response: { 200: ReviewList, ...errors },
  },
  'POST /review/:id': {
    tags: ['review'],
    summary: "Decide a carrier in review: a level (never below any level found or the source's), or a rejection",
    description:
      "The register records who decided: with a user's own token, that user (decidedBy may be left out; any other name is refused with 403); " +
      "with the service's token, the name given in decidedBy.",
    params: CarrierParams,
    body: Decision,
    response: { 202: Decided, ...errors },
  },
  'GET /register': {
    tags: ['register'],
    summary: 'The register (Art. 6.2), newest first, with every event of each carrier',
    querystring: RegisterQuery,
    response: { 200: RegisterPage, ...errors },
  },
  'GET /register/:id': {
    tags: ['register'],
    summary: "One carrier's register entry with all its events, oldest first (its status and downloads: GET /carriers/{id})",
    params: CarrierParams,
    response: { 200: RegisterEntry, ...errors },
  },
  'GET /register.csv': {
    tags: ['register'],
    summary: 'The register as CSV (RFC 4180, UTF-8 with a byte-order mark): one line per carrier with its latest decision',
    querystring: SearchQuery,
    produces: ['text/csv'],
    response: { 200: text('CSV', 'text/csv'), ...errors },
  },
  'GET /transfers': {
    tags: ['after intake'],
    summary: 'Transfers (the senders\' covering letters or dispatch lists given at intake) with their carriers and whether their receipt is confirmed (Art. 5.3)',
    response: { 200: TransferList, ...errors },
  },
  'POST /transfers/:ref/confirmation': {
    tags: ['after intake'],
    summary: "Confirm receipt of a transfer's carriers not confirmed before: a PDF in the sending state's language and Russian, registered as an outgoing document; each carrier gets a 'receipt-confirmed' event",
    params: TransferParams,
    body: ConfirmRequest,
    response: { 201: Confirmation, ...errors },
  },
  'GET /outgoing/:year/:seq': {
    tags: ['after intake'],
    summary: 'An outgoing document (a confirmation of receipt) as it was sent: the PDF the register names by its hash',
    params: OutgoingParams,
    produces: ['application/pdf'],
    response: { 200: file('The PDF, as an attachment', 'application/pdf'), ...errors },
  },
  'GET /notices': {
    tags: ['after intake'],
    summary: 'Level-change notices not yet carried out (Art. 6.3), with the days left or overdue',
    querystring: NoticeQuery,
    response: { 200: PendingList, ...errors },
  },
  'POST /notices': {
    tags: ['after intake'],
    summary: "Record the originating authority's written notice that the carriers' level changes or is removed: each goes to to-remark, due 30 days after the notice was received",
    description: 'Refused (422) when the notifying Party did not send a carrier, and for a jointly produced carrier unless both Parties\' notices are given.',
    body: NoticeRequest,
    response: { 201: NoticeRecorded, ...errors },
  },
  'POST /carriers/:id/remark': {
    tags: ['after intake'],
    summary: "Carry out a carrier's notice: every marking in force struck through and left legible, the new marking (or its removal) added with the notice as basis, read back, recorded and published",
    params: CarrierParams,
    body: RemarkRequest,
    response: { 200: Remarked, ...errors },
  },
  'POST /carriers/:id/copies': {
    tags: ['copies, return, destruction'],
    summary: "Make numbered copies of a carrier's stamped version with the originator's written permission (Art. 6.4): each marked no lower than its source, read back and registered under it",
    description: 'Refused (422) without the permission, and for a carrier not on hand with its marking settled.',
    params: CarrierParams,
    body: CopyRequest,
    response: { 201: CopiesMade, ...errors },
  },
  'GET /carriers/:id/copies/:number': {
    tags: ['copies, return, destruction'],
    summary: 'A copy the receiver made, as registered (the PDF the register names by its hash)',
    params: CopyParams,
    produces: ['application/pdf'],
    response: { 200: file('The PDF, as an attachment', 'application/pdf'), ...errors },
  },
  'POST /returns': {
    tags: ['copies, return, destruction'],
    summary: "Record carriers sent back to the originating authority on its written notice, with every copy made of them (Art. 6.4); all or none",
    body: ReturnRequest,
    response: { 201: ReturnsRecorded, ...errors },
  },
  'POST /destructions': {
    tags: ['copies, return, destruction'],
    summary: "Destroy carriers on the originator's written notice by an act of at least two people (Art. 6.4): every byte grif holds of them and their copies is wiped, the data directory searched for their SHA-256s, and the act drawn; all or none",
    description: 'Refused (422) while a level-change notice or a review is pending, with fewer than two members, or without the notice.',
    body: DestructionRequest,
    response: { 201: DestructionDone, ...errors },
  },
  'GET /destructions/:act/pdf': {
    tags: ['copies, return, destruction'],
    summary: 'An act of destruction, as registered (the PDF the register names by its hash)',
    params: ActParams,
    produces: ['application/pdf'],
    response: { 200: file('The PDF, as an attachment', 'application/pdf'), ...errors },
  },
  'GET /inventory': {
    tags: ['copies, return, destruction'],
    summary: 'The account of every carrier and copy as of a day (Art. 6.2): on hand by level and sending Party, copies held, notices pending, returned and destroyed in a period; received = on hand + returned + destroyed',
    querystring: InventoryQuery,
    response: { 200: Inventory, ...errors },
  },
  'GET /metrics': {
    tags: ['operations'],
    summary: 'Prometheus metrics (carriers by outcome, pages, failures, stage latencies, queue depth)',
    produces: ['text/plain'],
    response: { 200: text('Prometheus text format', 'text/plain'), ...errors },
  },
  'GET /openapi.json': {
    tags: ['operations'],
    summary: 'This document (OpenAPI 3.1), generated from the schemas the service validates with',
    response: { 200: Type.Object({}, { additionalProperties: true }), ...errors },
  },
  'GET /queues': {
    tags: ['operations'],
    summary: 'The queue dashboard (bull-board, HTML, read-only, admins only)',
    querystring: DashboardQuery,
    produces: ['text/html'],
    response: { 200: text('The dashboard', 'text/html'), ...errors },
  },
  'GET /': {
    tags: ['operations'],
    summary: 'The web page for intake clerks and reviewers (HTML; its files under /web/). It loads without the token and asks for it',
    security: OPEN,
    produces: ['text/html'],
    response: { 200: text('The page', 'text/html') },
  },
} as const satisfies Record<string, RouteSchema>;

export type RouteKey = keyof typeof ROUTE_SCHEMAS;
