/**
 * The HTTP API's types as the web page uses them. Generated from src/http/api-schema.ts by
 * scripts/api-types.ts (`npm run api-types`): do not edit by hand.
 */

/**
 * An Article 3 level, by its id
 */
export type Level = "special-importance" | "top-secret" | "secret";
/**
 * A Party to the agreement
 */
export type Party = "KZ" | "KG";
/**
 * How far a carrier is, or how it ended; 'already-marked': it bore the receiving side's marking already, nothing was added; 'parked': a fault of the service outlasted its retries, and it waits to be retried (links.retry)
 */
export type Stage =
  | "queued"
  | "extracting"
  | "detecting"
  | "stamping"
  | "stamped"
  | "unmarked"
  | "already-marked"
  | "review"
  | "rejected"
  | "parked";
export type Lang = "kk" | "ky" | "ru";
/**
 * A carrier's id: the first 32 hex digits of its SHA-256, then the sending and receiving Party
 */
export type CarrierId = string;
/**
 * Who the token is: a user by their own token, or the service's shared token (an admin); and what they may do
 */
export type Me =
  | {
      kind: "user";
      /**
       * The user's name
       */
      name: string;
      role: Role;
      may: Abilities;
    }
  | {
      kind: "service";
      name: null;
      role: Role;
      may: Abilities;
    };
/**
 * What a token may do; the service's token is an admin
 */
export type Role = "clerk" | "reviewer" | "admin";
/**
 * The new level, or removed
 */
export type LevelChange = "special-importance" | "top-secret" | "secret" | "removed";

/**
 * A marking found on the carrier
 */
export interface StampFound {
  level: Level;
  lang: Lang;
  page: number;
  evidence?: "strong" | "weak";
  /**
   * [x0, y0, x1, y1] in the units of the page's size, origin top left
   *
   * @minItems 4
   * @maxItems 4
   */
  bbox?: [number, number, number, number];
}
/**
 * A stamp-like mark (a frame, a ring, coloured ink) that could not be read: outline it for the person deciding
 */
export interface UnreadMark {
  page: number;
  /**
   * [x0, y0, x1, y1] in the units of the page's size, origin top left
   *
   * @minItems 4
   * @maxItems 4
   */
  bbox: [number, number, number, number];
  kind: "frame" | "ring" | "coloured-ink" | "turned-text";
  coloured: boolean;
}
/**
 * Why a carrier waits for a person, as a code (the English sentence is reasons[index])
 */
export interface ReviewReason {
  code:
    | "not-equivalent"
    | "weak-evidence"
    | "unreadable-mark"
    | "source-undecided"
    | "derived-undecided"
    | "derived-unmarked"
    | "lower-than-source"
    | "higher-than-source"
    | "source-not-registered";
  /**
   * The levels the reason speaks of
   */
  levels?: {
    /**
     * not-equivalent: the levels the strong markings name
     */
    found?: Level[];
    /**
     * weak-evidence: the lowest level a person may choose
     */
    atLeast?: "special-importance" | "top-secret" | "secret";
    /**
     * lower-than-source, higher-than-source: the carrier's level
     */
    carrier?: "special-importance" | "top-secret" | "secret";
    /**
     * derived-unmarked, lower-than-source, higher-than-source: the source's level
     */
    source?: "special-importance" | "top-secret" | "secret";
  };
  /**
   * source-not-registered: the source as the carrier names it
   */
  sourceId?: string;
  /**
   * The index in reasons of the English sentence this stands for
   */
  index: number;
}
export interface ErrorBody {
  /**
   * What went wrong, in words a clerk can act on
   */
  error: string;
  /**
   * The error's code (src/error-codes.ts)
   */
  code?: string;
}
/**
 * Accepted (queued), already being processed, or a duplicate of a carrier received before
 */
export interface Accepted {
  carrierId: CarrierId;
  status: "queued" | "in-progress" | "duplicate";
  /**
   * For a duplicate: the name the carrier was first received under
   */
  firstName?: string;
  links: {
    self: string;
  };
}
/**
 * Where a carrier stands
 */
export interface CarrierStatus {
  carrierId: CarrierId;
  /**
   * The incoming number the register gave it, as the registry writes it ("17/2026")
   */
  incoming: string;
  name: string;
  from: Party;
  to: Party;
  receivedAt: string;
  stage: Stage;
  progress?: {
    page: number;
    pages: number;
  };
  /**
   * The live queue job, while there is one
   */
  job?: {
    queue: string;
    state: string;
    attempts: number;
  };
  level: Level | null;
  stamps: StampFound[];
  /**
   * The latest decision's words (English): in review, why; rejected, the error
   */
  detail: string | null;
  /**
   * In review: why, one English sentence each (detail joins them)
   */
  reasons?: string[];
  /**
   * In review: the same as codes, for a page in another language
   */
  reasonCodes?: ReviewReason[];
  /**
   * Rejected or parked: the error's code beside the English in detail (input/…, ocr/…, stamp/failed, review/rejected, inbox/…, internal)
   */
  errorCode?: string;
  downloads: {
    pdf?: string;
    receipt?: string;
  };
  links: {
    /**
     * For a parked or rejected carrier: POST here to take it again
     */
    retry?: string;
  };
}
export interface ReviewItem {
  carrierId: CarrierId;
  name: string;
  from: Party;
  to: Party;
  verdict: string;
  minLevel: Level | null;
  candidates: Level[];
  stamps: StampFound[];
  unreadMarks?: UnreadMark[];
  /**
   * Why a person must decide, in English
   */
  reasons: string[];
  reasonCodes?: ReviewReason[];
  writtenAt: string;
  /**
   * Each page's size in the units of its stamps' boxes (null for a page without one); null before extraction
   */
  pageSizes: (PageSize | null)[] | null;
}
export interface PageSize {
  width: number;
  height: number;
}
/**
 * Carriers waiting for a person's decision, oldest first
 */
export interface ReviewList {
  items: ReviewItem[];
}
export interface RegisterEvent {
  seq: number;
  /**
   * The event's place in the register's hash chain
   */
  n: number;
  at: string;
  kind:
    | "registered"
    | "extracted"
    | "to-stamp"
    | "review"
    | "unmarked"
    | "already-marked"
    | "decision"
    | "stamped"
    | "rejected"
    | "parked"
    | "retried"
    | "notice"
    | "remarked"
    | "level-removed"
    | "returned"
    | "destroyed"
    | "verdict"
    | "duplicate"
    | "transfer"
    | "receipt-confirmed"
    | "jointly-produced"
    | "copied"
    | "wiped";
  /**
   * The carrier's state after this event; null for a note
   */
  state:
    | (
        | "received"
        | "extracted"
        | "to-stamp"
        | "review"
        | "decided"
        | "stamped"
        | "unchanged"
        | "rejected"
        | "parked"
        | "to-remark"
        | "declassified"
        | "returned"
        | "destroyed"
      )
    | null;
  level: Level | null;
  stamps: StampFound[];
  decidedBy: string;
  reference: string | null;
  outputSha256: string | null;
  outputPath: string | null;
  detail: string | null;
  prevHash: string;
  hash: string;
}
export interface RegisterEntry {
  id: CarrierId;
  /**
   * The incoming number: the seq-th carrier received in that year
   */
  incoming: {
    year: number;
    seq: number;
  } | null;
  /**
   * The same, as the registry writes it ("17/2026")
   */
  incomingNumber: string;
  /**
   * Where it stands: its state (received, extracted, to-stamp, review, decided, stamped, rejected, parked), an unchanged carrier as 'unmarked' or 'already-marked'
   */
  status: string;
  receivedAt: string;
  name: string;
  from: Party;
  to: Party;
  inputSha256: string;
  kind: "carrier" | "copy";
  derivedFrom: string | null;
  intake: "inbox" | "http" | "cli";
  /**
   * Oldest first
   */
  events: RegisterEvent[];
}
export interface RegisterPage {
  entries: RegisterEntry[];
  /**
   * With a search: how many carriers match it in all
   */
  total?: number;
  limit: number;
  offset: number;
}
/**
 * A finished carrier's receipt, or a rejected one's error (more fields than these may be present)
 */
export interface Receipt {
  /**
   * stamped, unmarked, already-marked, or rejected
   */
  status: string;
  level?: Level | null;
  /**
   * The markings grif added
   */
  added?: {
    lang: string;
    text: string;
  }[];
  decidedBy?: string;
  reference?: string;
  error?: string;
  errorCode?: string;
}
/**
 * What the role may do beyond uploading and reading: the page shows only that
 */
export interface Abilities {
  review: boolean;
  retry: boolean;
  dashboard: boolean;
  metrics: boolean;
  /**
   * Record level-change notices and re-mark
   */
  notices: boolean;
  /**
   * Copy, return and destroy carriers (Art. 6.4)
   */
  disposal: boolean;
}
/**
 * A level (never below any level found or the source's) or a rejection ("reject": true), with its reference
 */
export interface Decision {
  level?: Level;
  /**
   * true: the carrier is rejected (then no level)
   */
  reject?: boolean;
  /**
   * The written permission or decision reference
   */
  reference: string;
  /**
   * Who decided; with a user's own token it may be left out (the user is recorded), and must otherwise be that user's name
   */
  decidedBy?: string;
}
export interface Decided {
  status: "queued" | "rejected";
  carrierId: CarrierId;
  links: {
    self: string;
  };
}
export interface RetryRequest {
  /**
   * Why: the fault mended, the decision taken
   */
  reason: string;
  /**
   * Who; with a personal token its holder (another name: 403)
   */
  by?: string;
}
/**
 * Transfers, newest first
 */
export interface TransferList {
  items: Transfer[];
}
export interface Transfer {
  /**
   * The sender's covering letter or dispatch list, as given at intake
   */
  transfer: string;
  carriers: TransferCarrier[];
  unconfirmed: number;
  confirmations: {
    number: string;
    /**
     * GET it for the PDF
     */
    pdf: string;
  }[];
}
export interface TransferCarrier {
  carrierId: CarrierId;
  incoming: string;
  name: string;
  senderReference: string | null;
  receivedAt: string;
  /**
   * Where it stands in the register
   */
  status: string;
  /**
   * The outgoing number of the confirmation that lists it; null until confirmed
   */
  confirmed: string | null;
}
export interface Confirmation {
  /**
   * Its outgoing number, as the registry writes it
   */
  number: string;
  sha256: string;
  carriers: CarrierId[];
  links: {
    pdf: string;
  };
}
/**
 * Notices not yet carried out, soonest due first
 */
export interface PendingList {
  items: PendingNotice[];
  /**
   * A date, YYYY-MM-DD
   */
  today: string;
}
export interface PendingNotice {
  carrierId: CarrierId;
  incoming: string;
  name: string;
  from: Party;
  change: LevelChange;
  references: string;
  recordedAt: string;
  /**
   * A date, YYYY-MM-DD
   */
  due: string;
  /**
   * Days to the due date: 0 on the last day, negative once overdue
   */
  daysLeft: number;
  overdue: boolean;
}
export interface NoticeRequest {
  /**
   * @minItems 1
   * @maxItems 500
   */
  carriers: [CarrierId, ...CarrierId[]];
  level: LevelChange;
  /**
   * The originating authority's notice; both Parties' for a jointly produced carrier
   *
   * @minItems 1
   * @maxItems 2
   */
  notices: [PartyNotice] | [PartyNotice, PartyNotice];
  /**
   * Who records it; with a personal token its holder
   */
  by?: string;
}
export interface PartyNotice {
  from: Party;
  /**
   * The notice's reference (its number)
   */
  reference: string;
  /**
   * A date, YYYY-MM-DD
   */
  date: string;
  /**
   * The originating authority that wrote it
   */
  authority: string;
  /**
   * The day it was received (the 30 days run from it); default today
   */
  received?: string;
}
export interface NoticeRecorded {
  recorded: {
    carrierId: CarrierId;
    created: boolean;
    /**
     * A date, YYYY-MM-DD
     */
    due: string;
  }[];
}
export interface Remarked {
  carrierId: CarrierId;
  change: LevelChange;
  /**
   * Markings struck through
   */
  struck: number;
  outputSha256: string;
  derived: {
    carrierId: CarrierId;
    name: string;
    level: Level | null;
    /**
     * Lower than its source now: to be re-marked too
     */
    lower: boolean;
  }[];
  links: {
    pdf: string;
  };
}
export interface CopiesMade {
  carrierId: CarrierId;
  copies: {
    number: number;
    sha256: string;
    /**
     * Where to download it
     */
    pdf: string;
  }[];
}
export interface ReturnRequest {
  /**
   * @minItems 1
   * @maxItems 500
   */
  carriers: [CarrierId, ...CarrierId[]];
  /**
   * The originator's written notice asking for them back
   */
  notice: string;
  /**
   * The dispatch that sends them back (covering letter, dispatch list)
   */
  reference: string;
  /**
   * A date, YYYY-MM-DD
   */
  date: string;
  /**
   * Who sends them back; with a personal token its holder
   */
  by?: string;
}
export interface ReturnsRecorded {
  returned: {
    carrierId: CarrierId;
    copies: number[];
  }[];
}
export interface DestructionRequest {
  /**
   * @minItems 1
   * @maxItems 500
   */
  carriers: [CarrierId, ...CarrierId[]];
  /**
   * The originator's written notice to destroy them
   */
  notice: string;
  /**
   * The act's number as written on paper ("№ 12/2026"): one line, not "." or ".."
   */
  act: string;
  /**
   * At least two people
   *
   * @minItems 2
   * @maxItems 10
   *
   * Items: A member who destroys them
   */
  members:
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string];
  /**
   * A date, YYYY-MM-DD
   */
  date?: string;
  /**
   * How the paper copies were destroyed
   */
  how?: string;
  /**
   * The act also in Russian
   */
  russian?: boolean;
  /**
   * Who records it; with a personal token its holder
   */
  by?: string;
}
export interface DestructionDone {
  act: string;
  actSha256: string;
  carriers: {
    carrierId: CarrierId;
    incoming: string;
    copies: number[];
  }[];
  sought: {
    sha256: string;
    what: string;
  }[];
  /**
   * Files wiped
   */
  wiped: number;
  search: {
    files: number;
    bytes: number;
    /**
     * Files still holding the contents: always 0 when answered
     */
    found: number;
  };
  links: {
    pdf: string;
  };
}
export interface Inventory {
  /**
   * A date, YYYY-MM-DD
   */
  asOf: string;
  /**
   * A date, YYYY-MM-DD
   */
  since: string;
  carriers: InventoryCounts;
  copies: InventoryCounts;
  /**
   * received = on hand + returned + destroyed, for carriers and for copies
   */
  addsUp: boolean;
  onHandBy: {
    /**
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^.*$".
     */
    [k: string]: {
      /**
       * This interface was referenced by `undefined`'s JSON-Schema definition
       * via the `patternProperty` "^.*$".
       */
      [k: string]: number;
    };
  };
  notices: {
    carrierId: CarrierId;
    incoming: string;
    change: LevelChange;
    /**
     * A date, YYYY-MM-DD
     */
    due: string;
    overdue: boolean;
  }[];
  ended: InventoryLine[];
  lines: InventoryLine[];
}
export interface InventoryCounts {
  received: number;
  onHand: number;
  returned: number;
  destroyed: number;
}
export interface InventoryLine {
  carrierId: CarrierId;
  incoming: string;
  copy: number | null;
  name: string;
  from: Party;
  level: Level | null;
  state: string;
  standing: "on-hand" | "returned" | "destroyed";
  since: string;
  ended: {
    at: string;
    reference: string | null;
  } | null;
}
