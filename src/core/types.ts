/** The shapes the marking core takes and gives. Pure data: no I/O anywhere in src/core. */
import type { Lang, Level } from './article3.js';
import type { OtherLabelId } from './labels.js';

/** [x0, y0, x1, y1] in page units, origin at the top left, y growing downwards. */
export type BBox = readonly [number, number, number, number];

/** One line of carrier text, as a text layer or OCR gives it. */
export interface TextLine {
  readonly text: string;
  readonly bbox?: BBox;
  /** OCR confidence in [0, 1]; absent for a text layer or a plain-text carrier. */
  readonly confidence?: number;
  /**
   * Struck through with a line (Art. 6.3 re-marking): still legible, no longer in force. A marking
   * on a struck line is not the carrier's marking.
   */
  readonly struck?: boolean;
}

export interface TextPage {
  readonly lines: readonly TextLine[];
  /** Page size in the units of the line boxes; with boxes it places the stamp areas. */
  readonly width?: number;
  readonly height?: number;
  /** Stamp-like marks on the page image that could not be read (only OCR'd pages have them). */
  readonly marks?: readonly InkMark[];
  /**
   * A page image read turned: the clockwise turn (90, 180 or 270) that made it upright. Boxes are
   * given in the upright page. Absent when the page was read as it stands.
   */
  readonly rotation?: 90 | 180 | 270;
}

/** Why a part of a page image was taken for a rubber stamp. */
export type InkMarkKind = 'frame' | 'ring' | 'coloured-ink' | 'turned-text';

/**
 * A stamp-like mark (a frame, a block of coloured ink, a turned block of letters) that read as
 * neither a marking nor anything else a person would recognise (a registration stamp, a seal).
 * In the stamp areas it is evidence that a person must look at: never "unmarked".
 */
export interface InkMark {
  readonly bbox: BBox;
  readonly kind: InkMarkKind;
  /** Its ink is coloured (violet, blue, red), as stamp pads are. */
  readonly coloured: boolean;
}

/** An unreadable stamp-like mark where stamps go, as the detector reports it. */
export interface UnreadMark extends InkMark {
  /** 1-based. */
  readonly page: number;
}

/** A carrier's text: its pages in order. */
export interface CarrierText {
  readonly pages: readonly TextPage[];
}

/** Where on a page a line sits, as far as stamps go. */
export type Region = 'top' | 'bottom' | 'body';

/**
 * strong: enough to decide on. weak: a person must look (garbled, low OCR confidence, crowded,
 * or a marking line away from where stamps go).
 */
export type Evidence = 'strong' | 'weak';

/** A marking found on a carrier. */
export interface Stamp {
  readonly level: Level;
  readonly lang: Lang;
  /** The marking as it stands on the carrier (letter-spacing and look-alikes kept). */
  readonly text: string;
  /** 1-based. */
  readonly page: number;
  /** 1-based line on the page. */
  readonly line: number;
  readonly bbox?: BBox;
  /** In [0, 1]. */
  readonly confidence: number;
  readonly evidence: Evidence;
  /** The copy number of a copy line beside the stamp ("Экз. № 2" → "2"). */
  readonly copy?: string;
  /** Why the confidence is what it is, for a reviewer. */
  readonly why: string;
}

/** A label that is not an Article 3 level ("ДСП", "Несекретно"): reported, never mapped. */
export interface OtherLabelHit {
  readonly label: OtherLabelId;
  readonly lang: Lang;
  readonly text: string;
  readonly page: number;
  readonly line: number;
}

/** Marking words in a table of markings (the agreement's own Article 3 table): not stamps. */
export interface Listing {
  readonly page: number;
  readonly fromLine: number;
  readonly toLine: number;
  readonly levels: readonly Level[];
}

/** Everything the detector saw, before any verdict. */
export interface Detection {
  readonly stamps: readonly Stamp[];
  readonly otherLabels: readonly OtherLabelHit[];
  readonly listings: readonly Listing[];
  /** Marking words inside running text: counted, never treated as stamps. */
  readonly proseMentions: number;
  /** Stamp-like marks in the stamp areas that could not be read: a person must look. */
  readonly unreadMarks: readonly UnreadMark[];
  readonly pages: number;
}

export type Status = 'marked' | 'unmarked' | 'conflict' | 'review';

/** The decision on one carrier. level is set only when status is 'marked'. */
export interface Verdict {
  readonly status: Status;
  readonly level: Level | null;
  /**
   * The highest level any evidence points to: a person deciding a review or conflict must not
   * choose lower (never a level lower than any evidence on the carrier).
   */
  readonly minLevel: Level | null;
  readonly stamps: readonly Stamp[];
  /** Stamp-like marks that could not be read (review only), to outline for the person deciding. */
  readonly unreadMarks?: readonly UnreadMark[];
  /** Plain sentences for a clerk; they quote markings and positions, never body text. */
  readonly notes: readonly string[];
}
