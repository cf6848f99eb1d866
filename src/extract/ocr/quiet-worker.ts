/**
 * The tesseract.js worker script, with the engine's own console chatter ("Error in
 * boxClipToRectangle", "Image too small to scale!!") kept off the user's terminal: results and
 * failures come back as messages, never through the console. GRIF_OCR_DEBUG=1 keeps the chatter.
 */
import { createRequire } from 'node:module';

if (!process.env.GRIF_OCR_DEBUG) {
  const quiet = (): void => undefined;
  console.log = quiet;
  console.info = quiet;
  console.warn = quiet;
  console.error = quiet;
}

createRequire(import.meta.url)('tesseract.js/src/worker-script/node/index.js');
