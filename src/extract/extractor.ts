/** The port through which carriers of any kind become text for the marking core. */
import type { CarrierText } from '../core/index.js';

export interface ExtractOptions {
  /** Refuse carriers larger than this many bytes. */
  readonly maxBytes: number;
}

export interface Extractor {
  /** For messages: "plain text", "PDF", ... */
  readonly kind: string;
  /** Lower-case file name endings this extractor takes, with the dot. */
  readonly extensions: readonly string[];
  /**
   * Turns the carrier's bytes into pages of lines. Throws InputError for content it cannot read.
   * Never modifies the input.
   */
  extract(file: string, bytes: Uint8Array, opts: ExtractOptions): Promise<CarrierText>;
}
