// The register's exports: RFC 4180 CSV that a spreadsheet cannot be tricked into running, and JSON Lines.
import { describe, expect, it } from 'vitest';
import { csvCell, latestDecision, statusOf, toCsv, toJsonLines } from '../../src/register/export.js';
import type { EventRow, RegisterEntry } from '../../src/register/register.js';

const SHA = 'a'.repeat(64);
const OUT = 'b'.repeat(64);

function entry(over: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    id: `${SHA.slice(0, 32)}-KZ-KG`, incoming: { year: 2026, seq: 17 }, receivedAt: '2026-03-01T10:00:00.000Z', name: 'plain.pdf', from: 'KZ', to: 'KG',
    inputSha256: SHA, kind: 'carrier', derivedFrom: null, intake: 'inbox', events: [], ...over,
  };
}

function ev(seq: number, over: Partial<EventRow> = {}): EventRow {
  return {
    seq, n: seq, carrierId: entry().id, at: '2026-03-01T10:00:01.000Z', kind: 'verdict', state: null, level: 'secret', stamps: [],
    decidedBy: 'grif 0.1.0', reference: null, outputSha256: null, outputPath: null, detail: null, key: null, prevHash: '', hash: '', ...over,
  };
}

/** A minimal RFC 4180 reader, to check that what toCsv writes reads back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('plain.pdf')).toBe('plain.pdf');
    expect(csvCell('Приказ №5.pdf')).toBe('Приказ №5.pdf');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "secret"')).toBe('"say ""secret"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
  });

  it("neutralises cells a spreadsheet would run as formulas with a leading '", () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+7 701')).toBe("'+7 701");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('toCsv', () => {
  it('writes a header and one line per carrier with its latest decision', () => {
    const stamped = entry({
      name: '=HYPERLINK("http://evil","open me"), urgent.pdf',
      events: [
        ev(1, { kind: 'review', state: 'review', level: 'secret' }),
        ev(2, { kind: 'decision', state: 'decided', level: 'top-secret', decidedBy: 'A. Ivanova', reference: 'ГКНБ-17/2026' }),
        ev(3, { kind: 'stamped', state: 'stamped', level: 'top-secret', decidedBy: 'grif 0.1.0', reference: 'ГКНБ-17/2026', outputSha256: OUT, outputPath: 'outbox/x.pdf' }),
        ev(4, { kind: 'duplicate', level: null, detail: 'again' }),
      ],
    });
    const fresh = entry({ id: 'c-KG-KZ', incoming: { year: 2026, seq: 18 }, from: 'KG', to: 'KZ', kind: 'copy', derivedFrom: stamped.id, name: 'line\nbreak.pdf' });
    const text = toCsv([stamped, fresh]);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows).toEqual([
      ['incoming', 'id', 'receivedAt', 'name', 'from', 'to', 'kind', 'derivedFrom', 'inputSha256', 'status', 'level', 'decidedBy', 'reference', 'outputSha256', 'outputPath'],
      ['17/2026', stamped.id, stamped.receivedAt, `'=HYPERLINK("http://evil","open me"), urgent.pdf`, 'KZ', 'KG', 'carrier', '', SHA, 'stamped', 'top-secret', 'grif 0.1.0', 'ГКНБ-17/2026', OUT, 'outbox/x.pdf'],
      ['18/2026', 'c-KG-KZ', fresh.receivedAt, 'line\nbreak.pdf', 'KG', 'KZ', 'copy', stamped.id, SHA, 'received', '', '', '', '', ''],
    ]);
  });

  it('has the header alone for an empty register', () => {
    expect(toCsv([])).toBe('incoming,id,receivedAt,name,from,to,kind,derivedFrom,inputSha256,status,level,decidedBy,reference,outputSha256,outputPath\r\n');
  });
});

describe('latestDecision', () => {
  it('passes over duplicate arrivals, which decide nothing', () => {
    expect(latestDecision(entry())).toBeUndefined();
    expect(statusOf(entry())).toBe('received');
    const e = entry({ events: [ev(1, { kind: 'unmarked', state: 'unchanged', level: null }), ev(2, { kind: 'duplicate', level: null })] });
    expect(latestDecision(e)?.seq).toBe(1);
    expect(statusOf(e)).toBe('unmarked');
    expect(statusOf(entry({ events: [ev(1, { kind: 'already-marked', state: 'unchanged' })] }))).toBe('already-marked');
    expect(statusOf(entry({ events: [ev(1, { kind: 'duplicate' })] }))).toBe('received');
  });
});

describe('toJsonLines', () => {
  it('writes one object per carrier, events included, that reads back equal', () => {
    const entries = [entry({ events: [ev(1, { stamps: [{ lang: 'kk', level: 'secret', page: 1, bbox: [1, 2, 3, 4], evidence: 'Құпия' }] })] }), entry({ id: 'x' })];
    const text = toJsonLines(entries);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(entries);
    expect(toJsonLines([])).toBe('');
  });
});
