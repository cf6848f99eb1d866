/** What can go wrong with OCR, apart from the carrier itself. */
import { GrifError } from '../../errors.js';

/** OCR cannot run here: language data or engine missing. Not the carrier's fault. */
export class OcrUnavailableError extends GrifError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ocr/unavailable', exitCode: 1, cause });
  }
}

/** One page took longer than the limit. */
export class OcrTimeoutError extends GrifError {
  constructor(ms: number) {
    super(`OCR of one page took more than ${Math.round(ms / 1000)} s and was stopped (raise --page-timeout to allow more)`, {
      code: 'ocr/timeout',
      exitCode: 1,
      retryable: true,
    });
  }
}

/** The engine failed on a page (crashed, or rejected the image). */
export class OcrFailedError extends GrifError {
  constructor(message: string, cause?: unknown) {
    super(`OCR failed on a page (${message})`, { code: 'ocr/failed', exitCode: 1, retryable: true, cause });
  }
}

