import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curvesSpec, curvesSvg, writeCurves } from '../../src/cli/_internal/curves.js';
import type { TrainResult } from '../../src/presets/preset.js';

const run = (preset: string, validation: boolean): TrainResult => ({
  preset,
  backend: 'cpu',
  history: [1, 2, 3].map((epoch) => ({
    epoch,
    loss: 1 / epoch,
    accuracy: 1 - 0.1 / epoch,
    val_loss: validation ? 1.2 / epoch : Number.NaN,
    val_accuracy: validation ? 1 - 0.12 / epoch : Number.NaN,
    learning_rate: 0.01,
    seconds: 1,
  })),
  bestEpoch: 3,
  bestValAccuracy: validation ? 0.96 : Number.NaN,
  testAccuracy: 0.97,
  testLoss: 0.1,
  seconds: 3,
});

describe('training curves', () => {
  it('has a point per epoch, metric and split, leaving out missing validation figures', () => {
    const spec = curvesSpec([run('a', true), run('b', false)]) as {
      data: { values: { preset: string; split: string }[] };
    };
    const values = spec.data.values;
    expect(values.filter((v) => v.preset === 'a')).toHaveLength(12);
    expect(values.filter((v) => v.preset === 'b')).toHaveLength(6);
    expect(values.some((v) => v.preset === 'b' && v.split === 'validation')).toBe(false);
  });

  it('draws one line per preset, metric and split', async () => {
    const svg = await curvesSvg([run('a', true), run('b', false)], 'title');
    expect(svg).toMatch(/^<svg/);
    // a: training + validation in 2 panels; b: training only in 2 panels.
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(6);
    expect(svg).toContain('>title<');
  });

  it('draws a one-epoch run as points, with integer epoch ticks', async () => {
    const one = { ...run('a', true), history: run('a', true).history.slice(0, 1) };
    const svg = await curvesSvg([one]);
    // Training and validation in 2 panels: 4 points (a line through one point draws nothing).
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(4);
    expect(svg).not.toMatch(/1\.0+</);
    expect(svg.match(/>1</g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses other extensions and leaves nothing behind when writing fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-curves-'));
    try {
      await expect(writeCurves(join(dir, 'c.gif'), [run('a', true)])).rejects.toThrow(
        'writeCurves: path must end in .svg or .png, got',
      );
      await expect(writeCurves(join(dir, 'missing', 'c.svg'), [run('a', true)])).rejects.toThrow(/ENOENT/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
