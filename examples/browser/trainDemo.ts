import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { flow, randomAffine } from 'tfjs-regularization/augment';
import {
  getLearningRate,
  learningRateScheduler,
  modelCheckpoint,
  reduceLROnPlateau,
  stepDecay,
} from 'tfjs-regularization/callbacks';
import type { CurvePoint } from './draw.js';
import type { Sample } from './main.js';

export const CHECKPOINT_URL = 'indexeddb://tfjs-regularization-example';

export interface TrainReport {
  losses: number[];
  lrs: number[];
  history: CurvePoint[];
  testAccuracy: number;
  /** Whether the checkpoint is listed in IndexedDB after training, and its saved date. */
  checkpoint: { listed: boolean; dateSaved?: string };
  /** Predictions of the checkpoint loaded back equal the trained model's (max abs difference). */
  reloadDifference: number;
  numTensorsBefore: number;
  numTensorsAfter: number;
}

const toFloat = (bytes: Uint8Array, shape: number[]) => tf.tidy(() => tf.div(tf.tensor(bytes, shape, 'float32'), 255));
const toOneHot = (labels: Uint8Array) =>
  tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D);

/** The notebook's BatchNorm MLP trained in the browser with the library's flow and callbacks. */
export async function trainDemo(
  sample: Sample,
  epochs: number,
  onEpoch: (h: CurvePoint[]) => void,
): Promise<TrainReport> {
  const numTensorsBefore = tf.memory().numTensors;
  const n = sample.trainLabels.length;
  const x = toFloat(sample.trainImages, [n, 28, 28, 1]) as tf.Tensor4D;
  const y = toOneHot(sample.trainLabels);
  const nTest = sample.testLabels.length;
  const xTest = toFloat(sample.testImages, [nTest, 784]);
  const yTest = toOneHot(sample.testLabels);
  const model = tfl.sequential();
  [1024, 1024].forEach((units, i) => {
    model.add(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [784] } : {}),
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: i + 1 }),
      }),
    );
    // A faster moving average than Keras' 0.99: a demo of a few dozen steps must reach usable inference statistics.
    model.add(tfl.layers.batchNormalization({ momentum: 0.9 }));
  });
  model.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
    }),
  );
  const optimizer = tf.train.momentum(0.025, 0.9);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history: CurvePoint[] = [];
  const lrs: number[] = [];
  const recorder = new tfl.CustomCallback({
    onEpochBegin: async () => void lrs.push(getLearningRate(model.optimizer)),
    onEpochEnd: async (epoch, logs) => {
      const read = async (k: string) => {
        const v = logs?.[k] as unknown;
        return typeof v === 'number' ? v : (await (v as tf.Scalar).data())[0]!;
      };
      history.push({
        epoch: epoch + 1,
        loss: await read('loss'),
        acc: await read('acc'),
        val_loss: await read('val_loss'),
        val_acc: await read('val_acc'),
      });
      onEpoch(history);
    },
  });
  const data = flow(x, y, {
    batchSize: 64,
    seed: 1,
    flatten: true,
    pipeline: randomAffine({
      rotationRange: 10,
      widthShiftRange: 0.05,
      heightShiftRange: 0.05,
      zoomRange: 0.05,
      seed: 2,
    }),
  });
  await model.fitDataset(
    data as never,
    {
      epochs,
      validationData: [xTest, yTest],
      callbacks: [
        learningRateScheduler(stepDecay({ initialLearningRate: 0.025, factor: 0.5, stepSize: 1 })),
        recorder,
        reduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 2 }),
        modelCheckpoint({ filepath: CHECKPOINT_URL, monitor: 'val_accuracy' }),
      ] as tfl.Callback[],
    } as never,
  );
  const scores = model.evaluate(xTest, yTest) as tf.Scalar[];
  const testAccuracy = (await scores[1]!.data())[0]!;
  const listed = (await tf.io.listModels())[CHECKPOINT_URL];
  const reloaded = await tfl.loadLayersModel(CHECKPOINT_URL);
  const diff = tf.tidy(() =>
    tf.max(tf.abs(tf.sub(model.predict(xTest) as tf.Tensor, reloaded.predict(xTest) as tf.Tensor))),
  );
  const reloadDifference = (await diff.data())[0]!;
  tf.dispose([x, y, xTest, yTest, diff, ...scores]);
  reloaded.dispose();
  model.dispose();
  optimizer.dispose();
  // tfjs 4.22's Momentum.dispose() forgets the learning-rate scalar it inherits from SGD.
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c != null && !c.isDisposed) c.dispose();
  return {
    losses: history.map((h) => h.loss),
    lrs,
    history,
    testAccuracy,
    checkpoint: { listed: listed !== undefined, dateSaved: listed?.dateSaved?.toString() },
    reloadDifference,
    numTensorsBefore,
    numTensorsAfter: tf.memory().numTensors,
  };
}
