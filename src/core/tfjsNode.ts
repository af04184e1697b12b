import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-node's kernel backend this library uses: it runs any TensorFlow eager op by
 * name, with attributes typed by the binding's constants.
 */
export interface NodeBackend {
  executeSingleOutput(name: string, attrs: readonly unknown[], inputs: readonly Tensor[]): Tensor;
  executeMultipleOutputs(name: string, attrs: readonly unknown[], inputs: readonly Tensor[], outputs: number): Tensor[];
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_FLOAT: number;
    TF_FLOAT: number;
    TF_INT32: number;
  };
}

/** The active backend when it is tfjs-node's (`tensorflow`) and can run TensorFlow ops by name, else undefined. */
export function activeNodeBackend(): NodeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const backend = tf.backend() as unknown as Partial<NodeBackend>;
  if (typeof backend.executeSingleOutput !== 'function' || backend.binding === undefined) return undefined;
  return backend as NodeBackend;
}
