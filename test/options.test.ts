import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as augment from '../src/augment/index.js';
import * as callbacks from '../src/callbacks/index.js';
import * as losses from '../src/losses/index.js';
import * as optimizers from '../src/optimizers/index.js';
import * as regularizers from '../src/regularizers/index.js';
import { describeBackends } from './helpers/backends.js';
import { OPTIONS_TABLE } from './helpers/optionsTable.js';

/** Runs a call, sync or async, and returns what it threw (undefined when it did not). */
async function thrown(run: () => unknown): Promise<Error | undefined> {
  try {
    const r = run();
    if (r instanceof Promise) await r.catch((e: unknown) => Promise.reject(e));
    tf.dispose(r as tf.TensorContainer);
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

describeBackends(
  'unknown option keys',
  () => {
    for (const [type, { fn, call }] of Object.entries(OPTIONS_TABLE)) {
      it(`${type}: ${fn} rejects an unknown key, naming the function and the key`, async () => {
        const e = await thrown(() => call({ no_such_option: 1 }));
        expect(e?.message).toMatch(
          new RegExp(`^${fn.replace('.', '\\.')}: unknown option "no_such_option"; known options: `),
        );
      });
    }

    it.each([
      ['reduceLROnPlateau', () => callbacks.reduceLROnPlateau({ min_lr: 1e-5 } as never), 'min_lr', 'minLR'],
      ['reduceLROnPlateau', () => callbacks.reduceLROnPlateau({ minLr: 1e-5 } as never), 'minLr', 'minLR'],
      [
        'earlyStopping',
        () => callbacks.earlyStopping({ restore_best_weights: true } as never),
        'restore_best_weights',
        'restoreBestWeights',
      ],
      [
        'modelCheckpoint',
        () => callbacks.modelCheckpoint({ filepath: 'x', save_best_only: true } as never),
        'save_best_only',
        'saveBestOnly',
      ],
      ['randomAffine', () => augment.randomAffine({ rotation_range: 30 } as never), 'rotation_range', 'rotationRange'],
      ['randomCrop', () => augment.randomCrop({ pad_mode: 'edge' } as never), 'pad_mode', 'padMode'],
      ['maxNorm', () => regularizers.maxNorm({ max_value: 2 } as never), 'max_value', 'maxValue'],
      [
        'layers.randomZoom',
        () => augment.layers.randomZoom({ height_factor: 0.1 } as never),
        'height_factor',
        'heightFactor',
      ],
    ])('%s suggests the camel-cased name for a Keras spelling or a typo (%#)', (fn, call, key, near) => {
      expect(call).toThrow(`${fn}: unknown option "${key}"; did you mean "${near}"?`);
    });

    it("layer factories accept tfjs' own layer options (inputShape, name, trainable, ...)", () => {
      const layer = augment.layers.randomRotation({
        factor: 0.1,
        inputShape: [4, 4, 1],
        name: 'rot',
        trainable: false,
        dtype: 'float32',
      });
      expect(layer.name).toBe('rot');
    });
  },
  { only: ['cpu'] },
);

/** The options whose type admits null (Keras' None); every other option rejects it. */
const NULLABLE: Record<string, string[]> = {
  useBestBackend: ['log'],
  sparseCategoricalCrossentropy: ['ignoreClass'],
  dropout: ['seed', 'noiseShape'],
  spatialDropout2d: ['seed'],
  dropBlock: ['seed'],
  dropPath: ['seed'],
  ...Object.fromEntries(
    Object.values(OPTIONS_TABLE)
      .filter(({ fn }) => fn.startsWith('layers.'))
      .map(({ fn }) => [fn, ['seed']]),
  ),
  'layers.randomColorJitter': ['brightnessFactor', 'contrastFactor', 'saturationFactor', 'hueFactor', 'seed'],
  'layers.randomErasing': ['fillValue', 'seed'],
  'layers.randomZoom': ['widthFactor', 'seed'],
};

describeBackends(
  'null option values',
  () => {
    // Loading data and training are not started for a check (errors.test.ts skips them too).
    const rows = Object.entries(OPTIONS_TABLE).filter(([t]) => !['LoadMnistOptions', 'TrainOptions'].includes(t));
    it.each(rows)(
      '%s: null is an error naming the function and the option, unless its type admits null',
      async (_t, { fn, call }) => {
        const known = String((await thrown(() => call({ no_such_option: 1 })))?.message)
          .replace(/^.*known options: /, '')
          .split(', ');
        const wrong: string[] = [];
        for (const key of known) {
          const e = await thrown(() => call({ [key]: null }));
          const nullable = NULLABLE[fn]?.includes(key) === true;
          if (nullable ? e !== undefined : !e?.message.startsWith(`${fn}: ${key} must be`)) {
            wrong.push(`${key}: ${e?.message ?? 'accepted'}`);
          }
        }
        expect(wrong).toEqual([]);
      },
    );

    it('names the rule in its message (withEma momentum and a loss labelSmoothing took the default before)', () => {
      expect(() => optimizers.withEma(tf.train.sgd(0.1), { momentum: null } as never)).toThrow(
        'withEma: momentum must be given a value or left out (it takes no null), got null',
      );
      expect(() => losses.categoricalCrossentropy({ labelSmoothing: null } as never)).toThrow(
        'categoricalCrossentropy: labelSmoothing must be given a value or left out (it takes no null), got null',
      );
      expect(() => augment.cutout({ size: null } as never)).toThrow(
        'cutout: size must be given a value or left out (it takes no null), got null',
      );
    });
  },
  { only: ['cpu'] },
);

describe('the table of options types', () => {
  it('has a row for every exported *Options interface of every entry point', () => {
    const names = new Set<string>();
    for (const file of [
      'index',
      'regularizers/index',
      'augment/index',
      'augment/layers/index',
      'layers/index',
      'callbacks/index',
      'losses/index',
      'data/index',
      'optimizers/index',
      'presets/index',
    ]) {
      const text = readFileSync(join(import.meta.dirname, '../src', `${file}.ts`), 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022);
      source.forEachChild((node) => {
        if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
          for (const e of node.exportClause.elements) if (/Options$/.test(e.name.text)) names.add(e.name.text);
        }
      });
    }
    // ImageLayerOptions is the base the image layers' options extend, taken by no function of its own.
    names.delete('ImageLayerOptions');
    expect([...names].sort()).toEqual(Object.keys(OPTIONS_TABLE).sort());
  });
});
