import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it, vi } from 'vitest';
import * as layers from '../../../src/augment/layers/index.js';
import { describeBackends } from '../../helpers/backends.js';
import { pixels, saveAndLoad, values } from './layerHelpers.js';

describeBackends('augmentation layers in a model', () => {
  it('model.fit runs them in training mode (finite loss), predict and evaluate do not; the trained model saves and loads', async () => {
    const rotation = layers.randomRotation({ factor: 0.1, inputShape: [6, 6, 1], seed: 1, name: 'rot' });
    const model = tfl.sequential({
      layers: [
        rotation,
        layers.gaussianNoise({ stddev: 0.05, seed: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'glorotUniform' }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const x = pixels([8, 6, 6, 1], 3);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2), 'float32');
    const call = vi.spyOn(rotation, 'call');
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const trainingFlags = call.mock.calls.map(([, kwargs]) => Boolean(kwargs?.['training']));
    expect(trainingFlags.length).toBe(4); // 2 epochs × 2 batches
    expect(trainingFlags.every(Boolean)).toBe(true);
    expect(history.history['loss']!.every((l) => Number.isFinite(l as number))).toBe(true);
    call.mockClear();
    const [p1, p2] = [model.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    expect(values(p2)).toEqual(values(p1)); // inference is deterministic: no augmentation
    // One call per predict (8 samples fit one default batch of 32), so the check below is not vacuous.
    expect(call).toHaveBeenCalledTimes(2);
    const evaluated = model.evaluate(x, y) as tf.Scalar;
    expect(call).toHaveBeenCalledTimes(3);
    expect(call.mock.calls.every(([, kwargs]) => !kwargs?.['training'])).toBe(true);
    call.mockRestore();

    const loaded = await saveAndLoad(model);
    const q = loaded.predict(x) as tf.Tensor;
    values(q).forEach((v, i) => expect(v).toBeCloseTo(values(p1)[i]!, 6));
    expect(loaded.getLayer('rot').getConfig()).toEqual(model.getLayer('rot').getConfig());
    tf.dispose([x, y, p1, p2, q, evaluated]);
    model.dispose();
    loaded.dispose();
  });
});
