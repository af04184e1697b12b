import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The two places where tfjs' fit loops evaluate: `model.fit` validates through the model's
 * `testLoop` (inside the last batch's step), `model.fitDataset` through `model.evaluate` (which
 * runs `testLoop`) or `model.evaluateDataset`. Neither calls any callback around it.
 */
interface Evaluating {
  testLoop: (...args: unknown[]) => unknown;
  evaluateDataset: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Runs every evaluation of `model` inside `around` until the returned function is called: own
 * properties shadow the prototype's `testLoop` and `evaluateDataset`, and the returned function
 * removes them (putting back own properties that were there before). `around` must call its
 * argument exactly once and return what it returns.
 */
export function hookEvaluation(
  model: LayersModel,
  around: <T>(run: () => T) => T,
  aroundAsync: <T>(run: () => Promise<T>) => Promise<T>,
): () => void {
  const m = model as unknown as Evaluating;
  const own = {
    testLoop: Object.getOwnPropertyDescriptor(m, 'testLoop'),
    evaluateDataset: Object.getOwnPropertyDescriptor(m, 'evaluateDataset'),
  };
  const testLoop = m.testLoop;
  const evaluateDataset = m.evaluateDataset;
  m.testLoop = (...args) => around(() => testLoop.apply(m, args));
  m.evaluateDataset = (...args) => aroundAsync(() => evaluateDataset.apply(m, args));
  return () => {
    for (const key of ['testLoop', 'evaluateDataset'] as const) {
      const descriptor = own[key];
      if (descriptor === undefined) delete (m as Partial<Evaluating>)[key];
      else Object.defineProperty(m, key, descriptor);
    }
  };
}
