/**
 * Page previews for the clerks' web page: a carrier's page (page 1 unless asked) rendered with
 * pdf.js to a PNG about 1000 px wide, as received ("original") and as handed back ("stamped":
 * the stamped PDF, or the carrier unchanged when it needed no stamp). Each is rendered once and
 * kept under DIR/work/, so a page polled by several clerks costs one rendering. Like the
 * downloads, the files come only from names computed from the carrier's stored reference.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pLimit from 'p-limit';
import sharp from 'sharp';
import { pdfThreadsOf } from '../extract/pdf/pdf-threads.js';
import { latestDecision } from '../register/export.js';
import { GONE, type CarrierState } from '../register/states.js';
import type { CarrierRef } from '../service/carrier-ref.js';
import { textPathOf, type DataDir } from '../service/data-dir.js';
import { loadRef, type IntakeContext } from '../service/intake.js';
import { resultFilePath, resultOf } from '../service/publish.js';
import { keyedEvent } from '../service/stages.js';
import { prepareCarrier } from '../stamp/stamp-file.js';
import { writeAtomically } from '../stamp/write-output.js';
import { HttpError } from './errors.js';
import { wipeFile } from '../service/wipe.js';

/** Width of a preview in pixels (a page taller than wide is capped at MAX_HEIGHT instead). */
export const PREVIEW_WIDTH = 1000;
const MAX_HEIGHT = 2000;
/** Renderings at once in the HTTP process: each holds a page's pixels. */
const renderLimit = pLimit(2);

export type PreviewKind = 'original' | 'stamped';

/** The cached preview's path: one per carrier, kind and page. */
export const previewPath = (d: DataDir, carrierId: string, kind: PreviewKind, page: number): string =>
  join(d.work, `${carrierId}.preview-${kind}-p${page}.png`);

/** Renders one page of a PDF to a PNG about PREVIEW_WIDTH pixels wide, white behind. */
export async function renderPreview(file: string, pdfBytes: Uint8Array, pageNo: number): Promise<Buffer> {
  // Drawn in a PDF thread (pdf-threads.ts): in grif up the stage workers share this process, and a
  // slow page drawn on its main thread would hold up the renewal of their jobs' locks.
  const drawn = await pdfThreadsOf().render(file, pdfBytes, [pageNo], { fitWidth: PREVIEW_WIDTH, fitHeight: MAX_HEIGHT });
  const p = drawn.pages[0];
  if (!p) throw new HttpError('not-found', `${file} has ${drawn.numPages} page${drawn.numPages === 1 ? '' : 's'}, not ${pageNo}`);
  return sharp(Buffer.from(p.rgba.buffer, p.rgba.byteOffset, p.rgba.byteLength), { raw: { width: p.width, height: p.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** The file a preview is drawn from, and the name pdf.js errors should call it by. */
async function sourceOf(intake: IntakeContext, ref: CarrierRef, kind: PreviewKind): Promise<{ bytes: Uint8Array; name: string }> {
  if (kind === 'original') return { bytes: await readFile(join(intake.dir.root, ref.stored)), name: ref.name };
  const entry = await intake.register.carrier(ref.carrierId);
  const outcome = entry ? keyedEvent(entry, 'outcome') : undefined;
  if (outcome?.kind !== 'stamped' && outcome?.kind !== 'unmarked' && outcome?.kind !== 'already-marked') {
    const last = entry ? latestDecision(entry) : undefined;
    throw new HttpError('not-found', `${ref.name} is not stamped${last?.kind === 'rejected' ? ' (it was rejected)' : ' yet'}`);
  }
  const result = entry && resultOf(intake.dir, ref, entry);
  const path = result?.folder === 'outbox' ? await resultFilePath(result) : undefined;
  const bytes = path ? await readFile(path).catch(() => undefined) : undefined;
  // Named as the file is in the outbox (an image carrier's stamped result is a PDF).
  if (bytes && result?.file) return { bytes, name: basename(result.file.target) };
  throw new HttpError('not-found', `${ref.name}: its result is no longer kept`);
}

export async function preview(intake: IntakeContext, carrierId: string, kind: PreviewKind, pageNo: number): Promise<Buffer> {
  const ref = await loadRef(intake.dir, carrierId);
  if (!ref || !ref.stored) throw new HttpError('not-found', `${carrierId}: no such carrier`);
  if (await gone(intake, carrierId)) throw new HttpError('not-found', `${ref.name} is no longer held (returned or destroyed)`);
  const cached = previewPath(intake.dir, carrierId, kind, pageNo);
  const hit = await readFile(cached).catch(() => undefined);
  if (hit) return hit;
  const { bytes, name } = await sourceOf(intake, ref, kind);
  return renderLimit(async () => {
    // Another request may have rendered it while this one waited.
    if (await stat(cached).then(() => true, () => false)) return readFile(cached);
    // An image carrier is drawn from the PDF grif makes of it, as it is stamped.
    const prepared = await prepareCarrier(name, bytes);
    const png = await renderPreview(prepared.pdfName, prepared.pdf, pageNo);
    await writeAtomically(cached, png, { inputs: [], force: true });
    // Destroyed while this was drawn: its wipe may have run before this file was written.
    if (await gone(intake, carrierId)) {
      await wipeFile(cached);
      throw new HttpError('not-found', `${ref.name} is no longer held (returned or destroyed)`);
    }
    return png;
  });
}

/** Whether the carrier has left (returned or destroyed): nothing of it is drawn any more. */
async function gone(intake: IntakeContext, carrierId: string): Promise<boolean> {
  const s = (await intake.register.stateOf(carrierId))?.state;
  return !!s && (GONE as readonly CarrierState[]).includes(s);
}

export function previewRoutes(app: FastifyInstance, intake: IntakeContext): void {
  for (const kind of ['original', 'stamped'] as const) {
    // The id and page are checked by the route's schema (route-schemas.ts).
    app.get<{ Params: { id: string }; Querystring: { page: number } }>(`/carriers/:id/preview/${kind}.png`, async (req, reply) => {
      const png = await preview(intake, req.params.id, kind, req.query.page);
      return reply.type('image/png').header('content-length', png.length).send(png);
    });
  }
}

/** The size of each page in the units of its line boxes (work/<id>.text.json), for outlining stamps; null before extraction. */
export async function pageSizes(d: DataDir, carrierId: string): Promise<({ width: number; height: number } | null)[] | null> {
  const text = await readFile(textPathOf(d, carrierId), 'utf8').then(
    (s) => JSON.parse(s) as { pages: { width?: number; height?: number }[] },
    () => undefined,
  );
  if (!text) return null;
  return text.pages.map((p) => (typeof p.width === 'number' && typeof p.height === 'number' ? { width: p.width, height: p.height } : null));
}
