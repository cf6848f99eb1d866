/**
 * The drop folder's rules, without I/O: which names are carriers, which folder means which
 * Party, and what a sidecar `NAME.json` may say. The watcher asks these; so can `grif up`'s help.
 */
import { isPartyId, PARTY_IDS, type PartyId } from '../core/index.js';

/** Sub-folders that name the sending Party, e.g. `from-KZ` (matched case-insensitively). */
export function folderParty(dirName: string): PartyId | undefined {
  const m = /^from-([a-z]+)$/i.exec(dirName);
  const id = m?.[1]?.toUpperCase();
  return isPartyId(id) ? id : undefined;
}

export function otherParty(p: PartyId): PartyId {
  const other = PARTY_IDS.find((x) => x !== p);
  if (!other) throw new RangeError(`no Party other than ${p}`);
  return other;
}

/** Names still being written (or hidden): left alone until renamed. */
export function isUnfinishedName(name: string): boolean {
  return name.startsWith('.') || /\.(part|tmp|crdownload)$/i.test(name);
}

export const SIDECAR_EXT = '.json';

/** Every `*.json` is a sidecar, never a carrier (JSON is not a carrier type). */
export function isSidecarName(name: string): boolean {
  return name.toLowerCase().endsWith(SIDECAR_EXT);
}

export function sidecarPathOf(carrierPath: string): string {
  return carrierPath + SIDECAR_EXT;
}

export function carrierPathOf(sidecarPath: string): string {
  return sidecarPath.slice(0, -SIDECAR_EXT.length);
}

export interface Routing {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly russian: boolean;
  readonly derivedFrom?: string;
  /** The transfer it came in (the sender's covering letter or dispatch list, Art. 5.3). */
  readonly transfer?: string;
  /** The sender's own reference of this carrier, as the transfer lists it. */
  readonly senderReference?: string;
  /** Produced jointly by both Parties: its level changes only by mutual agreement (Art. 6.3). */
  readonly joint?: boolean;
}

/** Why a file cannot be routed, for a page: no sending Party, or a sidecar that says something wrong. */
export type RoutingProblem = 'inbox/no-party' | 'inbox/bad-sidecar';

export type RoutingResult = { ok: true; routing: Routing } | { ok: false; message: string; code: RoutingProblem };

const SIDECAR_KEYS = ['from', 'to', 'russian', 'derivedFrom', 'transfer', 'senderReference', 'joint'] as const;

/**
 * Where a carrier goes: the folder's Party, overridden field by field by the sidecar's text when
 * there is one. `to` left out means the other Party. Messages are for the clerk who dropped it.
 */
export function resolveRouting(name: string, folder: PartyId | undefined, sidecarText: string | undefined): RoutingResult {
  const fail = (message: string, code: RoutingProblem = 'inbox/bad-sidecar'): RoutingResult => ({ ok: false, message, code });
  const side = `${name}${SIDECAR_EXT}`;
  let from: PartyId | undefined = folder;
  let to: PartyId | undefined;
  let russian = false;
  let derivedFrom: string | undefined;
  let extra: Pick<Routing, 'transfer' | 'senderReference' | 'joint'> = {};

  if (sidecarText !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(sidecarText);
    } catch (err) {
      return fail(`${side} is not valid JSON (${(err as Error).message}): fix it and ${name} will be taken`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return fail(`${side} must be a JSON object like {"from": "KZ", "to": "KG"}`);
    }
    const obj = data as Record<string, unknown>;
    const unknown = Object.keys(obj).filter((k) => !(SIDECAR_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) {
      // A misspelt "derivedFrom" would silently skip the Art. 6.1 check, so refuse it.
      return fail(`${side}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: ${SIDECAR_KEYS.join(', ')}`);
    }
    const party = (key: 'from' | 'to'): PartyId | undefined | Error => {
      const v = obj[key];
      if (v === undefined) return undefined;
      const id = typeof v === 'string' ? v.trim().toUpperCase() : v;
      return isPartyId(id) ? id : new Error(`${side}: "${key}" must be ${PARTY_IDS.map((p) => `"${p}"`).join(' or ')}, not ${JSON.stringify(v)}`);
    };
    const sFrom = party('from');
    const sTo = party('to');
    if (sFrom instanceof Error) return fail(sFrom.message);
    if (sTo instanceof Error) return fail(sTo.message);
    if (obj.russian !== undefined && typeof obj.russian !== 'boolean') {
      return fail(`${side}: "russian" must be true or false, not ${JSON.stringify(obj.russian)}`);
    }
    if (obj.derivedFrom !== undefined && (typeof obj.derivedFrom !== 'string' || !obj.derivedFrom.trim())) {
      return fail(`${side}: "derivedFrom" must be the source's register id or SHA-256, not ${JSON.stringify(obj.derivedFrom)}`);
    }
    for (const key of ['transfer', 'senderReference'] as const) {
      const v = obj[key];
      if (v !== undefined && (typeof v !== 'string' || !v.trim() || v.length > 200)) return fail(`${side}: "${key}" must be a reference of 1 to 200 characters, not ${JSON.stringify(v)}`);
    }
    if (obj.joint !== undefined && typeof obj.joint !== 'boolean') return fail(`${side}: "joint" must be true or false, not ${JSON.stringify(obj.joint)}`);
    extra = {
      ...(typeof obj.transfer === 'string' ? { transfer: obj.transfer.trim() } : {}),
      ...(typeof obj.senderReference === 'string' ? { senderReference: obj.senderReference.trim() } : {}),
      ...(obj.joint === true ? { joint: true } : {}),
    };
    if (sFrom) from = sFrom;
    else if (sTo) from = otherParty(sTo);
    to = sTo;
    russian = obj.russian ?? false;
    derivedFrom = typeof obj.derivedFrom === 'string' ? obj.derivedFrom.trim() : undefined;
  }

  if (!from) {
    const folders = PARTY_IDS.map((p) => `inbox/from-${p}/`).join(' or ');
    return fail(`no sending Party: put it in ${folders}, or add ${side}`, 'inbox/no-party');
  }
  to ??= otherParty(from);
  if (from === to) return fail(`${side}: "from" and "to" are both ${from}; a carrier goes from one Party to the other`);
  return { ok: true, routing: { from, to, russian, ...(derivedFrom ? { derivedFrom } : {}), ...extra } };
}
