import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { randomAffine as randomAffineLayer } from '../../../src/augment/layers/randomAffine.js';
import { randomAffine } from '../../../src/augment/randomAffine.js';
import { randomGenerator } from '../../../src/core/random.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { pixels, run, values } from './layerHelpers.js';

const notebook = { rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2 };

describeBackends('layers.randomAffine', () => {
  it('in training applies exactly what the randomAffine augmentation draws from the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), (seed, flips) => {
        const options = { ...notebook, shearRange: 10, horizontalFlip: flips, p: 0.8 };
        const x = pixels([3, 7, 9, 2], 4) as tf.Tensor4D;
        const aug = randomAffine(options);
        const rng = randomGenerator(seed);
        const layer = randomAffineLayer({ ...options, seed });
        for (let call = 0; call < 2; call++) {
          const params = aug.sample({ batchSize: 3, height: 7, width: 9, channels: 2 }, rng);
          const ref = aug.apply({ images: x }, params).images;
          expect(run(layer, x, true), `call ${call}`).toEqual(values(ref));
          ref.dispose();
        }
        x.dispose();
      }),
      { numRuns: runs(6) },
    );
  });

  it('p = 0 leaves training batches unchanged; no options at all is the identity transform', () => {
    const x = pixels([2, 5, 5, 1], 9);
    expect(run(randomAffineLayer({ ...notebook, p: 0, seed: 1 }), x, true)).toEqual(values(x));
    run(randomAffineLayer(), x, true).forEach((v, i) => expect(v).toBeCloseTo(values(x)[i]!, 6));
    x.dispose();
  });

  it('keeps the given options (and only those) in its config', () => {
    const config = randomAffineLayer({ ...notebook, fillMode: 'constant', seed: 3, name: 'aff' }).getConfig();
    expect(config).toMatchObject({ ...notebook, fillMode: 'constant', seed: 3, name: 'aff' });
    expect(config).not.toHaveProperty('shearRange');
  });
});

it('layers.randomAffine rejects bad options with the checks of randomAffine, naming the layer factory', () => {
  const make = (o: unknown) => () => randomAffineLayer(o as Parameters<typeof randomAffineLayer>[0]);
  expect(make(5)).toThrow('layers.randomAffine: options must be an options object, got 5');
  expect(make({ rotationRange: -5 })).toThrow(
    'layers.randomAffine: rotationRange must be a finite number >= 0, got -5',
  );
  expect(make({ zoomRange: [1.2, 0.8] })).toThrow(
    'layers.randomAffine: zoomRange must be [lo, hi] with lo <= hi, got [1.2,0.8]',
  );
  expect(make({ fillMode: 'mirror' })).toThrow(/^layers\.randomAffine: fillMode must be one of .*, got "mirror"$/);
  expect(make({ p: 2 })).toThrow('layers.randomAffine: p must be a probability in [0, 1], got 2');
  expect(make({ horizontalFlip: 'yes' })).toThrow('layers.randomAffine: horizontalFlip must be a boolean, got "yes"');
});
