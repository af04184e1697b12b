import { Tensor, slice, tidy } from '@tensorflow/tfjs-core';
import { checkSeed, randomGenerator } from '../core/random.js';
import { takeRows } from '../core/takeRows.js';
import { checkOptions, optionNames, invalidArgument, checkBoolean } from '../core/validate.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /**
   * A fraction in (0, 1) of the samples (rounded up), or an integer count >= 1. scikit-learn: `test_size`.
   * @defaultValue 0.2
   */
  testSize?: number;
  /** Seed of the shuffle (an integer). scikit-learn: `random_state`. @defaultValue 42 */
  seed?: number;
  /**
   * false: the test set is the last samples, in order, and nothing is shuffled. scikit-learn: `shuffle`.
   * @defaultValue true
   */
  shuffle?: boolean;
}

const TRAIN_TEST_SPLIT_OPTIONS = optionNames<TrainTestSplitOptions>()('testSize', 'seed', 'shuffle');

/** What {@link trainTestSplit} returns: four new tensors the caller owns. */
export interface TrainTestSplitResult<X extends Tensor, Y extends Tensor> {
  xTrain: X;
  xTest: X;
  yTrain: Y;
  yTest: Y;
}

/**
 * Splits samples (the first axis of `x` and `y`) into a training and a test set, as scikit-learn's
 * `train_test_split(x, y, test_size=0.2, random_state=42)` in the Keras notebook: `ceil(n * testSize)`
 * test samples, the rest for training, both in shuffled order; rows of `x` and `y` stay paired.
 *
 * The shuffle is this library's seeded permutation (`randomGenerator(seed).permutation(n)`; the
 * first `nTest` indices go to the test set): the same seed gives the same split on every backend,
 * but not the split scikit-learn makes for that seed, which comes from NumPy's generator.
 *
 * @param x - Samples along the first axis, e.g. images `[n, 28, 28, 1]`.
 * @param y - Targets with the same first dimension, e.g. one-hot labels `[n, 10]`.
 * @param options - See {@link TrainTestSplitOptions}.
 * @returns `{ xTrain, xTest, yTrain, yTest }`; the inputs are left untouched (dispose them if unused).
 * @throws Error naming `trainTestSplit`, the argument and the value when `x` or `y` is not a tensor
 *   of rank >= 1, their first dimensions differ, or `testSize`, `seed` or `shuffle` is invalid
 *   (including a split leaving the training or test set empty).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { trainTestSplit } from 'tfjs-regularization/data';
 *
 * const x = tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
 * const y = tf.tensor1d([0, 1, 2, 3, 4]);
 * const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
 * console.log([xTrain.shape, xTest.shape]); // [[4, 2], [1, 2]]
 * console.log(xTest.arraySync()[0][0] === yTest.arraySync()[0]); // rows stay paired: true
 * console.log([...yTrain.dataSync(), ...yTest.dataSync()].sort().join(',')); // 0,1,2,3,4
 * const ordered = trainTestSplit(x, y, { testSize: 2, shuffle: false });
 * console.log(ordered.yTest.arraySync()); // the last two: [3, 4]
 * ```
 */
export function trainTestSplit<X extends Tensor, Y extends Tensor>(
  x: X,
  y: Y,
  options?: TrainTestSplitOptions,
): TrainTestSplitResult<X, Y> {
  const fn = 'trainTestSplit';
  if (!(x instanceof Tensor) || x.rank < 1) throw badTensor('x', x, 'a tensor of rank >= 1');
  if (!(y instanceof Tensor) || y.rank < 1) throw badTensor('y', y, 'a tensor of rank >= 1');
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw badTensor('y', y, `a tensor with the same first dimension as x (${n})`);
  const o = checkOptions<TrainTestSplitOptions>(fn, options, TRAIN_TEST_SPLIT_OPTIONS);
  const testSize = o.testSize ?? 0.2;
  const seed = o.seed ?? 42;
  const shuffle = o.shuffle ?? true;
  if (
    typeof testSize !== 'number' ||
    !Number.isFinite(testSize) ||
    testSize <= 0 ||
    (testSize >= 1 && !Number.isInteger(testSize))
  ) {
    throw invalidArgument(fn, 'options.testSize', testSize, 'a fraction in (0, 1) or an integer count >= 1');
  }
  // The same rounding as scikit-learn: the test set gets ceil(n * testSize), the training set the rest.
  const nTest = testSize < 1 ? Math.ceil(n * testSize) : testSize;
  if (nTest >= n) {
    throw invalidArgument(
      fn,
      'options.testSize',
      testSize,
      `a size leaving at least one training sample of the ${n} (test size ${nTest})`,
    );
  }
  checkSeed(fn, 'options.seed', seed);
  checkBoolean(fn, 'options.shuffle', shuffle);
  const nTrain = n - nTest;

  if (!shuffle) {
    return tidy(() => ({
      xTrain: slice(x, 0, nTrain) as X,
      xTest: slice(x, nTrain, nTest) as X,
      yTrain: slice(y, 0, nTrain) as Y,
      yTest: slice(y, nTrain, nTest) as Y,
    }));
  }
  const order = randomGenerator(seed).permutation(n);
  const test = order.slice(0, nTest);
  const train = order.slice(nTest);
  return { xTrain: takeRows(x, train), xTest: takeRows(x, test), yTrain: takeRows(y, train), yTest: takeRows(y, test) };
}

// A tensor is shown by dtype and shape, not serialized as describeValue would.
function badTensor(arg: string, t: unknown, expected: string): Error {
  if (!(t instanceof Tensor)) return invalidArgument('trainTestSplit', arg, t, expected);
  return new Error(
    `trainTestSplit: ${arg} must be ${expected}, got a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`,
  );
}
