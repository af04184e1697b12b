/**
 * Python `str.format` specs for numbers (`{epoch:02d}`, `{val_loss:.4f}`), so that Keras filepath
 * templates produce the same file names here. Rounding is done on the exact decimal value of the
 * double, half to even, as CPython does (JS `toFixed` rounds ties up and would differ on e.g. 0.125).
 */
export interface FormatSpec {
  fill: string;
  align: '<' | '>' | '=' | '^';
  sign: '+' | '-' | ' ';
  alt: boolean;
  width: number;
  grouping: ',' | '_' | '';
  precision: number | undefined;
  type: string;
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bdeEfFgGoxX%])?$/;
const INT_TYPES = 'bdoxX';
const RADIX: Record<string, number> = { b: 2, o: 8, x: 16, X: 16 };

/** The largest width and precision a template may ask for. */
const MAX_DIGITS = 64;

/**
 * Parses a spec for an integer (`int`: epoch, batch) or a float (log values), or returns the reason
 * Python would reject it (or, for widths and precisions beyond 64, why this library does).
 */
export function parseSpec(spec: string, kind: 'int' | 'float'): FormatSpec | string {
  const m = SPEC.exec(spec);
  if (m === null) return `unsupported format spec ":${spec}"`;
  const [, fill, align, sign, alt, zero, width, grouping, precision, type = ''] = m;
  if (kind === 'float' && type !== '' && INT_TYPES.includes(type))
    return `format code '${type}' needs an integer, log values are floats`;
  if (type !== '' && INT_TYPES.includes(type) && precision !== undefined)
    return 'precision is not allowed with an integer format';
  // A file name needs no more; unbounded, `{epoch:99999999d}` would build a 100 MB string per save.
  for (const [what, digits] of [
    ['width', width],
    ['precision', precision],
  ] as const) {
    if (digits !== undefined && Number(digits) > MAX_DIGITS) return `${what} ${digits} is more than ${MAX_DIGITS}`;
  }
  return {
    fill: fill ?? (zero ? '0' : ' '),
    align: (align ?? (zero ? '=' : '>')) as FormatSpec['align'],
    sign: (sign ?? '-') as FormatSpec['sign'],
    alt: alt !== undefined,
    width: width === undefined ? 0 : Number(width),
    grouping: (grouping ?? '') as FormatSpec['grouping'],
    precision: precision === undefined ? undefined : Number(precision),
    type,
  };
}

/** A positive finite double as 0.DIGITS × 10^point, exactly (no trailing zeros in digits). */
function exactDecimal(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exp2 = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  const scaled = exp2 >= 0 ? (mantissa << BigInt(exp2)).toString() : (mantissa * 5n ** BigInt(-exp2)).toString();
  const point = scaled.length - Math.max(0, -exp2);
  return { digits: scaled.replace(/0+$/, ''), point };
}

/** Keeps `keep` leading digits, rounding half to even; a carry may lengthen the number. */
function roundTo(d: { digits: string; point: number }, keep: number): { digits: string; point: number } {
  if (keep < 0) return { digits: '', point: d.point };
  if (keep >= d.digits.length) return d;
  const kept = d.digits.slice(0, keep);
  const next = d.digits.charCodeAt(keep) - 48;
  const lastOdd = keep > 0 && (d.digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (/[1-9]/.test(d.digits.slice(keep + 1)) || lastOdd));
  if (!up) return { digits: kept, point: d.point };
  const bumped = (BigInt(kept === '' ? '0' : kept) + 1n).toString();
  return { digits: bumped, point: d.point + (bumped.length - keep) };
}

function fixedParts(d: { digits: string; point: number }, decimals: number): [string, string] {
  const r = roundTo(d, d.point + decimals);
  if (r.digits === '') return ['0', '0'.repeat(decimals)];
  const intPart = r.point > 0 ? r.digits.slice(0, r.point).padEnd(r.point, '0') : '0';
  const frac = r.point >= 0 ? r.digits.slice(r.point) : '0'.repeat(-r.point) + r.digits;
  return [intPart, frac.padEnd(decimals, '0').slice(0, decimals)];
}

function exponential(d: { digits: string; point: number }, decimals: number, alt: boolean, e = 'e'): string {
  const r = d.digits === '' ? { digits: '0', point: 1 } : roundTo(d, decimals + 1);
  const all = r.digits.padEnd(decimals + 1, '0');
  const exp = r.point - 1;
  const mant = all[0]! + (decimals > 0 || alt ? '.' : '') + all.slice(1, decimals + 1);
  return `${mant}${e}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Python's general format: fixed or exponential depending on the exponent after rounding. */
function general(
  d: { digits: string; point: number },
  precision: number,
  alt: boolean,
  threshold: number,
  e: string,
): string {
  const p = precision === 0 ? 1 : precision;
  const r = d.digits === '' ? { digits: '', point: 1 } : roundTo(d, p);
  const exp = r.point - 1;
  const strip = (s: string): string => (alt ? s : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  if (exp >= -4 && exp < threshold) {
    const [i, f] = fixedParts(d, Math.max(0, p - 1 - exp));
    return strip(f === '' && !alt ? i : `${i}.${f}`);
  }
  const s = exponential(d, p - 1, alt, e);
  const at = s.indexOf(e);
  return strip(s.slice(0, at)) + s.slice(at);
}

/** Python's repr of a float: shortest round-trip digits, exponential below 1e-4 or from 1e16. */
function floatRepr(x: number): string {
  if (x === 0) return '0.0';
  const [m, e] = x.toExponential().split('e') as [string, string];
  const d = { digits: m.replace('.', ''), point: Number(e) + 1 };
  const exp = d.point - 1;
  if (exp >= -4 && exp < 16) {
    const [i, f] = fixedParts(d, Math.max(1, d.digits.length - d.point));
    return `${i}.${f}`;
  }
  return exponential(d, d.digits.length - 1, false);
}

function group(intPart: string, sep: string, size: number): string {
  if (sep === '') return intPart;
  const out: string[] = [];
  for (let end = intPart.length; end > 0; end -= size) out.unshift(intPart.slice(Math.max(0, end - size), end));
  return out.join(sep);
}

function body(abs: number, s: FormatSpec, kind: 'int' | 'float'): [string, string] {
  const t = s.type;
  const upper = t === 'F' || t === 'E' || t === 'G';
  if (!Number.isFinite(abs)) {
    const word = Number.isNaN(abs) ? 'nan' : 'inf';
    return ['', (upper ? word.toUpperCase() : word) + (t === '%' ? '%' : '')];
  }
  if ((t !== '' && INT_TYPES.includes(t)) || (t === '' && kind === 'int')) {
    const radix = RADIX[t] ?? 10;
    const digits = BigInt(Math.trunc(abs)).toString(radix);
    const prefix = s.alt && radix !== 10 ? `0${t === 'X' ? 'X' : t}` : '';
    return [prefix, group(t === 'X' ? digits.toUpperCase() : digits, s.grouping, radix === 10 ? 3 : 4)];
  }
  if (t === '' && s.precision === undefined) return ['', floatRepr(abs)];
  // Python's '%' multiplies in floating point first (so 1e22 shows as 999...784%).
  const scaled = t === '%' ? abs * 100 : abs;
  if (!Number.isFinite(scaled)) return ['', 'inf%'];
  const d = scaled === 0 ? { digits: '', point: 1 } : exactDecimal(scaled);
  const precision = s.precision ?? 6;
  if (t === 'e' || t === 'E') return ['', exponential(d, precision, s.alt, t)];
  if (t === 'g' || t === 'G' || t === '') {
    const out = general(
      d,
      precision,
      s.alt,
      t === '' ? Math.max(1, precision) - 1 : Math.max(1, precision),
      t === 'G' ? 'E' : 'e',
    );
    return ['', t === '' && !/[.e]/.test(out) ? `${out}.0` : out];
  }
  const [i, f] = fixedParts(d, precision);
  return ['', group(i, s.grouping, 3) + (f !== '' || s.alt ? `.${f}` : '') + (t === '%' ? '%' : '')];
}

/** Formats `value` like Python's `format(value, spec)`, where epoch/batch are ints and log values floats. */
export function formatNumber(value: number, spec: FormatSpec, kind: 'int' | 'float'): string {
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : spec.sign === '-' ? '' : spec.sign;
  const [prefix, digits] = body(Math.abs(value), spec, kind);
  const pad = Math.max(0, spec.width - sign.length - prefix.length - digits.length);
  const fill = spec.fill.repeat(pad);
  switch (spec.align) {
    case '<':
      return sign + prefix + digits + fill;
    case '^':
      return spec.fill.repeat(pad >> 1) + sign + prefix + digits + spec.fill.repeat(pad - (pad >> 1));
    case '=':
      return sign + prefix + fill + digits;
    default:
      return fill + sign + prefix + digits;
  }
}
