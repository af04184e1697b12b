/** An n-dimensional array of unsigned bytes read from an idx or .npy file. */
export interface ByteArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Which loader reads a file, for its error messages: `loadMnist` and MNIST, say. */
export interface Loader {
  /** The public function, the prefix of every error. */
  readonly fn: string;
  /** The data set's name, as in "the MNIST idx files". */
  readonly title: string;
  /** The name with its article, as in "not an MNIST image file". */
  readonly aTitle: string;
}

const UBYTE = 0x08;

/**
 * Parses an idx file of unsigned bytes (LeCun's MNIST format): two zero bytes, the type code 0x08,
 * the number of dimensions, the dimensions as big-endian uint32, then the data in row-major order.
 * `loader` and `where` (the file) name it in error messages; `rank` is 3 for images and 1 for labels.
 */
export function parseIdx(loader: Loader, bytes: Uint8Array, where: string, rank: 1 | 3): ByteArray {
  const expected = (UBYTE << 8) | rank;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < 4)
    throw new Error(`${loader.fn}: ${where} is truncated: ${bytes.length} bytes, an idx header needs ${headerLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expected) {
    throw new Error(
      `${loader.fn}: ${where} has a wrong magic number 0x${hex(magic)}, expected 0x${hex(expected)} ` +
        `(idx, unsigned bytes, ${rank} dimension${rank === 1 ? '' : 's'}): not ${loader.aTitle} ${rank === 1 ? 'label' : 'image'} file`,
    );
  }
  if (bytes.length < headerLength) {
    throw new Error(
      `${loader.fn}: ${where} is truncated: ${bytes.length} bytes, its idx header alone needs ${headerLength}`,
    );
  }
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  return { shape, data: payload(loader, bytes, headerLength, shape, where) };
}

/** The data after a header, checked against the size the shape announces. */
export function payload(
  loader: Loader,
  bytes: Uint8Array,
  offset: number,
  shape: readonly number[],
  where: string,
): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const held = bytes.length - offset;
  if (held < size) {
    throw new Error(
      `${loader.fn}: ${where} is truncated: its header announces ${shape.join('×')} = ${size} bytes of data, the file holds ${held}`,
    );
  }
  if (held > size) {
    throw new Error(
      `${loader.fn}: ${where} has a size mismatch: its header announces ${shape.join('×')} = ${size} bytes of data, the file holds ${held}`,
    );
  }
  // A view, not a copy: the images of the training set alone are 47 MB.
  return new Uint8Array(bytes.buffer, bytes.byteOffset + offset, size);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
