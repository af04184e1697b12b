import fc from 'fast-check';
import { expect, it } from 'vitest';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { parseTemplate, renderTemplate } from '../../src/callbacks/_internal/checkpoint/pathTemplate.js';
import type { PathTemplate } from '../../src/callbacks/_internal/checkpoint/pathTemplate.js';
import { formatNumber, parseSpec } from '../../src/callbacks/_internal/pyFormat.js';
import type { FormatSpec } from '../../src/callbacks/_internal/pyFormat.js';

// [value, spec, kind, what CPython 3 prints for format(value, spec)] — generated with Python, not with this library.
const PYTHON: [number, string, 'int' | 'float', string][] = [
  [0.125, '.2f', 'float', '0.12'],
  [0.375, '.2f', 'float', '0.38'],
  [2.5, '.0f', 'float', '2'],
  [0.97683, '.5f', 'float', '0.97683'],
  [0.30000000000000004, '', 'float', '0.30000000000000004'],
  [1.0, '', 'float', '1.0'],
  [1e-5, '', 'float', '1e-05'],
  [1e16, '', 'float', '1e+16'],
  [123456789.0, '', 'float', '123456789.0'],
  [0.00012345, '.3e', 'float', '1.234e-04'],
  [12.0, '.2e', 'float', '1.20e+01'],
  [0.5, '.1%', 'float', '50.0%'],
  [0.12345, 'g', 'float', '0.12345'],
  [1234567.0, 'g', 'float', '1.23457e+06'],
  [0.0001, '.3g', 'float', '0.0001'],
  [1e-5, '.3g', 'float', '1e-05'],
  [100.0, '.3', 'float', '1e+02'],
  [1.0, '.3', 'float', '1.0'],
  [-0.001, '.2f', 'float', '-0.00'],
  [0.6, '+.1f', 'float', '+0.6'],
  [0.6, ' .1f', 'float', ' 0.6'],
  [3.14159, '>8.2f', 'float', '    3.14'],
  [3.14159, '<8.2f', 'float', '3.14    '],
  [3.14159, '*^9.2f', 'float', '**3.14***'],
  [-3.14159, '08.2f', 'float', '-0003.14'],
  [1234567.891, ',.2f', 'float', '1,234,567.89'],
  [Infinity, '.4f', 'float', 'inf'],
  [-Infinity, '.5f', 'float', '-inf'],
  [Number.NaN, '.3f', 'float', 'nan'],
  [Number.NaN, 'F', 'float', 'NAN'],
  [99.995, '.2f', 'float', '100.00'],
  [0.9999, '.3f', 'float', '1.000'],
  [5e-324, '.3e', 'float', '4.941e-324'],
  [1.5, '#.0f', 'float', '2.'],
  [3, '02d', 'int', '03'],
  [3, '', 'int', '3'],
  [12, '03d', 'int', '012'],
  [255, 'x', 'int', 'ff'],
  [255, '#X', 'int', '0XFF'],
  [5, 'b', 'int', '101'],
  [1234567, ',d', 'int', '1,234,567'],
  [7, '>4', 'int', '   7'],
  [7, '<4d', 'int', '7   '],
  [7, '^5d', 'int', '  7  '],
  [7, '+d', 'int', '+7'],
  [3, '.2f', 'int', '3.00'],
  [10, 'e', 'int', '1.000000e+01'],
  [1, '%', 'int', '100.000000%'],
];

const spec = (s: string, kind: 'int' | 'float'): FormatSpec => {
  const p = parseSpec(s, kind);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

it('formats numbers exactly as Python str.format does (ties half to even, repr, exponents, padding)', () => {
  for (const [value, s, kind, python] of PYTHON)
    expect(formatNumber(value, spec(s, kind), kind), `format(${value}, '${s}')`).toBe(python);
});

it('property: fixed formats are correctly rounded and agree with toFixed except on exact ties', () => {
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, p) => {
      const out = formatNumber(x, spec(`.${p}f`, 'float'), 'float');
      expect(out.split('.')[1]?.length ?? 0).toBe(p);
      expect(Math.abs(Number(out) - x)).toBeLessThanOrEqual(0.5 * 10 ** -p * (1 + 1e-9) + Math.abs(x) * 1e-15);
      const exact = Math.abs(x).toFixed(p + 30);
      const tie = /^50*$/.test(exact.slice(exact.indexOf('.') + 1 + p));
      // Python keeps the sign of -0.0 ('-0.00'); JavaScript's toFixed drops it.
      if (!tie) expect(out).toBe(Object.is(x, -0) ? `-${x.toFixed(p)}` : x.toFixed(p));
    }),
  );
});

const template = (s: string): PathTemplate => {
  const t = parseTemplate(s);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

it('renders templates: epoch/batch 1-based, log keys with tfjs/Keras aliases, {{ }} escapes', () => {
  const logs = { loss: 0.25, acc: 0.975, val_accuracy: 0.5 };
  expect(renderTemplate('mc', template('ckpt-{epoch:02d}-{val_loss:.4f}'), 4, undefined, { val_loss: 0.123456 })).toBe(
    'ckpt-05-0.1235',
  );
  expect(renderTemplate('mc', template('{accuracy:.3f}_{val_acc:.1f}_{acc}'), 0, undefined, logs)).toBe(
    '0.975_0.5_0.975',
  );
  expect(renderTemplate('mc', template('b{batch:04d}/{{literal}}-{epoch}'), 1, 41, logs)).toBe('b0042/{literal}-2');
  expect(template('{epoch}{epoch:03d}{loss}').keys).toEqual(['epoch', 'loss']);
  expect(() => renderTemplate('modelCheckpoint', template('m-{val_loss}'), 0, undefined, logs)).toThrow(
    'modelCheckpoint: filepath "m-{val_loss}" names {val_loss}, which is not in the logs (available keys: loss, acc, val_accuracy)',
  );
  expect(() => renderTemplate('modelCheckpoint', template('m-{loss}'), 0, undefined, undefined)).toThrow(
    '(available keys: (none))',
  );
});

it('takes widths and precisions up to 64', () => {
  const t = template('m-{epoch:064d}-{val_loss:64.64f}');
  const name = renderTemplate('modelCheckpoint', t, 0, undefined, { val_loss: 0.5 });
  expect(name).toBe(`m-${'1'.padStart(64, '0')}-${'0.5'.padEnd(66, '0')}`);
});

it('rejects invalid templates at construction, with the reason', () => {
  const reasons: [string, string][] = [
    ['ckpt-{', "unclosed or nested '{' at position 5"],
    ['ckpt-}', "single '}' at position 5"],
    ['a{b{c}}', "unclosed or nested '{' at position 1"],
    ['m-{}', 'placeholder {} must name a log key or epoch'],
    ['m-{0}', 'placeholder {0} must name a log key or epoch'],
    ['m-{loss!r}', 'placeholder {loss!r}: conversions, attributes and indexing are not supported'],
    ['m-{logs.loss}', 'placeholder {logs.loss}: conversions'],
    ['m-{loss:.2q}', 'placeholder {loss:.2q}: unsupported format spec ":.2q"'],
    ['m-{loss:x}', "placeholder {loss:x}: format code 'x' needs an integer"],
    ['m-{epoch:.2d}', 'placeholder {epoch:.2d}: precision is not allowed with an integer format'],
    // Bounded so that a typo cannot build a huge string at every save.
    ['m-{epoch:99999999d}', 'placeholder {epoch:99999999d}: width 99999999 is more than 64'],
    ['m-{epoch:9999999999d}', 'placeholder {epoch:9999999999d}: width 9999999999 is more than 64'],
    ['m-{val_loss:.65f}', 'placeholder {val_loss:.65f}: precision 65 is more than 64'],
    ['m-{val_loss:065.3e}', 'placeholder {val_loss:065.3e}: width 65 is more than 64'],
  ];
  for (const [source, reason] of reasons) {
    expect(parseTemplate(source)).toContain(reason);
    expect(() => modelCheckpoint({ filepath: source })).toThrow(
      `modelCheckpoint: filepath must be a path or URL with valid {placeholders} (${reason}`,
    );
  }
});
