/** The HTTP intake's OpenAPI 3.1 document, written by hand: exactly the routes src/http/server.ts serves. */
import { EVENT_KINDS } from '../register/register.js';
import { CARRIER_STATES } from '../register/states.js';

const error = { $ref: '#/components/responses/Error' } as const;
const unauthorized = { $ref: '#/components/responses/Unauthorized' } as const;
const carrierId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The carrier id: the first 32 hex digits of its SHA-256, then the sending and receiving Party.',
  schema: { $ref: '#/components/schemas/CarrierId' },
} as const;
const json = (schema: object) => ({ 'application/json': { schema } });
const page = { name: 'page', in: 'query', required: false, description: 'The page, from 1 (default 1).', schema: { type: 'integer', minimum: 1, default: 1 } } as const;
const png = { description: 'PNG image', content: { 'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } } } } as const;

const CHECK = { type: 'object', properties: { ok: { type: 'boolean' }, detail: { type: 'string' } }, required: ['ok'] };
const READINESS = {
  type: 'object',
  required: ['ready', 'checks'],
  properties: { ready: { type: 'boolean' }, checks: { type: 'object', properties: { redis: CHECK, register: CHECK, store: CHECK, workers: CHECK } } },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'grif stamping service',
    version: '1',
    description:
      'Intake of classified carriers exchanged between the Republic of Kazakhstan and the Kyrgyz Republic: upload a carrier, ' +
      'follow it through extraction, detection and stamping, download the stamped PDF and its receipt, decide carriers held for review, ' +
      'and read the register (Art. 6.2). Every route but GET /livez, GET /readyz and the web page (/ and its files under /web/) needs a bearer token ' +
      'in the Authorization header: the service\'s (an admin), or a user\'s own (grif users add NAME --role clerk|reviewer|admin), with which review ' +
      'decisions are recorded under that user\'s name. Clerks upload and read; reviewers also decide reviews; admins also retry carriers and read ' +
      '/metrics and the read-only queue dashboard. A route the role may not use answers 403; a request from a page of another site, 403.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  tags: [
    { name: 'carriers' },
    { name: 'review' },
    { name: 'register' },
    { name: 'operations' },
  ],
  paths: {
    '/': {
      get: {
        tags: ['operations'],
        summary: 'The web page for intake clerks and reviewers (HTML; its files under /web/). It loads without the token and asks for it',
        security: [],
        responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/livez': {
      get: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        security: [],
        responses: { '200': { description: 'Up', content: json({ type: 'object', properties: { ok: { const: true } }, required: ['ok'] }) } },
      },
    },
    '/readyz': {
      get: {
        tags: ['operations'],
        summary: 'Readiness: Redis and the register answer, the store can be written, every stage has a worker (each check has 2 s)',
        security: [],
        responses: {
          '200': { description: 'Ready', content: json(READINESS) },
          '503': { description: 'Not ready: the checks say which part is down', content: json(READINESS) },
        },
      },
    },
    '/me': {
      get: {
        tags: ['operations'],
        summary: 'Who the token is: a user (their own token, from grif users add) by name, or the service (its token; decisions made with it name who decided in "decidedBy")',
        responses: {
          '200': {
            description: 'The token\'s holder',
            content: json({
              type: 'object',
              required: ['name', 'kind', 'role', 'may'],
              properties: {
                name: { type: ['string', 'null'], description: 'The user\'s name; null for the service\'s token' },
                kind: { enum: ['user', 'service'] },
                role: { enum: ['clerk', 'reviewer', 'admin'], description: 'The service\'s token is an admin' },
                may: {
                  type: 'object',
                  description: 'What the role may do beyond uploading and reading: the page shows only that',
                  properties: { review: { type: 'boolean' }, retry: { type: 'boolean' }, dashboard: { type: 'boolean' }, metrics: { type: 'boolean' } },
                },
              },
            }),
          },
          '401': unauthorized,
        },
      },
    },
    '/carriers': {
      post: {
        tags: ['carriers'],
        summary: 'Upload a carrier (PDF, PNG, JPEG or TIFF) to be stamped',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file', 'from'],
                properties: {
                  file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The carrier; its name\'s extension says its type (.pdf .png .jpg .jpeg .tif .tiff).' },
                  from: { $ref: '#/components/schemas/Party' },
                  to: { $ref: '#/components/schemas/Party', description: 'The receiving Party; default: the other one.' },
                  russian: { type: 'string', enum: ['true', 'false'], description: 'Whether the receiving side stamps in Russian.' },
                  derivedFrom: { type: 'string', description: 'For a translation or copy: the source carrier\'s register id or SHA-256.' },
                },
              },
            },
          },
        },
        responses: {
          '202': { description: 'Accepted (queued), already being processed, or a duplicate of a carrier received before', content: json({ $ref: '#/components/schemas/Accepted' }) },
          '400': error,
          '401': unauthorized,
          '413': error,
          '415': error,
        },
      },
    },
    '/carriers/{id}': {
      get: {
        tags: ['carriers'],
        summary: 'Where a carrier stands',
        parameters: [carrierId],
        responses: { '200': { description: 'Status', content: json({ $ref: '#/components/schemas/CarrierStatus' }) }, '400': error, '401': unauthorized, '404': error },
      },
    },
    '/carriers/{id}/retry': {
      post: {
        tags: ['carriers'],
        summary: 'Take a parked or rejected carrier again: a new round through every stage, recorded in the register with who and why',
        parameters: [carrierId],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['reason'],
            properties: {
              reason: { type: 'string', minLength: 1, description: 'Why: the fault mended, the decision taken' },
              by: { type: 'string', minLength: 1, description: "Who; with a personal token its holder (another name: 403)" },
            },
          }),
        },
        responses: {
          '202': { description: 'Queued again', content: json({ type: 'object', properties: { status: { const: 'queued' }, round: { type: 'integer' }, carrierId: { $ref: '#/components/schemas/CarrierId' } } }) },
          '400': error,
          '401': unauthorized,
          '403': error,
          '404': error,
          '409': error,
        },
      },
    },
    '/carriers/{id}/pdf': {
      get: {
        tags: ['carriers'],
        summary: 'The stamped PDF; for an unmarked carrier (or one already bearing the receiving side\'s marking), the carrier unchanged',
        parameters: [carrierId],
        responses: {
          '200': {
            description: 'The file, as an attachment',
            content: {
              'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } },
              'image/png': { schema: { type: 'string' } },
              'image/jpeg': { schema: { type: 'string' } },
              'image/tiff': { schema: { type: 'string' } },
            },
          },
          '400': error,
          '401': unauthorized,
          '404': error,
        },
      },
    },
    '/carriers/{id}/receipt': {
      get: {
        tags: ['carriers'],
        summary: 'The receipt of a finished carrier (stamped or unmarked), or the error of a rejected one',
        parameters: [carrierId],
        responses: { '200': { description: 'Receipt', content: json({ type: 'object' }) }, '400': error, '401': unauthorized, '404': error },
      },
    },
    '/carriers/{id}/preview/original.png': {
      get: {
        tags: ['carriers'],
        summary: 'A page of the carrier as received, rendered about 1000 px wide (for the web page); rendered once, then kept',
        parameters: [carrierId, page],
        responses: { '200': png, '400': error, '401': unauthorized, '404': error },
      },
    },
    '/carriers/{id}/preview/stamped.png': {
      get: {
        tags: ['carriers'],
        summary: 'A page of the stamped PDF (or of the carrier handed back unchanged), rendered like the original\'s',
        parameters: [carrierId, page],
        responses: { '200': png, '400': error, '401': unauthorized, '404': error },
      },
    },
    '/review': {
      get: {
        tags: ['review'],
        summary: 'Carriers waiting for a person\'s decision, oldest first (a carrier decided leaves the list at once)',
        responses: {
          '200': { description: 'The carriers in review', content: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ReviewItem' } } } }) },
          '401': unauthorized,
        },
      },
    },
    '/review/{id}': {
      post: {
        tags: ['review'],
        summary: 'Decide a carrier in review: a level (never below any level found or the source\'s), or a rejection',
        description:
          'The register records who decided: with a user\'s own token, that user (decidedBy may be left out; any other name is refused with 403); ' +
          'with the service\'s token, the name given in decidedBy.',
        parameters: [carrierId],
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/Decision' }) },
        responses: {
          '202': { description: 'Recorded in the register; the carrier is queued for stamping or rejected', content: json({ type: 'object', required: ['status'], properties: { status: { enum: ['queued', 'rejected'] }, carrierId: { $ref: '#/components/schemas/CarrierId' }, links: { $ref: '#/components/schemas/Links' } } }) },
          '400': error,
          '401': unauthorized,
          '403': { description: 'A user\'s own token with a decidedBy naming someone else', content: json({ $ref: '#/components/schemas/Error' }) },
          '404': error,
          '409': error,
          '422': error,
        },
      },
    },
    '/register': {
      get: {
        tags: ['register'],
        summary: 'The register (Art. 6.2), newest first',
        parameters: [
          {
            name: 'search',
            in: 'query',
            schema: { type: 'string' },
            description:
              'What a clerk looks for: words found in the name, id or incoming number (the id\'s first 8 hex digits), SHA-256, ' +
              'levels in any language (Article 3 names in kk, ky, ru; level ids; English words), decidedBy, reference, event kinds, ' +
              'or the dates (2026-03-04 or 04.03.2026, UTC). Case and look-alike letters (Latin C for Cyrillic С, к for қ) do not matter; ' +
              'a query that is exactly a level\'s name finds the carriers at that level. Every word must be found.',
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
        ],
        responses: {
          '200': {
            description: 'Entries with all their events',
            content: json({
              type: 'object',
              required: ['entries'],
              properties: {
                entries: { type: 'array', items: { $ref: '#/components/schemas/RegisterEntry' } },
                total: { type: 'integer', description: 'With a search: how many carriers match it in all' },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
              },
            }),
          },
          '400': error,
          '401': unauthorized,
        },
      },
    },
    '/register/{id}': {
      get: {
        tags: ['register'],
        summary: 'One carrier\'s register entry with all its events, oldest first (its status and downloads: GET /carriers/{id})',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { $ref: '#/components/schemas/CarrierId' } }],
        responses: { '200': { description: 'The entry', content: json({ $ref: '#/components/schemas/RegisterEntry' }) }, '400': error, '401': unauthorized, '404': error },
      },
    },
    '/register.csv': {
      get: {
        tags: ['register'],
        summary: 'The register as CSV: one line per carrier with its latest decision',
        parameters: [{ name: 'search', in: 'query', schema: { type: 'string' }, description: 'As for GET /register' }],
        responses: { '200': { description: 'CSV (RFC 4180)', content: { 'text/csv': { schema: { type: 'string' } } } }, '401': unauthorized },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics (carriers by outcome, pages, failures, stage latencies, queue depth)',
        responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } }, '401': unauthorized },
      },
    },
    '/openapi.json': {
      get: {
        tags: ['operations'],
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) }, '401': unauthorized },
      },
    },
    '/queues': {
      get: {
        tags: ['operations'],
        summary: 'Queue dashboard (bull-board, HTML). A browser may pass the token once as ?token=; it is then kept in an HttpOnly cookie',
        parameters: [{ name: 'token', in: 'query', required: false, schema: { type: 'string' } }],
        security: [{ bearer: [] }, { cookie: [] }, { query: [] }],
        responses: { '200': { description: 'The dashboard', content: { 'text/html': { schema: { type: 'string' } } } }, '401': unauthorized },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'GRIF_TOKEN, or the token grif up printed at start (DIR/http.token); or a user\'s own, from grif users add (DIR/users.json)' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'grif_token' },
      query: { type: 'apiKey', in: 'query', name: 'token', description: 'Only on /queues' },
    },
    responses: {
      Error: { description: 'What went wrong, in words a clerk can act on', content: json({ $ref: '#/components/schemas/Error' }) },
      Unauthorized: { description: 'No token, or a wrong one', content: json({ $ref: '#/components/schemas/Error' }) },
    },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, code: { type: 'string' } } },
      CarrierId: { type: 'string', pattern: '^[0-9a-f]{32}-(KZ-KG|KG-KZ)$' },
      Party: { type: 'string', enum: ['KZ', 'KG'] },
      Level: { type: 'string', enum: ['special-importance', 'top-secret', 'secret'] },
      Links: { type: 'object', properties: { self: { type: 'string' } } },
      Accepted: {
        type: 'object',
        required: ['carrierId', 'status', 'links'],
        properties: {
          carrierId: { $ref: '#/components/schemas/CarrierId' },
          status: { enum: ['queued', 'in-progress', 'duplicate'] },
          firstName: { type: 'string', description: 'For a duplicate: the name the carrier was first received under' },
          links: { $ref: '#/components/schemas/Links' },
        },
      },
      CarrierStatus: {
        type: 'object',
        required: ['carrierId', 'incoming', 'name', 'from', 'to', 'receivedAt', 'stage', 'level', 'stamps', 'detail', 'downloads'],
        properties: {
          carrierId: { $ref: '#/components/schemas/CarrierId' },
          incoming: { type: 'string', description: 'The incoming number the register gave it, as the registry writes it ("17/2026")' },
          name: { type: 'string' },
          from: { $ref: '#/components/schemas/Party' },
          to: { $ref: '#/components/schemas/Party' },
          receivedAt: { type: 'string', format: 'date-time' },
          stage: {
            enum: ['queued', 'extracting', 'detecting', 'stamping', 'stamped', 'unmarked', 'already-marked', 'review', 'rejected', 'parked'],
            description:
              "How far it is, or how it ended; 'already-marked': it bore the receiving side's marking already, nothing was added; 'parked': a fault of the service outlasted its retries, and it waits to be retried (links.retry)",
          },
          progress: { type: 'object', properties: { page: { type: 'integer' }, pages: { type: 'integer' } } },
          job: { type: 'object', description: 'The live queue job, while there is one', properties: { queue: { type: 'string' }, state: { type: 'string' }, attempts: { type: 'integer' } } },
          level: { oneOf: [{ $ref: '#/components/schemas/Level' }, { type: 'null' }] },
          stamps: { type: 'array', items: { type: 'object' } },
          detail: { type: ['string', 'null'], description: 'The latest decision\'s words (English): in review, why; rejected, the error' },
          reasons: { type: 'array', items: { type: 'string' }, description: 'In review: why, one English sentence each (detail joins them)' },
          reasonCodes: { type: 'array', items: { $ref: '#/components/schemas/ReviewReason' }, description: 'In review: the same as codes, for a page in another language' },
          errorCode: { $ref: '#/components/schemas/ErrorCode' },
          downloads: { type: 'object', properties: { pdf: { type: 'string' }, receipt: { type: 'string' } } },
          links: { type: 'object', properties: { retry: { type: 'string', description: 'For a parked or rejected carrier: POST here to take it again' } } },
        },
      },
      ReviewItem: {
        type: 'object',
        properties: {
          carrierId: { $ref: '#/components/schemas/CarrierId' },
          name: { type: 'string' },
          from: { $ref: '#/components/schemas/Party' },
          to: { $ref: '#/components/schemas/Party' },
          verdict: { type: 'string' },
          minLevel: { oneOf: [{ $ref: '#/components/schemas/Level' }, { type: 'null' }] },
          candidates: { type: 'array', items: { $ref: '#/components/schemas/Level' } },
          stamps: { type: 'array', items: { type: 'object' } },
          unreadMarks: {
            type: 'array',
            description: 'Stamp-like marks (a frame, a ring, coloured ink) that could not be read: outline them for the person deciding',
            items: {
              type: 'object',
              required: ['page', 'bbox', 'kind', 'coloured'],
              properties: {
                page: { type: 'integer', minimum: 1 },
                bbox: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description: '[x0, y0, x1, y1] in the units of pageSizes, origin top left' },
                kind: { enum: ['frame', 'ring', 'coloured-ink', 'turned-text'] },
                coloured: { type: 'boolean' },
              },
            },
          },
          reasons: { type: 'array', items: { type: 'string' }, description: 'Why a person must decide, in English' },
          reasonCodes: { type: 'array', items: { $ref: '#/components/schemas/ReviewReason' }, description: 'The same as codes, for a page in another language' },
          writtenAt: { type: 'string', format: 'date-time' },
          pageSizes: {
            description: 'Each page\'s size in the units of its stamps\' boxes (null for a page without one); null before extraction',
            oneOf: [
              { type: 'array', items: { oneOf: [{ type: 'object', properties: { width: { type: 'number' }, height: { type: 'number' } } }, { type: 'null' }] } },
              { type: 'null' },
            ],
          },
        },
      },
      ReviewReason: {
        type: 'object',
        required: ['code', 'index'],
        properties: {
          code: { enum: ['not-equivalent', 'weak-evidence', 'unreadable-mark', 'source-undecided', 'derived-undecided', 'derived-unmarked', 'lower-than-source', 'higher-than-source', 'source-not-registered'] },
          levels: {
            type: 'object',
            description: 'The levels the reason speaks of',
            properties: {
              found: { type: 'array', items: { $ref: '#/components/schemas/Level' }, description: 'not-equivalent: the levels the strong markings name' },
              atLeast: { $ref: '#/components/schemas/Level', description: 'weak-evidence: the lowest level a person may choose' },
              carrier: { $ref: '#/components/schemas/Level', description: 'lower-than-source, higher-than-source: the carrier\'s level' },
              source: { $ref: '#/components/schemas/Level', description: 'derived-unmarked, lower-than-source, higher-than-source: the source\'s level' },
            },
          },
          sourceId: { type: 'string', description: 'source-not-registered: the source as the carrier names it' },
          index: { type: 'integer', minimum: 0, description: 'The index in reasons of the English sentence this stands for' },
        },
      },
      ErrorCode: {
        type: 'string',
        description: 'A rejection\'s code beside its English error: input/… (encrypted, damaged, wrong-content, too-many-pixels, too-many-pages, too-large, unsupported-type, …), ocr/…, stamp/failed, review/refused, review/rejected (a person\'s decision), inbox/… (no-party, bad-sidecar, too-large, …), or internal',
      },
      Decision: {
        description: 'decidedBy: who decided; with a user\'s own token it may be left out (the user is recorded), and must otherwise be that user\'s name',
        oneOf: [
          {
            type: 'object',
            required: ['level', 'reference'],
            properties: { level: { $ref: '#/components/schemas/Level' }, reference: { type: 'string', minLength: 1 }, decidedBy: { type: 'string', minLength: 1 } },
          },
          {
            type: 'object',
            required: ['reject', 'reference'],
            properties: { reject: { const: true }, reference: { type: 'string', minLength: 1 }, decidedBy: { type: 'string', minLength: 1 } },
          },
        ],
      },
      RegisterEntry: {
        type: 'object',
        properties: {
          id: { $ref: '#/components/schemas/CarrierId' },
          incoming: { type: ['object', 'null'], properties: { year: { type: 'integer' }, seq: { type: 'integer', minimum: 1 } }, description: 'The incoming number: the seq-th carrier received in that year' },
          incomingNumber: { type: 'string', description: 'The same, as the registry writes it ("17/2026")' },
          status: { type: 'string', description: "Where it stands: its state (received, extracted, to-stamp, review, decided, stamped, rejected, parked), an unchanged carrier as 'unmarked' or 'already-marked'" },
          receivedAt: { type: 'string', format: 'date-time' },
          name: { type: 'string' },
          from: { $ref: '#/components/schemas/Party' },
          to: { $ref: '#/components/schemas/Party' },
          inputSha256: { type: 'string' },
          kind: { enum: ['carrier', 'copy'] },
          derivedFrom: { type: ['string', 'null'] },
          intake: { enum: ['inbox', 'http', 'cli'] },
          events: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                seq: { type: 'integer' },
                n: { type: 'integer', description: "The event's place in the register's hash chain" },
                at: { type: 'string', format: 'date-time' },
                kind: { enum: [...EVENT_KINDS] },
                state: { oneOf: [{ enum: [...CARRIER_STATES] }, { type: 'null' }], description: "The carrier's state after this event; null for a note" },
                level: { oneOf: [{ $ref: '#/components/schemas/Level' }, { type: 'null' }] },
                stamps: { type: 'array', items: { type: 'object' } },
                decidedBy: { type: 'string' },
                reference: { type: ['string', 'null'] },
                outputSha256: { type: ['string', 'null'] },
                outputPath: { type: ['string', 'null'] },
                detail: { type: ['string', 'null'] },
                prevHash: { type: 'string' },
                hash: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;
