/**
 * The HTTP API's contract, as data: every route's request and response schemas (JSON Schema,
 * written with TypeBox). Fastify validates requests with them and serializes answers by them,
 * /openapi.json is generated from them (@fastify/swagger), and the web page's types are generated
 * from them too (scripts/api-types.ts writes web/src/api-types.ts; a test keeps it current).
 * A field missing here is missing from the answer: the serializer sends only what is declared.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ACT_NUMBER_MAX, ACT_NUMBER_PATTERN } from '../acts/act-number.js';
import { LANGS, LEVEL_IDS, PARTY_IDS } from '../core/article3.js';
import { REVIEW_REASON_CODES } from '../core/reasons.js';
import { EVENT_KINDS } from '../register/register.js';
import { CARRIER_STATES } from '../register/states.js';

const Nullable = <T extends TSchema>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {});

// ---------------------------------------------------------------------------------------------
// Words of the domain

export const Level = Type.Enum([...LEVEL_IDS], { title: 'Level', description: 'An Article 3 level, by its id' });
export const Party = Type.Enum([...PARTY_IDS], { title: 'Party', description: 'A Party to the agreement' });
export const Lang = Type.Enum([...LANGS], { title: 'Lang' });
export const CarrierId = Type.String({
  title: 'CarrierId',
  pattern: '^[0-9a-f]{32}-(KZ-KG|KG-KZ)$',
  description: 'A carrier\'s id: the first 32 hex digits of its SHA-256, then the sending and receiving Party',
});
const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const BBox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[x0, y0, x1, y1] in the units of the page\'s size, origin top left' });
const DateTime = Type.String({ format: 'date-time' });

export const Stage = Type.Enum(['queued', 'extracting', 'detecting', 'stamping', 'stamped', 'unmarked', 'already-marked', 'review', 'rejected', 'parked'], {
  title: 'Stage',
  description:
    "How far a carrier is, or how it ended; 'already-marked': it bore the receiving side's marking already, nothing was added; 'parked': a fault of the service outlasted its retries, and it waits to be retried (links.retry)",
});

export const StampFound = Type.Object(
  {
    level: Level,
    lang: Lang,
    page: Type.Integer({ minimum: 1 }),
    evidence: Type.Optional(Type.Enum(['strong', 'weak'])),
    bbox: Type.Optional(BBox),
  },
  { title: 'StampFound', description: 'A marking found on the carrier' },
);

export const UnreadMark = Type.Object(
  {
    page: Type.Integer({ minimum: 1 }),
    bbox: BBox,
    kind: Type.Enum(['frame', 'ring', 'coloured-ink', 'turned-text']),
    coloured: Type.Boolean(),
  },
  { title: 'UnreadMark', description: 'A stamp-like mark (a frame, a ring, coloured ink) that could not be read: outline it for the person deciding' },
);

export const ReviewReason = Type.Object(
  {
    code: Type.Enum([...REVIEW_REASON_CODES]),
    levels: Type.Optional(
      Type.Object(
        {
          found: Type.Optional(Type.Array(Level, { description: 'not-equivalent: the levels the strong markings name' })),
          atLeast: Type.Optional(Type.Enum([...LEVEL_IDS], { description: 'weak-evidence: the lowest level a person may choose' })),
          carrier: Type.Optional(Type.Enum([...LEVEL_IDS], { description: 'lower-than-source, higher-than-source: the carrier\'s level' })),
          source: Type.Optional(Type.Enum([...LEVEL_IDS], { description: 'derived-unmarked, lower-than-source, higher-than-source: the source\'s level' })),
        },
        { description: 'The levels the reason speaks of' },
      ),
    ),
    sourceId: Type.Optional(Type.String({ description: 'source-not-registered: the source as the carrier names it' })),
    index: Type.Integer({ minimum: 0, description: 'The index in reasons of the English sentence this stands for' }),
  },
  { title: 'ReviewReason', description: 'Why a carrier waits for a person, as a code (the English sentence is reasons[index])' },
);

const Links = Type.Object({ self: Type.String() });

// ---------------------------------------------------------------------------------------------
// Answers

export const ErrorBody = Type.Object(
  { error: Type.String({ description: 'What went wrong, in words a clerk can act on' }), code: Type.Optional(Type.String({ description: 'The error\'s code (src/error-codes.ts)' })) },
  { title: 'ErrorBody' },
);

export const Accepted = Type.Object(
  {
    carrierId: CarrierId,
    status: Type.Enum(['queued', 'in-progress', 'duplicate']),
    firstName: Type.Optional(Type.String({ description: 'For a duplicate: the name the carrier was first received under' })),
    links: Links,
  },
  { title: 'Accepted', description: 'Accepted (queued), already being processed, or a duplicate of a carrier received before' },
);

export const CarrierStatus = Type.Object(
  {
    carrierId: CarrierId,
    incoming: Type.String({ description: 'The incoming number the register gave it, as the registry writes it ("17/2026")' }),
    name: Type.String(),
    from: Party,
    to: Party,
    receivedAt: DateTime,
    stage: Stage,
    progress: Type.Optional(Type.Object({ page: Type.Integer(), pages: Type.Integer() })),
    job: Type.Optional(Type.Object({ queue: Type.String(), state: Type.String(), attempts: Type.Integer() }, { description: 'The live queue job, while there is one' })),
    level: Nullable(Level),
    stamps: Type.Array(StampFound),
    detail: Nullable(Type.String(), 'The latest decision\'s words (English): in review, why; rejected, the error'),
    reasons: Type.Optional(Type.Array(Type.String(), { description: 'In review: why, one English sentence each (detail joins them)' })),
    reasonCodes: Type.Optional(Type.Array(ReviewReason, { description: 'In review: the same as codes, for a page in another language' })),
    errorCode: Type.Optional(Type.String({ description: 'Rejected or parked: the error\'s code beside the English in detail (input/…, ocr/…, stamp/failed, review/rejected, inbox/…, internal)' })),
    downloads: Type.Object({ pdf: Type.Optional(Type.String()), receipt: Type.Optional(Type.String()) }),
    links: Type.Object({ retry: Type.Optional(Type.String({ description: 'For a parked or rejected carrier: POST here to take it again' })) }),
  },
  { title: 'CarrierStatus', description: 'Where a carrier stands' },
);

export const PageSize = Type.Object({ width: Type.Number(), height: Type.Number() }, { title: 'PageSize' });

export const ReviewItem = Type.Object(
  {
    carrierId: CarrierId,
    name: Type.String(),
    from: Party,
    to: Party,
    verdict: Type.String(),
    minLevel: Nullable(Level),
    candidates: Type.Array(Level),
    stamps: Type.Array(StampFound),
    unreadMarks: Type.Optional(Type.Array(UnreadMark)),
    reasons: Type.Array(Type.String(), { description: 'Why a person must decide, in English' }),
    reasonCodes: Type.Optional(Type.Array(ReviewReason)),
    writtenAt: DateTime,
    pageSizes: Nullable(Type.Array(Nullable(PageSize)), 'Each page\'s size in the units of its stamps\' boxes (null for a page without one); null before extraction'),
  },
  { title: 'ReviewItem' },
);

export const ReviewList = Type.Object({ items: Type.Array(ReviewItem) }, { title: 'ReviewList', description: 'Carriers waiting for a person\'s decision, oldest first' });

export const RegisterEvent = Type.Object(
  {
    seq: Type.Integer(),
    n: Type.Integer({ description: 'The event\'s place in the register\'s hash chain' }),
    at: DateTime,
    kind: Type.Enum([...EVENT_KINDS]),
    state: Nullable(Type.Enum([...CARRIER_STATES]), 'The carrier\'s state after this event; null for a note'),
    level: Nullable(Level),
    stamps: Type.Array(StampFound),
    decidedBy: Type.String(),
    reference: Nullable(Type.String()),
    outputSha256: Nullable(Sha256),
    outputPath: Nullable(Type.String()),
    detail: Nullable(Type.String()),
    prevHash: Type.String(),
    hash: Type.String(),
  },
  { title: 'RegisterEvent' },
);

export const RegisterEntry = Type.Object(
  {
    id: CarrierId,
    incoming: Nullable(Type.Object({ year: Type.Integer(), seq: Type.Integer({ minimum: 1 }) }), 'The incoming number: the seq-th carrier received in that year'),
    incomingNumber: Type.String({ description: 'The same, as the registry writes it ("17/2026")' }),
    status: Type.String({ description: "Where it stands: its state (received, extracted, to-stamp, review, decided, stamped, rejected, parked), an unchanged carrier as 'unmarked' or 'already-marked'" }),
    receivedAt: DateTime,
    name: Type.String(),
    from: Party,
    to: Party,
    inputSha256: Sha256,
    kind: Type.Enum(['carrier', 'copy']),
    derivedFrom: Nullable(Type.String()),
    intake: Type.Enum(['inbox', 'http', 'cli']),
    events: Type.Array(RegisterEvent, { description: 'Oldest first' }),
  },
  { title: 'RegisterEntry' },
);

export const RegisterPage = Type.Object(
  {
    entries: Type.Array(RegisterEntry),
    total: Type.Optional(Type.Integer({ description: 'With a search: how many carriers match it in all' })),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { title: 'RegisterPage' },
);

export const Receipt = Type.Object(
  {
    status: Type.String({ description: 'stamped, unmarked, already-marked, or rejected' }),
    level: Type.Optional(Nullable(Level)),
    added: Type.Optional(Type.Array(Type.Object({ lang: Type.String(), text: Type.String() }), { description: 'The markings grif added' })),
    decidedBy: Type.Optional(Type.String()),
    reference: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    errorCode: Type.Optional(Type.String()),
  },
  { title: 'Receipt', description: 'A finished carrier\'s receipt, or a rejected one\'s error (more fields than these may be present)' },
);

export const Abilities = Type.Object(
  { review: Type.Boolean(), retry: Type.Boolean(), dashboard: Type.Boolean(), metrics: Type.Boolean(), notices: Type.Boolean({ description: 'Record level-change notices and re-mark' }), disposal: Type.Boolean({ description: 'Copy, return and destroy carriers (Art. 6.4)' }) },
  { title: 'Abilities', description: 'What the role may do beyond uploading and reading: the page shows only that' },
);

export const Role = Type.Enum(['clerk', 'reviewer', 'admin'], { title: 'Role', description: 'What a token may do; the service\'s token is an admin' });

export const Me = Type.Union(
  [
    Type.Object({ kind: Type.Literal('user'), name: Type.String({ description: 'The user\'s name' }), role: Role, may: Abilities }),
    Type.Object({ kind: Type.Literal('service'), name: Type.Null(), role: Role, may: Abilities }),
  ],
  { title: 'Me', description: 'Who the token is: a user by their own token, or the service\'s shared token (an admin); and what they may do' },
);

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
export const Readiness = Type.Object(
  { ready: Type.Boolean(), checks: Type.Object({ redis: Check, register: Check, store: Check, workers: Check }) },
  { title: 'Readiness' },
);

export const Decided = Type.Object({ status: Type.Enum(['queued', 'rejected']), carrierId: CarrierId, links: Links }, { title: 'Decided' });
export const Retried = Type.Object({ status: Type.Literal('queued'), round: Type.Integer(), carrierId: CarrierId, links: Links }, { title: 'Retried' });

// ---------------------------------------------------------------------------------------------
// Requests

export const CarrierParams = Type.Object({ id: CarrierId });

const NonBlank = (description: string) => Type.String({ minLength: 1, pattern: '\\S', description });

export const Decision = Type.Object(
  {
    level: Type.Optional(Level),
    reject: Type.Optional(Type.Boolean({ description: 'true: the carrier is rejected (then no level)' })),
    reference: NonBlank('The written permission or decision reference'),
    decidedBy: Type.Optional(NonBlank('Who decided; with a user\'s own token it may be left out (the user is recorded), and must otherwise be that user\'s name')),
  },
  { title: 'Decision', description: 'A level (never below any level found or the source\'s) or a rejection ("reject": true), with its reference' },
);

export const RetryRequest = Type.Object(
  {
    reason: NonBlank('Why: the fault mended, the decision taken'),
    by: Type.Optional(NonBlank('Who; with a personal token its holder (another name: 403)')),
  },
  { title: 'RetryRequest' },
);

/** The upload form's fields (multipart/form-data; the route reads the stream itself and checks these). */
export const UploadForm = Type.Object(
  {
    file: Type.String({ format: 'binary', description: 'The carrier; its name\'s extension says its type (.pdf .png .jpg .jpeg .tif .tiff)' }),
    from: Party,
    to: Type.Optional(Type.Enum([...PARTY_IDS], { description: 'The receiving Party; default: the other one' })),
    russian: Type.Optional(Type.Enum(['true', 'false'], { description: 'Whether the receiving side stamps in Russian' })),
    derivedFrom: Type.Optional(
      Type.String({ pattern: '^([0-9a-f]{32}-(KZ-KG|KG-KZ)|[0-9a-fA-F]{64})$', description: 'For a translation or copy: the source carrier\'s register id or SHA-256 (64 hex digits)' }),
    ),
    transfer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'The transfer it came in: the sender\'s covering letter or dispatch list (Art. 5.3); grif confirm confirms receipt per transfer' })),
    senderReference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'The sender\'s own reference of this carrier, as the transfer lists it' })),
    joint: Type.Optional(Type.Enum(['true', 'false'], { description: 'Produced jointly by both Parties: its level then changes only on both Parties\' notices (Art. 6.3)' })),
  },
  { title: 'UploadForm' },
);

/** The form's fields besides the file, as the upload route checks them. */
export const UploadFields = Type.Omit(UploadForm, ['file']);

export const RegisterQuery = Type.Object({
  search: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'What a clerk looks for: words found in the name, id or incoming number, SHA-256, levels in any language, decidedBy, reference, event kinds, ' +
        'or the dates (2026-03-04 or 04.03.2026, UTC). Case and look-alike letters do not matter; every word must be found.',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
});

export const SearchQuery = Type.Object({ search: Type.Optional(Type.String({ maxLength: 1000, description: 'As for GET /register' })) });

export const PageQuery = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1, description: 'The page, from 1' }) });

export const DashboardQuery = Type.Object({ token: Type.Optional(Type.String({ description: 'A browser may pass the token once; it is then kept in a read-only HttpOnly cookie' })) });

// ---------------------------------------------------------------------------------------------
// After intake: transfers and confirmations of receipt (Art. 5.3), level-change notices (Art. 6.3)

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, YYYY-MM-DD' });
const Text200 = (description: string) => Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description });

export const TransferCarrier = Type.Object(
  {
    carrierId: CarrierId,
    incoming: Type.String(),
    name: Type.String(),
    senderReference: Nullable(Type.String()),
    receivedAt: DateTime,
    status: Type.String({ description: 'Where it stands in the register' }),
    confirmed: Nullable(Type.String(), 'The outgoing number of the confirmation that lists it; null until confirmed'),
  },
  { title: 'TransferCarrier' },
);

export const Transfer = Type.Object(
  {
    transfer: Type.String({ description: "The sender's covering letter or dispatch list, as given at intake" }),
    carriers: Type.Array(TransferCarrier),
    unconfirmed: Type.Integer({ minimum: 0 }),
    confirmations: Type.Array(Type.Object({ number: Type.String(), pdf: Type.String({ description: 'GET it for the PDF' }) })),
  },
  { title: 'Transfer' },
);

export const TransferList = Type.Object({ items: Type.Array(Transfer) }, { title: 'TransferList', description: 'Transfers, newest first' });

export const ConfirmRequest = Type.Object(
  {
    authority: Type.Optional(Text200('The receiving authority that confirms; default: the service\'s (GRIF_AUTHORITY)')),
    by: Type.Optional(Text200('Who signs it; with a personal token its holder')),
  },
  { title: 'ConfirmRequest' },
);

export const Confirmation = Type.Object(
  {
    number: Type.String({ description: 'Its outgoing number, as the registry writes it' }),
    sha256: Sha256,
    carriers: Type.Array(CarrierId),
    links: Type.Object({ pdf: Type.String() }),
  },
  { title: 'Confirmation' },
);

export const TransferParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 200 }) });
export const OutgoingParams = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 9999 }), seq: Type.Integer({ minimum: 1 }) });

export const LevelChange = Type.Enum([...LEVEL_IDS, 'removed'], { title: 'LevelChange', description: 'The new level, or removed' });

export const PartyNotice = Type.Object(
  {
    from: Party,
    reference: Text200("The notice's reference (its number)"),
    date: Day,
    authority: Text200('The originating authority that wrote it'),
    received: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The day it was received (the 30 days run from it); default today' })),
  },
  { title: 'PartyNotice' },
);

export const NoticeRequest = Type.Object(
  {
    carriers: Type.Array(CarrierId, { minItems: 1, maxItems: 500 }),
    level: LevelChange,
    notices: Type.Array(PartyNotice, { minItems: 1, maxItems: 2, description: "The originating authority's notice; both Parties' for a jointly produced carrier" }),
    by: Type.Optional(Text200('Who records it; with a personal token its holder')),
  },
  { title: 'NoticeRequest' },
);

export const NoticeRecorded = Type.Object(
  { recorded: Type.Array(Type.Object({ carrierId: CarrierId, created: Type.Boolean(), due: Day })) },
  { title: 'NoticeRecorded' },
);

export const PendingNotice = Type.Object(
  {
    carrierId: CarrierId,
    incoming: Type.String(),
    name: Type.String(),
    from: Party,
    change: LevelChange,
    references: Type.String(),
    recordedAt: DateTime,
    due: Day,
    daysLeft: Type.Integer({ description: 'Days to the due date: 0 on the last day, negative once overdue' }),
    overdue: Type.Boolean(),
  },
  { title: 'PendingNotice' },
);

export const PendingList = Type.Object({ items: Type.Array(PendingNotice), today: Day }, { title: 'PendingList', description: 'Notices not yet carried out, soonest due first' });

export const NoticeQuery = Type.Object({ today: Type.Optional(Day) });

export const RemarkRequest = Type.Object(
  {
    russian: Type.Optional(Type.Boolean({ description: 'Write the new marking (or its removal) in Russian too' })),
    by: Type.Optional(Text200('Who re-marks; with a personal token its holder')),
  },
  { title: 'RemarkRequest' },
);

export const Remarked = Type.Object(
  {
    carrierId: CarrierId,
    change: LevelChange,
    struck: Type.Integer({ minimum: 0, description: 'Markings struck through' }),
    outputSha256: Sha256,
    derived: Type.Array(
      Type.Object({ carrierId: CarrierId, name: Type.String(), level: Nullable(Level), lower: Type.Boolean({ description: 'Lower than its source now: to be re-marked too' }) }),
    ),
    links: Type.Object({ pdf: Type.String() }),
  },
  { title: 'Remarked' },
);

// Copies, returns and destruction (Art. 6.4); the inventory (Art. 6.2).

export const CopyRequest = Type.Object(
  {
    permission: Text200("The originator's written permission (its reference): without it nothing is copied"),
    count: Type.Integer({ minimum: 1, maximum: 100, description: 'How many copies' }),
    by: Type.Optional(Text200('Who makes them; with a personal token its holder')),
  },
  { title: 'CopyRequest' },
);

export const CopyParams = Type.Object({ id: CarrierId, number: Type.Integer({ minimum: 1, maximum: 100000 }) });

export const CopiesMade = Type.Object(
  {
    carrierId: CarrierId,
    copies: Type.Array(Type.Object({ number: Type.Integer({ minimum: 1 }), sha256: Sha256, pdf: Type.String({ description: 'Where to download it' }) })),
  },
  { title: 'CopiesMade' },
);

export const ReturnRequest = Type.Object(
  {
    carriers: Type.Array(CarrierId, { minItems: 1, maxItems: 500 }),
    notice: Text200("The originator's written notice asking for them back"),
    reference: Text200('The dispatch that sends them back (covering letter, dispatch list)'),
    date: Day,
    by: Type.Optional(Text200('Who sends them back; with a personal token its holder')),
  },
  { title: 'ReturnRequest' },
);

export const ReturnsRecorded = Type.Object(
  { returned: Type.Array(Type.Object({ carrierId: CarrierId, copies: Type.Array(Type.Integer({ minimum: 1 })) })) },
  { title: 'ReturnsRecorded' },
);

export const DestructionRequest = Type.Object(
  {
    carriers: Type.Array(CarrierId, { minItems: 1, maxItems: 500 }),
    notice: Text200("The originator's written notice to destroy them"),
    act: Type.String({ minLength: 1, maxLength: ACT_NUMBER_MAX, pattern: ACT_NUMBER_PATTERN, description: "The act's number as written on paper (\"№ 12/2026\"): one line, not \".\" or \"..\"" }),
    members: Type.Array(Text200('A member who destroys them'), { minItems: 2, maxItems: 10, description: 'At least two people' }),
    date: Type.Optional(Day),
    how: Type.Optional(Text200('How the paper copies were destroyed')),
    russian: Type.Optional(Type.Boolean({ description: 'The act also in Russian' })),
    by: Type.Optional(Text200('Who records it; with a personal token its holder')),
  },
  { title: 'DestructionRequest' },
);

export const ActParams = Type.Object({ act: Type.String({ minLength: 1, maxLength: ACT_NUMBER_MAX }) });

export const DestructionDone = Type.Object(
  {
    act: Type.String(),
    actSha256: Sha256,
    carriers: Type.Array(Type.Object({ carrierId: CarrierId, incoming: Type.String(), copies: Type.Array(Type.Integer({ minimum: 1 })) })),
    sought: Type.Array(Type.Object({ sha256: Sha256, what: Type.String() })),
    wiped: Type.Integer({ minimum: 0, description: 'Files wiped' }),
    search: Type.Object({ files: Type.Integer({ minimum: 0 }), bytes: Type.Integer({ minimum: 0 }), found: Type.Integer({ minimum: 0, description: 'Files still holding the contents: always 0 when answered' }) }),
    links: Type.Object({ pdf: Type.String() }),
  },
  { title: 'DestructionDone' },
);

export const InventoryQuery = Type.Object({ asOf: Type.Optional(Day), since: Type.Optional(Day) });

const Counts = Type.Object(
  { received: Type.Integer({ minimum: 0 }), onHand: Type.Integer({ minimum: 0 }), returned: Type.Integer({ minimum: 0 }), destroyed: Type.Integer({ minimum: 0 }) },
  { title: 'InventoryCounts' },
);
const InventoryLine = Type.Object({
  carrierId: CarrierId,
  incoming: Type.String(),
  copy: Nullable(Type.Integer({ minimum: 1 })),
  name: Type.String(),
  from: Party,
  level: Nullable(Level),
  state: Type.String(),
  standing: Type.Enum(['on-hand', 'returned', 'destroyed']),
  since: Type.String(),
  ended: Nullable(Type.Object({ at: Type.String(), reference: Nullable(Type.String()) })),
}, { title: 'InventoryLine' });

export const Inventory = Type.Object(
  {
    asOf: Day,
    since: Day,
    carriers: Counts,
    copies: Counts,
    addsUp: Type.Boolean({ description: 'received = on hand + returned + destroyed, for carriers and for copies' }),
    onHandBy: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0 }))),
    notices: Type.Array(Type.Object({ carrierId: CarrierId, incoming: Type.String(), change: LevelChange, due: Day, overdue: Type.Boolean() })),
    ended: Type.Array(InventoryLine),
    lines: Type.Array(InventoryLine),
  },
  { title: 'Inventory' },
);

/** The types the web page uses, generated into web/src/api-types.ts (scripts/api-types.ts). */
export const WEB_TYPES = {
  Level,
  Party,
  Stage,
  StampFound,
  UnreadMark,
  ReviewReason,
  ErrorBody,
  Accepted,
  CarrierStatus,
  ReviewItem,
  ReviewList,
  RegisterEvent,
  RegisterEntry,
  RegisterPage,
  Receipt,
  Abilities,
  Me,
  Decision,
  Decided,
  RetryRequest,
  TransferList,
  Confirmation,
  PendingList,
  NoticeRequest,
  NoticeRecorded,
  Remarked,
  CopiesMade,
  ReturnRequest,
  ReturnsRecorded,
  DestructionRequest,
  DestructionDone,
  Inventory,
} as const;

export type CarrierStatusBody = Static<typeof CarrierStatus>;
export type AcceptedBody = Static<typeof Accepted>;
export type ReviewItemBody = Static<typeof ReviewItem>;
export type DecisionBody = Static<typeof Decision>;
export type RetryBody = Static<typeof RetryRequest>;
export type RegisterQueryValue = Static<typeof RegisterQuery>;
export type UploadFieldValues = Static<typeof UploadFields>;
export type NoticeRequestBody = Static<typeof NoticeRequest>;
export type ConfirmRequestBody = Static<typeof ConfirmRequest>;
export type RemarkRequestBody = Static<typeof RemarkRequest>;
export type CopyRequestBody = Static<typeof CopyRequest>;
export type ReturnRequestBody = Static<typeof ReturnRequest>;
export type DestructionRequestBody = Static<typeof DestructionRequest>;
export type InventoryQueryValue = Static<typeof InventoryQuery>;
