import type { ByteArray, Loader } from './idx.js';
import { payload } from './idx.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/**
 * Parses a NumPy .npy file holding a C-ordered uint8 array: the magic string, a version byte pair,
 * the header length (uint16 in version 1, uint32 in versions 2 and 3, little-endian), a Python dict
 * literal with `descr`, `fortran_order` and `shape`, then the raw data.
 */
export function parseNpy(loader: Loader, bytes: Uint8Array, where: string): ByteArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${loader.fn}: ${where} has a wrong magic number: not a NumPy .npy file`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new Error(`${loader.fn}: ${where} has an unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new Error(`${loader.fn}: ${where} is truncated inside its .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  if (bytes.length < start + headerLength)
    throw new Error(`${loader.fn}: ${where} is truncated inside its .npy header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${loader.fn}: ${where} has an unparsable .npy header ${JSON.stringify(header.trim())}`);
  }
  // One-byte elements have no byte order, so '|u1', '<u1' and '>u1' all mean uint8.
  if (!/^[|<>=]?u1$/.test(descr))
    throw new Error(`${loader.fn}: ${where} holds dtype '${descr}', expected uint8 ('|u1')`);
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!parts.every((s) => /^\d+$/.test(s)))
    throw new Error(`${loader.fn}: ${where} has an unparsable .npy shape (${shapeText})`);
  const shape = parts.map(Number);
  if (fortran === 'True' && shape.filter((d) => d > 1).length > 1) {
    throw new Error(`${loader.fn}: ${where} is stored in Fortran order, expected C order (fortran_order False)`);
  }
  return { shape, data: payload(loader, bytes, start + headerLength, shape, where) };
}
