import { lookupMonitor } from '../../../core/logs.js';
import type { LogsLike } from '../../../core/logs.js';
import { formatNumber, parseSpec } from '../pyFormat.js';
import type { FormatSpec } from '../pyFormat.js';

interface Field {
  key: string;
  spec: FormatSpec;
  kind: 'int' | 'float';
}

/** A filepath template like `ckpt-{epoch:02d}-{val_loss:.4f}`, parsed once so a bad one fails at construction. */
export interface PathTemplate {
  source: string;
  parts: (string | Field)[];
  keys: string[];
}

/** Parses a Python `str.format` template with named fields only; returns the reason when it is not valid. */
export function parseTemplate(source: string): PathTemplate | string {
  const parts: (string | Field)[] = [];
  let text = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if ((c === '{' || c === '}') && source[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === '}') return `single '}' at position ${i} (write '}}' for a literal brace)`;
    if (c !== '{') {
      text += c;
      continue;
    }
    const end = source.indexOf('}', i);
    const inner = end < 0 ? '' : source.slice(i + 1, end);
    if (end < 0 || inner.includes('{'))
      return `unclosed or nested '{' at position ${i} (write '{{' for a literal brace)`;
    const colon = inner.indexOf(':');
    const key = colon < 0 ? inner : inner.slice(0, colon);
    if (key === '' || /^\d+$/.test(key)) return `placeholder {${inner}} must name a log key or epoch`;
    if (/[![.]/.test(key)) return `placeholder {${inner}}: conversions, attributes and indexing are not supported`;
    const kind = key === 'epoch' || key === 'batch' ? 'int' : 'float';
    const spec = parseSpec(colon < 0 ? '' : inner.slice(colon + 1), kind);
    if (typeof spec === 'string') return `placeholder {${inner}}: ${spec}`;
    if (text !== '') parts.push(text);
    text = '';
    parts.push({ key, spec, kind });
    i = end;
  }
  if (text !== '') parts.push(text);
  const keys = [...new Set(parts.filter((p): p is Field => typeof p !== 'string').map((p) => p.key))];
  return { source, parts, keys };
}

/**
 * Fills the template: `epoch` and `batch` are 1-based as in Keras, other keys come from the logs
 * (tfjs or Keras names). A key absent from the logs is an error naming the template and the key.
 */
export function renderTemplate(
  owner: string,
  t: PathTemplate,
  epoch: number,
  batch: number | undefined,
  logs: LogsLike,
): string {
  return t.parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const value =
        p.key === 'epoch'
          ? epoch + 1
          : p.key === 'batch' && batch !== undefined
            ? batch + 1
            : lookupMonitor(logs, p.key);
      if (value === undefined) {
        const keys = Object.keys(logs ?? {}).join(', ') || '(none)';
        throw new Error(
          `${owner}: filepath ${JSON.stringify(t.source)} names {${p.key}}, which is not in the logs (available keys: ${keys})`,
        );
      }
      return formatNumber(value, p.spec, p.kind);
    })
    .join('');
}
