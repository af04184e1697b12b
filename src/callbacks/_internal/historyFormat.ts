import { stringifyRecords } from '../../core/json.js';

/** The file formats of historyLogger: Keras' CSVLogger layout, and a JSON array of epochs. */

/** A CSV field, quoted (RFC 4180) when it holds the separator, a quote or a line break. */
export function csvField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Splits one CSV line into fields, undoing csvField's quoting. */
export function parseCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i += 1;
      while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) {
        field += line[i];
        i += line[i] === '"' ? 2 : 1;
      }
      i += 1;
    }
    const next = line.indexOf(separator, i);
    field += line.slice(i, next < 0 ? line.length : next);
    fields.push(field);
    if (next < 0) return fields;
    i = next + separator.length;
  }
}

/** A value as Keras' CSVLogger writes it (Python's str of a float; NA when absent). */
export function csvValue(v: number | undefined): string {
  if (v === undefined) return 'NA';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/**
 * A JSON history: one record per line inside the array, so that it reads well and diffs well;
 * NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity".
 */
export function jsonHistory(rows: readonly object[]): string {
  return rows.length === 0 ? '[]\n' : `[\n${rows.map((r) => `  ${stringifyRecords(r)}`).join(',\n')}\n]\n`;
}
