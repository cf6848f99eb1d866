/**
 * One carrier through the whole stamping stage: read, detect, verify, plan (the marking core),
 * stamp the PDF incrementally, read the stamp back, write the output atomically.
 */
import { extname } from 'node:path';
import { examine, party, routeCarrier, type CarrierText, type PartyId, type StampPlan, type Verdict } from '../core/index.js';
import { GrifError } from '../errors.js';
import { sha256Of } from '../sha256.js';
import { DEFAULT_LIMITS, type ExtractContext } from '../extract/extractor.js';
import { imageFrames } from '../extract/image/image-extractor.js';
import { checkContent, extractCarrier, extractorFor, readInput } from '../extract/read-carrier.js';
import { rasterFromPixels } from '../extract/ocr/page-image.js';
import { pdfThreadsOf } from '../extract/pdf/pdf-threads.js';
import { imageToPdf, uprightImagePdf } from './image-to-pdf.js';
import { inkMap, type InkMap } from './ink-map.js';
import { stampPdf, StampError, type StampPlacement, type UpdateKind } from './pdf-stamper.js';
import { stampLines, type Registration } from './stamp-content.js';
import { checkOutput, writeAtomically } from './write-output.js';

export interface StampOptions {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly russian: boolean;
  readonly pages: 'first' | 'all';
  readonly registration: Registration;
  /** Where the stamped PDF goes. */
  readonly output: string;
  readonly force: boolean;
  /** For a translation or copy: its source's verdict (Art. 6.1: no lower a marking than the source's). */
  readonly source?: Verdict;
}

export type StampOutcome =
  | {
      readonly status: 'stamped';
      readonly file: string;
      readonly output: string;
      readonly verdict: Verdict;
      readonly inputSha256: string;
      readonly outputSha256: string;
      readonly placements: readonly StampPlacement[];
      /** How the PDF was written; anything but incremental says why in note. */
      readonly update: UpdateKind | 'new-pdf';
      readonly note?: string;
    }
  | { readonly status: 'unchanged'; readonly file: string; readonly verdict: Verdict; readonly reason: string }
  /** A person must decide first (a conflict, weak evidence, a failed check against the source): nothing written. */
  | { readonly status: 'review'; readonly file: string; readonly verdict: Verdict; readonly reasons: readonly string[] }
  | { readonly status: 'error'; readonly file: string; readonly error: string };


/**
 * The ink of the first pages of a PDF, rendered at one pixel per point, in the context's PDF thread
 * (pdf-threads.ts): a page that takes long to draw holds up no event loop (a queue job's lock).
 */
export async function inkOf(file: string, input: Uint8Array, pages: number, ctx?: Pick<ExtractContext, 'pdfThreads' | 'limits'>): Promise<Map<number, InkMap>> {
  const drawn = await pdfThreadsOf(ctx).render(file, input, Array.from({ length: pages }, (_, i) => i + 1), { dpi: 72 });
  const maps = new Map<number, InkMap>();
  for (const p of drawn.pages) {
    const r = rasterFromPixels(p.rgba, p.width, p.height, 4, 72);
    maps.set(p.page, inkMap(r.pixels, r.width, r.height));
  }
  return maps;
}

/** A carrier as the stamper takes it: a PDF (an image carrier made into one first). */
export interface PreparedCarrier {
  /** The carrier's name, for messages. */
  readonly file: string;
  /** The bytes as received. */
  readonly original: Uint8Array;
  readonly inputSha256: string;
  /** The PDF to read and stamp: the original, or a PDF made of an image carrier. */
  readonly pdf: Uint8Array;
  /** The name extraction uses for the PDF. */
  readonly pdfName: string;
  readonly fromImage: boolean;
}

/**
 * Checks a carrier's type and content and makes a PDF of an image carrier (the image is left as it
 * is); with `maxPages`, an image with more frames is refused before any frame is converted.
 */
export async function prepareCarrier(file: string, original: Uint8Array, maxPixels?: number, maxPages?: number): Promise<PreparedCarrier> {
  const extractor = extractorFor(file);
  if (extractor?.kind !== 'PDF' && extractor?.kind !== 'image') {
    throw new StampError(`${file}: grif stamps PDFs and images; ${extname(file) || 'this file'} carriers cannot take a stamp`);
  }
  checkContent(file, extractor, original);
  const fromImage = extractor.kind === 'image';
  if (fromImage && maxPages !== undefined) await imageFrames(file, original, { maxPages, maxPixels: maxPixels ?? DEFAULT_LIMITS.maxPixels });
  const pdf = fromImage ? await imageToPdf(original, file, maxPixels) : original;
  return { file, original, inputSha256: sha256Of(original), pdf, pdfName: fromImage ? `${file}.pdf` : file, fromImage };
}

/**
 * The pipeline's first step, as grif stamp and the service's extract stage both take it: the
 * carrier checked and made a PDF, then its text read (text layer, or OCR of its scans).
 */
export async function readCarrier(file: string, original: Uint8Array, ctx: ExtractContext): Promise<{ prepared: PreparedCarrier; text: CarrierText }> {
  const prepared = await prepareCarrier(file, original, ctx.limits.maxPixels, ctx.limits.maxPages);
  return { prepared, text: await extractCarrier(prepared.pdfName, prepared.pdf, ctx) };
}

export interface StampedPdf {
  readonly output: Uint8Array;
  readonly outputSha256: string;
  readonly placements: readonly StampPlacement[];
  readonly update: UpdateKind | 'new-pdf';
  readonly note?: string;
}

/**
 * Stamps a prepared carrier per its plan, then reads the stamped pages back with grif's own eyes:
 * the receiving side's marking must be there, strong, at the plan's level. With `wholeVerdict`
 * (automatic decisions) the carrier as a whole must also read as marked at that level; a carrier a
 * person decided may still carry its conflicting stamps, so only the new marking is checked.
 */
export async function stampPrepared(
  c: PreparedCarrier,
  text: CarrierText,
  verdict: Verdict,
  plan: Extract<StampPlan, { action: 'add' }>,
  opts: { readonly pages: 'first' | 'all'; readonly registration: Registration; readonly wholeVerdict: boolean },
  ctx: ExtractContext,
): Promise<StampedPdf> {
  // Boxes are in the upright page: a picture read turned is shown turned first.
  const input = c.fromImage ? await uprightImagePdf(c.pdf, text) : c.pdf;
  const ink = await inkOf(c.pdfName, input, opts.pages === 'all' ? text.pages.length : 1, ctx);
  const { output, placements, update } = await stampPdf({
    input,
    text,
    lines: stampLines(plan, opts.registration),
    ink,
    stamps: verdict.stamps.flatMap((s) => (s.bbox ? [{ page: s.page, box: { x0: s.bbox[0], y0: s.bbox[1], x1: s.bbox[2], y1: s.bbox[3] } }] : [])),
    pages: opts.pages,
    record: { level: plan.level, from: plan.from, to: plan.to, inputSha256: c.inputSha256 },
  });
  // Only the stamped pages changed: read those back.
  const back = examine(await extractCarrier(c.pdfName, output, { ...ctx, onlyPages: new Set(placements.map((p) => p.page)) }));
  const lang = party(plan.to).lang;
  const ours = back.stamps.some((s) => s.lang === lang && s.level === plan.level && s.evidence === 'strong');
  if (!ours || (opts.wholeVerdict && (back.status !== 'marked' || back.level !== plan.level))) {
    throw new StampError(`${c.file}: the stamped PDF does not read back as ${plan.level} with the ${lang} marking (got ${back.status}); nothing was written`);
  }
  return {
    output,
    outputSha256: sha256Of(output),
    placements,
    update: c.fromImage ? 'new-pdf' : update,
    ...(c.fromImage
      ? { note: 'the carrier is an image: grif made a PDF of it (one page per frame, at its own resolution) and stamped that; the image is unchanged' }
      : update === 'full-rewrite'
        ? { note: "the input's cross-reference table is broken: the PDF was rewritten whole, so its original bytes are not kept as the first revision" }
        : {}),
  };
}

/** A failure as a clerk reads it, with the file named. */
export function errorText(file: string, err: unknown): string {
  if (err instanceof GrifError) return err.message.startsWith(file) ? err.message : `${file}: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return `${file}: internal error while stamping (${message}); please report it`;
}

/**
 * grif stamp on one carrier: the pipeline's steps in one go, without the register: read it
 * (readCarrier), route it (core/route.ts, the service's decide stage's own decision), stamp it
 * (stampPrepared, the service's stamp stage's own), write the output.
 */
export async function stampFile(file: string, opts: StampOptions, ctx: ExtractContext): Promise<StampOutcome> {
  try {
    // A refused output costs nothing: it is checked before the carrier is read (and again when written).
    await checkOutput(opts.output, { inputs: [file], force: opts.force });
    const { prepared: c, text } = await readCarrier(file, await readInput(file, ctx), ctx);
    const { verdict, route } = routeCarrier(examine(text), opts, opts.source ? { verdict: opts.source } : undefined);
    if (route.to === 'review') return { status: 'review', file, verdict, reasons: route.reasons };
    if (route.to === 'unchanged') return { status: 'unchanged', file, verdict, reason: route.detail };
    const stamped = await stampPrepared(c, text, verdict, route.plan, { pages: opts.pages, registration: opts.registration, wholeVerdict: true }, ctx);
    await writeAtomically(opts.output, stamped.output, { inputs: [file], force: opts.force });
    return {
      status: 'stamped',
      file,
      output: opts.output,
      verdict,
      inputSha256: c.inputSha256,
      outputSha256: stamped.outputSha256,
      placements: stamped.placements,
      update: stamped.update,
      ...(stamped.note ? { note: stamped.note } : {}),
    };
  } catch (err) {
    return { status: 'error', file, error: errorText(file, err) };
  }
}
