/** The OCR port: what page extraction needs from an OCR engine, whatever engine it is. */
import type { BBox } from '../../core/index.js';

export interface OcrWord {
  readonly text: string;
  /** Pixels of the image given, origin top left. */
  readonly bbox: BBox;
  /** In [0, 1]. */
  readonly confidence: number;
}

export interface OcrLine {
  readonly text: string;
  readonly bbox: BBox;
  /** In [0, 1]. */
  readonly confidence: number;
  readonly words: readonly OcrWord[];
}

export interface RecognizeOptions {
  /** The image's resolution, for formats that carry none (PGM). */
  readonly dpi?: number;
  /**
   * 'page' (default): find the layout and straighten a small skew first, as for a whole page.
   * 'block': the image is one block of text already upright (a stamp cut out and turned).
   */
  readonly layout?: 'page' | 'block';
}

export interface OcrService {
  /** How many pages it reads at once. */
  readonly concurrency: number;
  /** Reads an encoded image (PGM, PNG, JPEG, TIFF). */
  recognize(image: Uint8Array, opts?: RecognizeOptions): Promise<OcrLine[]>;
  /** Ends every worker; the service can start again on the next call. */
  close(): Promise<void>;
}
