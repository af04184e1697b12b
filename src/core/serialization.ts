import { serialization } from '@tensorflow/tfjs-core';

type Registrable = Parameters<typeof serialization.registerClass>[0];

const registered = new WeakSet<object>();

/**
 * Registers a class with tfjs' serialization registry (what `tf.loadLayersModel` looks classes up
 * in) the first time it is asked. Registration is explicit, from factories and
 * `registerSerializables()`, never a side effect of importing a module.
 */
export function registerOnce(...classes: Registrable[]): void {
  for (const cls of classes) {
    if (registered.has(cls)) continue;
    serialization.registerClass(cls);
    registered.add(cls);
  }
}
