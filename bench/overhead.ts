import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadMnist } from '../src/data/loadMnist.js';
import { normalize } from '../src/data/normalize.js';
import { oneHot } from '../src/data/oneHot.js';
import { trainTestSplit } from '../src/data/trainTestSplit.js';
import { fastNodeKernels } from '../src/backend/fastNodeKernels.js';
import { mnistBase } from '../src/presets/mnistBase.js';

/** Times each epoch from its begin to its end (validation included), as the presets' recorder does. */
class EpochTimer extends tfl.Callback {
  readonly seconds: number[] = [];
  private start = 0;
  override async onEpochBegin(): Promise<void> {
    this.start = performance.now();
  }
  override async onEpochEnd(): Promise<void> {
    this.seconds.push((performance.now() - this.start) / 1000);
  }
}

/**
 * Seconds per warm epoch of a bare `model.fit` of the base cell's model and of `mnistBase().train()`,
 * alternated `rounds` times (two epochs each; the first is warm-up), on the active backend.
 */
export async function measureOverhead(
  backend: string,
  rounds = 2,
): Promise<{ bare: number; preset: number; rounds: number }> {
  // The preset turns the faster tfjs-node kernels on; the bare fit gets them too, so that the
  // difference is the library's machinery only.
  fastNodeKernels();
  const mnist = await loadMnist();
  const x = normalize(mnist.train.images, [60000, 784]);
  const y = oneHot(mnist.train.labels, 10);
  const split = trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
  tf.dispose([x, y]);
  const bare: number[] = [];
  const preset: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const model = mnistBase().model(42);
    const timer = new EpochTimer();
    await model.fit(split.xTrain, split.yTrain, {
      batchSize: 128,
      epochs: 2,
      shuffle: true,
      verbose: 0,
      validationData: [split.xTest, split.yTest],
      callbacks: [timer],
    });
    bare.push(timer.seconds[1]!);
    model.optimizer.dispose();
    model.dispose();
    const r = await mnistBase().train({ epochs: 2, verbose: 0, backend: backend as 'tensorflow' });
    preset.push(r.history[1]!.seconds);
    console.log(
      `overhead round ${i + 1}: bare model.fit ${bare.at(-1)!.toFixed(2)} s/epoch, preset ${preset.at(-1)!.toFixed(2)} s/epoch`,
    );
  }
  tf.dispose([split.xTrain, split.yTrain, split.xTest, split.yTest]);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return { bare: mean(bare), preset: mean(preset), rounds };
}
