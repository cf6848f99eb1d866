/**
 * What an act's number may be, for the command line and the HTTP API alike: what a clerk writes on
 * paper ("№ 12/2026", "5-б"), up to 60 characters, one line, and never "." or ".." (the act is
 * fetched at /destructions/NUMBER/pdf, and a URL resolves those away). "/" is allowed: the address
 * carries it encoded.
 */
export const ACT_NUMBER_MAX = 60;
export const ACT_NUMBER_PATTERN = '^(?!\\.{1,2}$)[^\\u0000-\\u001f\\u007f]*\\S[^\\u0000-\\u001f\\u007f]*$';

/** Why `act` (trimmed) cannot be an act's number, or undefined when it can. */
export function actNumberProblem(act: string): string | undefined {
  if (!act) return 'give the act its number (--act "…")';
  if (act.length > ACT_NUMBER_MAX) return `an act's number is at most ${ACT_NUMBER_MAX} characters, not ${act.length}`;
  if (!new RegExp(ACT_NUMBER_PATTERN, 'u').test(act)) return `an act's number is one line of text, not "." or "..": ${JSON.stringify(act)}`;
  return undefined;
}
