/**
 * Names and messages as a terminal shows them. A file name may hold any byte but "/" and NUL: a
 * newline or tab would break the table, other control characters would drive the terminal, and
 * bidirectional overrides would show a name other than the one on disk. Each is written as a
 * visible escape (`\n`, `\t`, `\x1b`, `\u202e`), and a backslash as `\\` so that an escape
 * cannot be mistaken for a name's own characters. JSON output is never passed through this.
 */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

// C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, the line and
// paragraph separators, and the byte-order mark / zero-width no-break space.
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function printable(s: string): string {
  return s.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
