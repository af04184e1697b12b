import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { errorText } from '../core/errorText.js';
import { isNode, nodeImport } from '../core/node.js';
import { checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { localDirectory } from './_internal/checkpoint/target.js';

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /**
   * For a weights-only checkpoint (`saveWeightsOnly`): the model, built like the one saved, whose
   * weights are set from it; it is also what `loadCheckpoint` returns. @defaultValue none
   */
  model?: LayersModel;
}

const LOAD_CHECKPOINT_OPTIONS = optionNames<LoadCheckpointOptions>()('model');

interface Manifest {
  modelTopology?: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  [key: string]: unknown;
}

/** A directory's checkpoint files in memory: the manifest and every weights file it names. */
async function readDirectory(
  dir: string,
): Promise<{ manifest: Manifest; data: ArrayBuffer; kind: 'model' | 'weights' }> {
  const fs = await nodeImport('fs/promises');
  const { join } = await nodeImport('path');
  // A save may replace the weights between reading the manifest and its files: read again then, for
  // as long as the manifest keeps changing (a writer moving on); weights missing under an unchanged
  // manifest are really missing.
  let previous: string | undefined;
  for (let attempt = 0; ; attempt++) {
    let kind: 'model' | 'weights' = 'model';
    let text = await fs.readFile(join(dir, 'model.json'), 'utf8').catch(() => undefined);
    if (text === undefined) {
      kind = 'weights';
      text = await fs.readFile(join(dir, 'weights.json'), 'utf8').catch((e: unknown) => {
        throw new Error(
          `loadCheckpoint: ${dir} holds no checkpoint (neither model.json nor weights.json): ${errorText(e)}`,
        );
      });
    }
    const manifest = JSON.parse(text) as Manifest;
    const paths = manifest.weightsManifest.flatMap((g) => g.paths);
    try {
      const parts = await Promise.all(paths.map((p) => fs.readFile(join(dir, p))));
      const data = tf.io.concatenateArrayBuffers(
        parts.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
      );
      return { manifest, data, kind };
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT' || text === previous || attempt >= 100) throw e;
      previous = text;
    }
  }
}

/**
 * Reads back what {@link modelCheckpoint} wrote: a directory (Node; plain path or `file://`),
 * without tfjs-node, or a tfjs IO URL (`indexeddb://`, `localstorage://`, `http(s)://`) in any
 * environment. A full checkpoint (`model.json`) gives the model; a weights-only one
 * (`weights.json`) sets the weights of `options.model` and gives it back.
 *
 * A model that uses this library's layers or regularizers needs their classes registered first:
 * call `registerSerializables()` (from `tfjs-regularization`) once before loading it.
 *
 * @param source - The checkpoint's directory or URL.
 * @param options - `model`, for a weights-only checkpoint.
 * @returns The loaded model (not compiled, as `tf.loadLayersModel` returns it).
 * @throws Error naming `loadCheckpoint` for a bad argument, a directory without a checkpoint, a
 *   weights-only checkpoint without `options.model` (or of another architecture), or a class that
 *   is not registered (with what to call).
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { loadCheckpoint, modelCheckpoint } from 'tfjs-regularization/callbacks';
 *
 * const dir = join(await mkdtemp(join(tmpdir(), 'ckpt-')), 'best');
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
 * const save = modelCheckpoint({ filepath: dir });
 * save.setModel(model);
 * await save.onEpochEnd(0, { val_loss: 0.5 });
 * const loaded = await loadCheckpoint(dir);
 * console.log(loaded.countParams()); // 3
 * ```
 */
export async function loadCheckpoint(source: string, options?: LoadCheckpointOptions): Promise<LayersModel> {
  const fn = 'loadCheckpoint';
  if (typeof source !== 'string' || source === '')
    throw invalidArgument(fn, 'source', source, 'a directory or a tfjs IO URL');
  const o = checkOptions<LoadCheckpointOptions>(fn, options, LOAD_CHECKPOINT_OPTIONS);
  const dir = localDirectory(source);
  try {
    if (dir === null) return await tfl.loadLayersModel(source);
    if (!isNode())
      throw new Error(
        'a directory path needs Node; in a browser load an indexeddb://, localstorage:// or http(s):// URL',
      );
    const { manifest, data, kind } = await readDirectory(dir);
    const weightSpecs = manifest.weightsManifest.flatMap((g) => g.weights);
    if (kind === 'model') {
      return await tfl.loadLayersModel(
        tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs, weightData: data }),
      );
    }
    if (o.model === undefined) {
      throw invalidArgument(fn, 'options.model', o.model, `the model to load the weights-only checkpoint ${dir} into`);
    }
    const named = tf.io.decodeWeights(data, weightSpecs);
    const weights = weightSpecs.map((s) => named[s.name]!);
    try {
      o.model.setWeights(weights);
    } finally {
      tf.dispose(weights);
    }
    return o.model;
  } catch (e) {
    const message = errorText(e);
    if (message.startsWith(`${fn}:`)) throw e;
    const unknown = /Unknown (layer|regularizer|constraint|initializer)/.test(message)
      ? ' (a class of this library? call registerSerializables() from tfjs-regularization first)'
      : '';
    throw new Error(`${fn}: could not load ${JSON.stringify(source)}: ${message}${unknown}`, { cause: e });
  }
}
