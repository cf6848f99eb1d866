/** The SHA-256 of a carrier's bytes, in hex: its identity in receipts, the store and the register. */
import { createHash } from 'node:crypto';

export const sha256Of = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
