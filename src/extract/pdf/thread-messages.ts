/**
 * What the main thread and a PDF extraction thread (pdf-thread.ts) say to each other, and how an
 * error crosses between them with its class, code and message intact.
 */
import type { CarrierText } from '../../core/index.js';
import { GrifError, InputError, type ExitCode, type InputProblem } from '../../errors.js';
import type { ExtractLimits, ProgressEvent } from '../extractor.js';
import type { OcrPageOptions, OcrPageResult } from '../ocr/ocr-page.js';
import type { RenderScale } from './render-pages.js';

/** A page image crossing between threads: its pixel buffers are transferred, not copied. */
export interface WireRaster {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly pixels: ArrayBuffer;
  readonly chroma?: ArrayBuffer;
}

/** A page drawn, crossing between threads with its buffer transferred. */
export interface WireRgba {
  readonly page: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: ArrayBuffer;
}

/** An error as it crosses: InputError and GrifError keep their class, code and message. */
export type WireError =
  | { readonly kind: 'input'; readonly file: string; readonly problem: InputProblem; readonly message: string }
  | { readonly kind: 'grif'; readonly name: string; readonly message: string; readonly code: string; readonly exitCode: ExitCode; readonly retryable: boolean }
  /** The error the main thread's OCR gave for request `req` of the job (kept there, thrown as it was). */
  | { readonly kind: 'ocr'; readonly req: number }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly stack?: string };

export type ToThread =
  | {
      readonly t: 'extract';
      readonly job: number;
      readonly file: string;
      readonly bytes: Uint8Array;
      readonly limits: ExtractLimits;
      readonly dpi: number;
      readonly fullPage: boolean;
      readonly concurrency: number;
      readonly onlyPages?: readonly number[];
    }
  | { readonly t: 'render'; readonly job: number; readonly file: string; readonly bytes: Uint8Array; readonly pages: readonly number[]; readonly scale: RenderScale }
  | { readonly t: 'ocr-done'; readonly job: number; readonly req: number; readonly result: OcrPageResult }
  | { readonly t: 'ocr-failed'; readonly job: number; readonly req: number; readonly error: WireError };

export type FromThread =
  | { readonly t: 'ocr'; readonly job: number; readonly req: number; readonly raster: WireRaster; readonly opts: OcrPageOptions }
  | { readonly t: 'progress'; readonly job: number; readonly event: ProgressEvent }
  | { readonly t: 'done'; readonly job: number; readonly text: CarrierText }
  /** Pages drawn (render-pages.ts), their RGBA buffers transferred. */
  | { readonly t: 'rendered'; readonly job: number; readonly numPages: number; readonly pages: readonly WireRgba[] }
  | { readonly t: 'failed'; readonly job: number; readonly error: WireError };

/** A GrifError standing in the thread for an OCR error of the main thread's, which the main thread still holds. */
export class RelayedOcrError extends GrifError {
  constructor(
    readonly req: number,
    wire: WireError,
  ) {
    super(wire.kind === 'grif' || wire.kind === 'input' || wire.kind === 'other' ? wire.message : 'OCR failed', {
      code: wire.kind === 'grif' ? wire.code : 'ocr/failed',
      retryable: wire.kind === 'grif' ? wire.retryable : true,
    });
  }
}

export function toWire(err: unknown): WireError {
  if (err instanceof RelayedOcrError) return { kind: 'ocr', req: err.req };
  if (err instanceof InputError) return { kind: 'input', file: err.file, problem: err.problem, message: err.message };
  if (err instanceof GrifError) return { kind: 'grif', name: err.name, message: err.message, code: err.code, exitCode: err.exitCode, retryable: err.retryable };
  if (err instanceof Error) return { kind: 'other', name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { kind: 'other', name: 'Error', message: String(err) };
}

/** The error again on this side of the thread boundary (an 'ocr' error is looked up by the caller). */
export function fromWire(wire: Exclude<WireError, { kind: 'ocr' }>): Error {
  switch (wire.kind) {
    case 'input':
      return new InputError(wire.file, wire.problem, wire.message);
    case 'grif': {
      const err = new GrifError(wire.message, { code: wire.code, exitCode: wire.exitCode, retryable: wire.retryable });
      err.name = wire.name;
      return err;
    }
    case 'other': {
      const err = new Error(wire.message);
      err.name = wire.name;
      if (wire.stack) err.stack = wire.stack;
      return err;
    }
  }
}
