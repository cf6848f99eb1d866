/**
 * Writes web/src/api-types.ts, the web page's types of the HTTP API, from the schemas the service
 * validates with (src/http/api-schema.ts), so the page and the service cannot disagree unnoticed.
 * `node dist/scripts/api-types.js` writes the file; `--check` only says whether it is current
 * (test/http/schemas.test.ts runs the same comparison).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { WEB_TYPES } from '../src/http/api-schema.js';

const BANNER = `/**
 * The HTTP API's types as the web page uses them. Generated from src/http/api-schema.ts by
 * scripts/api-types.ts (\`npm run api-types\`): do not edit by hand.
 */`;

/** The file's text as the schemas make it today. */
export async function apiTypesSource(): Promise<string> {
  const names = Object.keys(WEB_TYPES);
  const root = { title: 'GrifApi', type: 'object', properties: WEB_TYPES, required: names, additionalProperties: false };
  // The root's own interface only gathers the types; every named schema is exported by its title.
  const ts = await compile(structuredClone(root) as never, 'GrifApi', { bannerComment: BANNER, additionalProperties: false, unknownAny: true, format: true });
  return sameTypesOnce(ts.replace(/export interface GrifApi \{[^}]*\}\n\n?/, ''));
}

/**
 * A schema used with a modifier (optional, nullable) is a copy of the named one, and the generator
 * names the copy Level1: the copy's declaration goes and its uses take the original's name.
 */
function sameTypesOnce(ts: string): string {
  const declared = new Map<string, string>();
  for (const m of ts.matchAll(/^export type (\w+) = ([^;]+);$/gm)) declared.set(m[1]!, m[2]!);
  for (const [name, body] of declared) {
    const base = /^(\w+?)\d+$/.exec(name)?.[1];
    if (!base || declared.get(base) !== body) continue;
    ts = ts.replace(new RegExp(`(?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export type ${name} = [^;]+;\\n`), '').replace(new RegExp(`\\b${name}\\b`, 'g'), base);
  }
  return ts;
}

// From scripts/ (a TS runner) or dist/scripts/ (built).
export const API_TYPES_FILE = fileURLToPath(new URL(`${import.meta.url.includes('/dist/scripts/') ? '../..' : '..'}/web/src/api-types.ts`, import.meta.url));

async function main(): Promise<void> {
  const target = process.argv.includes('--file') ? process.argv[process.argv.indexOf('--file') + 1]! : API_TYPES_FILE;
  const fresh = await apiTypesSource();
  if (process.argv.includes('--check')) {
    const now = await readFile(target, 'utf8').catch(() => '');
    if (now !== fresh) {
      console.error(`${target} is not what src/http/api-schema.ts makes: run npm run api-types`);
      process.exit(1);
    }
    return;
  }
  await writeFile(target, fresh);
  console.log(`wrote ${target}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
