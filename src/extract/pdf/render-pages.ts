/**
 * Pages of a PDF drawn as they look, for what needs a page's pixels besides its reading: where
 * ink already lies (the stamper's ink map), a preview. Runs in the PDF extraction thread
 * (pdf-threads.ts render()), like the reading itself.
 */
import { openPdf } from './open-pdf.js';
import { renderRgba, type PageRgba } from './render-page.js';

/** How large to draw: `dpi`, or the largest size that fits `fitWidth`×`fitHeight` pixels. */
export type RenderScale = { readonly dpi: number } | { readonly fitWidth: number; readonly fitHeight: number };

export interface RenderedPages {
  /** The PDF's page count. */
  readonly numPages: number;
  /** The pages asked for that the PDF has, in the order asked. */
  readonly pages: ReadonlyArray<PageRgba & { readonly page: number }>;
}

export async function renderPdfPages(file: string, bytes: Uint8Array, pages: readonly number[], scale: RenderScale): Promise<RenderedPages> {
  const pdf = await openPdf(file, bytes);
  try {
    const out: Array<PageRgba & { page: number }> = [];
    for (const n of pages) {
      if (n < 1 || n > pdf.numPages) continue;
      const page = await pdf.getPage(n);
      try {
        const unit = page.getViewport({ scale: 1 });
        // A fitted size is rounded to the nearest pixel: 1000 points' worth is 1000 pixels, not 1001 by a rounding error.
        out.push({
          page: n,
          ...('dpi' in scale
            ? await renderRgba(page, scale.dpi / 72)
            : await renderRgba(page, Math.min(scale.fitWidth / unit.width, scale.fitHeight / unit.height), Math.round)),
        });
      } finally {
        page.cleanup();
      }
    }
    return { numPages: pdf.numPages, pages: out };
  } finally {
    await pdf.destroy();
  }
}
