/**
 * The life of a received carrier, as data: its states and the transitions between them. The
 * register is the system of record: a carrier's state is the state its last transition event
 * left it in, and an event is appended only when the transition it names leaves the carrier's
 * current state (compare-and-set, in one register transaction). Folders, queues and pages follow.
 *
 *   received ─extracted→ extracted ─to-stamp→ to-stamp ─stamped→ stamped
 *                            │                    └─unmarked / already-marked→ unchanged
 *                            ├─unmarked / already-marked→ unchanged
 *                            └─review→ review ─decision→ decided ─stamped→ stamped
 *   (received, extracted, to-stamp, review, decided) ─rejected→ rejected
 *   (received, extracted, to-stamp, decided) ─parked→ parked      (a service fault outlasted its retries)
 *   (parked, rejected) ─retried→ received
 *
 * After intake (Art. 6.3): the originator's written notice that a level changes or is removed
 * puts a carrier that has its marking (stamped, or unchanged because it bore the receiving side's
 * marking already) in to-remark, with 30 days to carry it out; re-marking brings it back:
 *   (stamped, unchanged, declassified, to-remark) ─notice→ to-remark
 *   to-remark ─remarked→ stamped            (the new level added, the old one struck through)
 *   to-remark ─level-removed→ declassified  (the marking struck through, the removal written)
 * On the originator's written notice (Art. 6.4), with its copies:
 *   (stamped, unchanged, declassified, to-remark) ─returned→ returned
 *   (stamped, unchanged, declassified, rejected) ─destroyed→ destroyed   (by an act; a pending
 *     notice or review is settled first; every byte grif held of it is then wiped, and the
 *     'wiped' note records the search that found none left)
 */

/** Where a carrier stands. */
export const CARRIER_STATES = ['received', 'extracted', 'to-stamp', 'review', 'decided', 'stamped', 'unchanged', 'rejected', 'parked', 'to-remark', 'declassified', 'returned', 'destroyed'] as const;
export type CarrierState = (typeof CARRIER_STATES)[number];

/**
 * The drop folder a carrier in each state is published in (service/publish.ts): the folders are
 * views of the register, never its source. A carrier still on its way, decided (its stamping to
 * come) or parked is in none of them.
 */
export const FOLDER_OF = {
  received: null,
  extracted: null,
  'to-stamp': null,
  review: 'review',
  decided: null,
  stamped: 'outbox',
  unchanged: 'outbox',
  rejected: 'rejected',
  parked: null,
  // Still the carrier last published, until it is re-marked.
  'to-remark': 'outbox',
  declassified: 'outbox',
  // Sent back to the originator (Art. 6.4): no longer on hand, in no folder.
  returned: null,
  // Destroyed by an act (Art. 6.4): nothing of it is kept.
  destroyed: null,
} as const satisfies Record<CarrierState, 'outbox' | 'review' | 'rejected' | null>;
export type ViewFolder = NonNullable<(typeof FOLDER_OF)[CarrierState]>;

/** A state no automatic step leaves: the carrier's processing has ended (until a person retries it). */
export const FINAL_STATES: readonly CarrierState[] = ['stamped', 'unchanged', 'rejected', 'to-remark', 'declassified', 'returned', 'destroyed'];

/** A carrier no longer held (Art. 6.4): sent back, or destroyed by an act. Nothing of it is shown or drawn. */
export const GONE = ['returned', 'destroyed'] as const satisfies readonly CarrierState[];

/** A carrier the receiver holds, through intake: what may be copied, returned or counted on hand. */
export const ON_HAND: readonly CarrierState[] = ['stamped', 'unchanged', 'declassified', 'to-remark'];

export interface Transition {
  /** The states the carrier may be in; null: it is not in the register yet. */
  readonly from: readonly (CarrierState | null)[];
  readonly to: CarrierState;
  /** What the transition means, for a reader of the register. */
  readonly means: string;
}

/** Every transition, named as the register event that records it. */
export const TRANSITIONS = {
  registered: { from: [null], to: 'received', means: 'received and given its incoming number' },
  extracted: { from: ['received'], to: 'extracted', means: 'its text was read (text layer or OCR)' },
  'to-stamp': { from: ['extracted'], to: 'to-stamp', means: 'marked: the receiving side\u2019s marking is to be added' },
  review: { from: ['extracted'], to: 'review', means: 'held for a person: a conflict, weak evidence or a failed translation check' },
  unmarked: { from: ['extracted', 'to-stamp', 'decided'], to: 'unchanged', means: 'no marking: left as it is' },
  'already-marked': { from: ['extracted', 'to-stamp', 'decided'], to: 'unchanged', means: 'it already bears the receiving side\u2019s marking: nothing added' },
  decision: { from: ['review'], to: 'decided', means: 'a person decided its level' },
  stamped: { from: ['to-stamp', 'decided'], to: 'stamped', means: 'the receiving side\u2019s marking was added' },
  rejected: { from: ['received', 'extracted', 'to-stamp', 'review', 'decided', 'parked'], to: 'rejected', means: 'refused: the carrier\u2019s own fault, or a person\u2019s decision' },
  parked: { from: ['received', 'extracted', 'to-stamp', 'decided'], to: 'parked', means: 'a fault of the service outlasted its retries: waits to be retried' },
  retried: { from: ['parked', 'rejected'], to: 'received', means: 'taken again, by a person' },
  notice: {
    from: ['stamped', 'unchanged', 'declassified', 'to-remark'],
    to: 'to-remark',
    means: 'the originator\u2019s written notice that its level changes or is removed (Art. 6.3): to be re-marked within 30 days',
  },
  remarked: { from: ['to-remark'], to: 'stamped', means: 're-marked after a notice: the old marking struck through, the new one added' },
  'level-removed': { from: ['to-remark'], to: 'declassified', means: 'its marking removed after a notice: struck through, the removal written' },
  returned: {
    from: ['stamped', 'unchanged', 'declassified', 'to-remark'],
    to: 'returned',
    means: 'sent back to the originating authority on its written notice (Art. 6.4), with every copy made of it',
  },
  destroyed: {
    from: ['stamped', 'unchanged', 'declassified', 'rejected'],
    to: 'destroyed',
    means: 'destroyed on the originator\u2019s written notice (Art. 6.4) by an act of at least two people, with every copy made of it',
  },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

/**
 * Events that record something without moving the carrier: the verdict found, a duplicate drop,
 * the transfer it came in (Art. 5.3), the confirmation of its receipt sent to the sender, and that
 * it was produced jointly by both Parties (its level then changes only by mutual agreement, Art. 6.3),
 * each copy made of it with the originator's written permission (Art. 6.4), numbered, and, after
 * its destruction, that every byte grif held of it was wiped and none found left.
 */
export const NOTE_KINDS = ['verdict', 'duplicate', 'transfer', 'receipt-confirmed', 'jointly-produced', 'copied', 'wiped'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/**
 * Notes that apply only in some states, checked in the transaction that appends them: a copy is
 * registered only of a carrier still on hand (a copy made while the carrier was being returned or
 * destroyed is refused, and its files go), a wipe only of a destroyed one.
 */
export const NOTE_STATES: Partial<Record<NoteKind, readonly CarrierState[]>> = {
  copied: ON_HAND,
  wiped: ['destroyed'],
};

/** Whether a note may be appended to a carrier in `current`. */
export function noteApplies(current: CarrierState | null, kind: NoteKind): boolean {
  const only = NOTE_STATES[kind];
  return !only || (current !== null && only.includes(current));
}

export function isTransition(kind: string): kind is TransitionName {
  return Object.prototype.hasOwnProperty.call(TRANSITIONS, kind);
}

/** The state a transition leads to from `current`, or null when it does not leave `current`. */
export function nextState(current: CarrierState | null, via: TransitionName): CarrierState | null {
  const t: Transition = TRANSITIONS[via];
  return t.from.includes(current) ? t.to : null;
}
