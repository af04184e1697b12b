import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { l1 } from '../../src/regularizers/l1.js';
import { l1l2 } from '../../src/regularizers/l1l2.js';
import { l2 } from '../../src/regularizers/l2.js';
import { maxNorm } from '../../src/regularizers/maxNorm.js';
import { orthogonal } from '../../src/regularizers/orthogonal.js';
import { penalty } from '../../src/regularizers/penalty.js';
import { registerSerializables } from '../../src/regularizers/registerSerializables.js';
import { describeBackends } from '../helpers/backends.js';

async function saveToMemory(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return artifacts!;
}

type LayerJson = { class_name: string; config: Record<string, unknown> };
const layersOf = (artifacts: tf.io.ModelArtifacts): LayerJson[] =>
  (artifacts.modelTopology as { config: { layers: LayerJson[] } }).config.layers;

describeBackends('regularizer serialization', () => {
  it('round-trips through model.save / tf.loadLayersModel with Keras class names', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          inputShape: [4],
          units: 3,
          kernelRegularizer: l2(0.02),
          biasRegularizer: l1(0.03),
          kernelConstraint: maxNorm({ maxValue: 3 }),
        }),
        tfl.layers.dense({ units: 3, kernelRegularizer: l1l2({ l1: 0.001, l2: 0.004 }) }),
        tfl.layers.dense({ units: 2, kernelRegularizer: orthogonal({ factor: 0.05, mode: 'columns' }) }),
      ],
    });
    const artifacts = await saveToMemory(model);
    const [d1, d2, d3] = layersOf(artifacts);
    expect(d1!.config['kernel_regularizer']).toEqual({ class_name: 'L2', config: { l2: 0.02 } });
    expect(d1!.config['bias_regularizer']).toEqual({ class_name: 'L1', config: { l1: 0.03 } });
    expect(d1!.config['kernel_constraint']).toEqual({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    expect(d2!.config['kernel_regularizer']).toEqual({ class_name: 'L1L2', config: { l1: 0.001, l2: 0.004 } });
    expect(d3!.config['kernel_regularizer']).toEqual({
      class_name: 'OrthogonalRegularizer',
      config: { factor: 0.05, mode: 'columns' },
    });

    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const a = penalty(model);
    const b = penalty(loaded);
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0]!, 6);
    expect(layersOf(await saveToMemory(loaded))).toEqual(layersOf(artifacts));
    tf.dispose([a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('loads a Keras-exported config naming L2 and L1L2', async () => {
    registerSerializables();
    const dense = (name: string, units: number, reg: unknown, inputShape?: number[]) => ({
      class_name: 'Dense',
      config: {
        name,
        units,
        activation: 'relu',
        use_bias: true,
        trainable: true,
        ...(inputShape ? { batch_input_shape: [null, ...inputShape] } : {}),
        kernel_initializer: { class_name: 'Ones', config: {} },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: reg,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    });
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'keras_export',
        layers: [
          dense('d1', 2, { class_name: 'L2', config: { l2: 0.01 } }, [3]),
          dense('d2', 1, { class_name: 'L1L2', config: { l1: 0.0, l2: 0.5 } }),
        ],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: topology }));
    const p = penalty(model);
    // Ones kernels: d1 has 3*2 weights -> 0.01 * 6; d2 has 2*1 -> 0.5 * 2.
    expect(p.dataSync()[0]).toBeCloseTo(0.06 + 1.0, 5);
    p.dispose();
    model.dispose();
  });
});
