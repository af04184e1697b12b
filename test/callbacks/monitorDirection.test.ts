import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { earlyStopping } from '../../src/callbacks/earlyStopping.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import { describeBackends } from '../helpers/backends.js';

/**
 * Keras 3.15's own choice in mode 'auto', per callback and monitored quantity (made by
 * scripts/keras/monitor_direction.py). In Keras 3 all three infer it alike, from the metric's
 * direction: AUC, precision and recall are maximised by ReduceLROnPlateau too (Keras 2's
 * ReduceLROnPlateau maximised only names containing "acc", so it minimised val_auc).
 */
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-monitor-direction.json'), 'utf8')) as {
  keras: string;
  directions: Record<'earlyStopping' | 'reduceLROnPlateau' | 'modelCheckpoint', Record<string, 'min' | 'max'>>;
};

const model = () => {
  const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return m;
};

/** The direction each callback takes, observed: after 1 then 2, is 2 an improvement? */
const OBSERVE = {
  earlyStopping: async (monitor: string) => {
    const m = model();
    const cb = earlyStopping({ monitor, patience: 1 });
    cb.setModel(m);
    await cb.onTrainBegin();
    await cb.onEpochEnd(0, { [monitor]: 1 });
    await cb.onEpochEnd(1, { [monitor]: 2 });
    const stopped = m.stopTraining;
    m.dispose();
    return stopped ? 'min' : 'max';
  },
  reduceLROnPlateau: async (monitor: string) => {
    const m = model();
    const cb = reduceLROnPlateau({ monitor, patience: 1, factor: 0.5, log: () => undefined });
    cb.setModel(m);
    await cb.onTrainBegin();
    await cb.onEpochEnd(0, { [monitor]: 1 });
    await cb.onEpochEnd(1, { [monitor]: 2 });
    const reduced = getLearningRate(m.optimizer) < 0.1;
    m.dispose();
    return reduced ? 'min' : 'max';
  },
  modelCheckpoint: async (monitor: string) => {
    const m = model();
    let saves = 0;
    const cb = modelCheckpoint({ filepath: () => void saves++, monitor, saveBestOnly: true });
    cb.setModel(m);
    await cb.onEpochEnd(0, { [monitor]: 1 });
    await cb.onEpochEnd(1, { [monitor]: 2 });
    m.dispose();
    return saves === 2 ? 'max' : 'min';
  },
};

it('the reference was made with Keras 3.15', () => {
  expect(REFERENCE.keras).toMatch(/^3\.15\./);
});

describeBackends(
  'monitor direction',
  () => {
    it.each(Object.keys(OBSERVE) as (keyof typeof OBSERVE)[])(
      "%s in mode 'auto' minimises or maximises each quantity as Keras 3 does",
      async (callback) => {
        const expected = REFERENCE.directions[callback];
        const observed: Record<string, string> = {};
        for (const monitor of Object.keys(expected)) observed[monitor] = await OBSERVE[callback](monitor);
        expect(observed).toEqual(expected);
        expect(observed['val_auc']).toBe('max');
      },
    );
  },
  { only: ['cpu'] },
);
