import type * as FsPromises from 'node:fs/promises';
import { nodeImport } from '../../core/node.js';

/** node:fs/promises, loaded on first use so that importing the library needs no Node built-ins. */
export type Fs = typeof FsPromises;

export async function loadFs(fn: string): Promise<Fs> {
  try {
    return await nodeImport('fs/promises');
  } catch (e) {
    throw new Error(`${fn}: needs Node's file system (node:fs/promises), which could not be loaded: ${errorText(e)}`);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(fs: Fs, path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw e;
  }
}

let sequence = 0;

/** Writes a temporary file next to `path`, then renames it over `path`: readers never see half a file. */
export async function writeAtomic(fs: Fs, path: string, text: string): Promise<void> {
  const pid = globalThis.process?.pid ?? 0;
  const temp = `${path}.${pid}.${Date.now()}.${sequence++}.tmp`;
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, path);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

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

/** A JSON history: one record per line inside the array, so that it reads well and diffs well. */
export function jsonHistory(rows: readonly object[]): string {
  return rows.length === 0 ? '[]\n' : `[\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`;
}
