import { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isNode } from '../../../core/node.js';
import { checkpointContents, writeCheckpointDir } from './files.js';

/** Where a checkpoint goes: a directory or tfjs IO URL, an IOHandler, or a function given the artifacts. */
export type CheckpointTarget = string | io.IOHandler | ((artifacts: io.ModelArtifacts) => unknown);

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The local directory a string target names (no scheme, or `file://` as tfjs-node reads it), else null. */
export function localDirectory(target: string): string | null {
  const m = SCHEME.exec(target);
  if (m === null) return target;
  return m[1]!.toLowerCase() === 'file' ? target.slice(m[0].length) : null;
}

/** How a non-string target appears in messages and `lastSavedPath`. */
export function describeTarget(target: Exclude<CheckpointTarget, string>): string {
  if (typeof target !== 'function') return 'IOHandler';
  // An arrow written inline in the options is named 'filepath' by inference, which says nothing.
  return target.name === '' || target.name === 'filepath' ? 'function' : `function ${target.name}`;
}

/**
 * Serializes the model through `model.save` itself (so the artifacts are exactly tfjs'), keeping
 * only the weights when asked. Weight values are read, not copied: no tensor is created.
 */
export async function modelArtifacts(model: LayersModel, weightsOnly: boolean): Promise<io.ModelArtifacts> {
  let captured: io.ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  if (captured === undefined) throw new Error('model.save produced no artifacts');
  if (!weightsOnly) return captured;
  const { weightSpecs, weightData, format, generatedBy, convertedBy } = captured;
  return { weightSpecs, weightData, format, generatedBy, convertedBy };
}

/** Sends the artifacts to the target; `where` is the rendered filepath for string targets. */
export async function saveArtifacts(
  target: CheckpointTarget,
  where: string,
  artifacts: io.ModelArtifacts,
): Promise<void> {
  if (typeof target === 'function') {
    await target(artifacts);
    return;
  }
  let handler: io.IOHandler;
  if (typeof target === 'string') {
    const dir = localDirectory(where);
    if (dir !== null) {
      if (!isNode())
        throw new Error(
          'a plain directory path needs Node; in a browser use an indexeddb://, localstorage:// or downloads:// URL',
        );
      await writeCheckpointDir(dir, checkpointContents(artifacts));
      return;
    }
    const handlers = io.getSaveHandlers(where);
    if (handlers.length !== 1) {
      throw new Error(
        handlers.length === 0
          ? 'no tfjs save handler is registered for this URL scheme (indexeddb://, localstorage:// and downloads:// exist in browsers only)'
          : `${handlers.length} tfjs save handlers match this URL`,
      );
    }
    handler = handlers[0]!;
  } else {
    handler = target;
  }
  const result = await handler.save!(artifacts);
  if (result?.errors != null && result.errors.length > 0) {
    throw new Error(
      `the IOHandler reported ${result.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ')}`,
    );
  }
}
