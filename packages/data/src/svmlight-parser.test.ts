import { DataError } from '@mtl2r/core';
import { describe, expect, it } from 'vitest';
import { type SvmlightParseOptions, SvmlightParser, type SvmlightTable } from './svmlight-parser.js';

function parse(text: string, options: SvmlightParseOptions = {}, chunkSize = 1 << 20): SvmlightTable {
  const parser = new SvmlightParser('data.txt', options);
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += chunkSize) parser.push(bytes.subarray(at, at + chunkSize));
  return parser.finish();
}

function parseError(text: string, options: SvmlightParseOptions = {}): DataError {
  try {
    parse(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

const SAMPLE = [
  '2 qid:10 1:0.5 3:-1.25 # docid = a',
  '0 qid:10 2:3e2 3:7',
  '',
  '# a comment line',
  '1 qid:11 1:1 2:2 3:3',
  '',
].join('\n');

describe('SvmlightParser', () => {
  it('reads labels, qids, dense features with absent ids as 0, and skips comments and blank lines', () => {
    const table = parse(SAMPLE);
    expect(table.featureCount).toBe(3);
    expect(Array.from(table.labels)).toEqual([2, 0, 1]);
    expect(table.queryIds).toEqual(['10', '11']);
    expect(Array.from(table.queryOffsets)).toEqual([0, 2, 3]);
    expect(Array.from(table.features)).toEqual([0.5, 0, -1.25, 0, 300, 7, 1, 2, 3]);
  });

  it('gives the same table whatever the chunk boundaries', () => {
    const whole = parse(SAMPLE);
    for (const size of [1, 2, 3, 7, 13]) {
      const chunked = parse(SAMPLE, {}, size);
      expect(Array.from(chunked.features)).toEqual(Array.from(whole.features));
      expect(Array.from(chunked.labels)).toEqual(Array.from(whole.labels));
      expect(chunked.queryIds).toEqual(whole.queryIds);
    }
  });

  it('accepts CRLF line ends, tabs and a last line without newline', () => {
    const table = parse('1\tqid:7\t1:2\r\n0 qid:7 1:3');
    expect(Array.from(table.features)).toEqual([2, 3]);
    expect(table.queryIds).toEqual(['7']);
  });

  it('widens the inferred width as larger ids appear and pads with the declared count', () => {
    const inferred = parse('1 qid:1 1:1\n1 qid:1 2:2 9:9\n0 qid:2 4:4\n');
    expect(inferred.featureCount).toBe(9);
    expect(Array.from(inferred.features.subarray(9, 18))).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 9]);
    expect(Array.from(inferred.features.subarray(18, 27))).toEqual([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const declared = parse('1 qid:1 1:1\n', { featureCount: 4 });
    expect(declared.featureCount).toBe(4);
    expect(Array.from(declared.features)).toEqual([1, 0, 0, 0]);
  });

  it('skips a UTF-8 byte-order mark at the start of the file, whatever the chunk boundaries', () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('2 qid:1 1:3\n0 qid:1 2:4\n')]);
    for (const size of [1, 2, 3, 4, 1 << 20]) {
      const parser = new SvmlightParser('bom.txt');
      for (let at = 0; at < text.length; at += size) parser.push(text.subarray(at, at + size));
      const table = parser.finish();
      expect(Array.from(table.labels)).toEqual([2, 0]);
      expect(Array.from(table.features)).toEqual([3, 0, 0, 4]);
      expect(table.queryIds).toEqual(['1']);
    }
    // Only at the start: a mark inside the file is a bad token on its line.
    const inside = Buffer.from('1 qid:1 1:1\n\u00ef\u00bb\u00bf0 qid:1 1:1\n', 'latin1');
    const parser = new SvmlightParser('bom.txt');
    expect(() => {
      parser.push(inside);
      parser.finish();
    }).toThrow(/bom\.txt:2:1: label: expected a finite number/);
  });

  it('reports the largest feature id present, below a declared count when trailing columns are absent', () => {
    expect(parse('1 qid:1 1:1 3:2\n0 qid:1 2:1\n', { featureCount: 46 })).toMatchObject({
      featureCount: 46,
      maxFeatureId: 3,
    });
    expect(parse('1 qid:1 1:1 9:2\n').maxFeatureId).toBe(9);
  });

  it('regroups a reappearing qid when asked, keeping first-appearance order', () => {
    const table = parse('1 qid:10 1:1\n2 qid:20 1:2\n3 qid:10 1:3\n4 qid:30 1:4\n5 qid:20 1:5\n', {
      regroup: true,
    });
    expect(table.queryIds).toEqual(['10', '20', '30']);
    expect(Array.from(table.queryOffsets)).toEqual([0, 2, 4, 5]);
    expect(Array.from(table.labels)).toEqual([1, 3, 2, 5, 4]);
    expect(Array.from(table.features)).toEqual([1, 3, 2, 5, 4]);
  });

  describe('bad input: one DataError with file:line:column and what was expected', () => {
    const cases: Array<[string, string, SvmlightParseOptions, number, number | undefined, RegExp]> = [
      [
        'non-numeric value',
        '1 qid:1 1:0.5\n1 qid:1 1:abc\n',
        {},
        2,
        11,
        /feature 1: expected a finite number, got 'abc'/,
      ],
      ['non-numeric label', 'x qid:1 1:1\n', {}, 1, 1, /label: expected a finite number, got 'x'/],
      [
        'missing qid',
        '1 qid:1 1:1\n0 1:0.5 2:1\n',
        {},
        2,
        3,
        /expected 'qid:<id>' after the label, got '1:0.5'/,
      ],
      ['empty qid', '1 qid: 1:1\n', {}, 1, 7, /expected a query id after 'qid:'/],
      [
        'non-integer qid',
        '1 qid:1 1:1\n0 qid:abc 1:1\n',
        {},
        2,
        7,
        /query id 'abc' is not an integer: expected 'qid:<non-negative integer>'/,
      ],
      ['fractional qid', '1 qid:1.5 1:1\n', {}, 1, 7, /query id '1\.5' is not an integer/],
      ['feature index 0', '1 qid:1 0:1 1:2\n', {}, 1, 9, /feature index 0: indices are 1-based/],
      ['negative index', '1 qid:1 -3:1\n', {}, 1, 9, /feature index in '-3:1' is negative/],
      [
        'index out of range',
        '1 qid:1 1:1 47:1\n',
        { featureCount: 46 },
        1,
        13,
        /feature index 47 is out of range: expected 1..46/,
      ],
      [
        'huge index without a declared count',
        '1 qid:1 1:1 99999999999:1\n',
        {},
        1,
        13,
        /feature index 99999999999 is too large to infer the feature count: expected at most 1000000/,
      ],
      [
        'unsorted indices',
        '1 qid:1 1:1 3:1 2:1\n',
        {},
        1,
        17,
        /feature index 2 after 3: expected strictly increasing/,
      ],
      ['duplicated index', '1 qid:1 1:1 2:1 2:5\n', {}, 1, 17, /duplicated feature index 2/],
      [
        'label outside range',
        '1 qid:1 1:1\n3 qid:1 1:1\n',
        { maxLabel: 2 },
        2,
        1,
        /label 3 is outside the declared range: expected a value in \[0, 2\]/,
      ],
      ['negative label with a range', '-1 qid:1 1:1\n', { maxLabel: 2 }, 1, 1, /label -1 is outside/],
      ['NaN value', '1 qid:1 1:nan\n', {}, 1, 11, /expected a finite number, got non-finite 'nan'/],
      ['inf value', '1 qid:1 1:1 2:-inf\n', {}, 1, 15, /got non-finite '-inf'/],
      [
        'Infinity label',
        'Infinity qid:1 1:1\n',
        {},
        1,
        1,
        /label: expected a finite number, got non-finite 'Infinity'/,
      ],
      [
        'huge value overflowing to inf',
        '1 qid:1 1:1e999\n',
        {},
        1,
        11,
        /expected a finite number, got '1e999'/,
      ],
      ['value with trailing garbage', '1 qid:1 1:0.5x\n', {}, 1, 11, /got '0.5x'/],
      ['index without value', '1 qid:1 1:\n', {}, 1, 11, /feature 1: expected a finite number, got nothing/],
      [
        'pair without colon',
        '1 qid:1 12\n',
        {},
        1,
        9,
        /expected 'index:value' with a positive integer index, got '12'/,
      ],
    ];
    for (const [what, text, options, line, column, message] of cases) {
      it(what, () => {
        const error = parseError(text, options);
        expect(error.file).toBe('data.txt');
        expect(error.line).toBe(line);
        expect(error.column).toBe(column);
        expect(error.message).toMatch(message);
        expect(
          error.message.startsWith(`data.txt:${line}${column === undefined ? '' : `:${column}`}: `),
        ).toBe(true);
      });
    }

    it('a qid that reappears after another one names both lines', () => {
      const error = parseError('1 qid:7 1:1\n1 qid:7 1:1\n0 qid:8 1:1\n0 qid:7 1:1\n');
      expect(error.line).toBe(4);
      expect(error.column).toBe(7);
      expect(error.message).toMatch(
        /qid 7 reappears after qid 8; it was first seen at line 1: documents of a query must be contiguous/,
      );
    });

    it('an empty file (or only comments) says there are no data lines', () => {
      for (const text of ['', '\n\n# only a comment\n']) {
        const error = parseError(text);
        expect(error.line).toBeUndefined();
        expect(error.message).toMatch(/data.txt: no data lines: expected lines like 'label qid:Q 1:value/);
      }
    });

    it('a truncated last line of a dense file is detected', () => {
      const error = parseError('1 qid:1 1:1 2:2 3:3\n0 qid:1 1:4 2:5 3:6\n2 qid:1 1:7 2:8');
      expect(error.line).toBe(3);
      expect(error.message).toMatch(
        /the last line has 2 features where every other line has 3, and the file does not end with a newline: the file looks truncated/,
      );
    });

    it('a last line cut inside a token says it may be truncated', () => {
      const error = parseError('1 qid:1 1:1 2:2\n0 qid:1 1:4 2:');
      expect(error.line).toBe(2);
      expect(error.column).toBe(15);
      expect(error.message).toMatch(
        /expected a finite number, got nothing \(the file does not end with a newline: the last line may be truncated\)/,
      );
    });

    it('lines that only carry a qid are an error: no features at all', () => {
      expect(parseError('1 qid:1\n').message).toMatch(/no features on any line/);
    });
  });
});
