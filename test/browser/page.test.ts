import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExample } from '../../examples/browser/build.mjs';
import { serve } from '../../examples/browser/serve.mjs';
import { launchChromium } from './site.js';

interface App {
  backend(): string;
  numTensors(): number;
  resample(): Promise<void>;
  train(epochs: number): Promise<{
    losses: number[];
    lrs: number[];
    testAccuracy: number;
    checkpoint: { listed: boolean };
    reloadDifference: number;
    numTensorsBefore: number;
    numTensorsAfter: number;
  }>;
  crossBackend(): Promise<Record<string, { webgl: number[]; cpu: number[]; ignore?: number[] }>>;
}
declare const window: { app: Promise<App> };

let context: BrowserContext;
let page: Page;
let server: { url: string; close(): Promise<void> };
const errors: string[] = [];

beforeAll(async () => {
  const dir = await buildExample(mkdtempSync(join(tmpdir(), 'tfjs-reg-example-')));
  server = await serve(dir);
  context = await launchChromium();
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.evaluate(() => window.app.then(() => undefined));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('the example page in chromium', () => {
  it('runs on the webgl backend', async () => {
    expect(await page.evaluate(() => window.app.then((a) => a.backend()))).toBe('webgl');
    expect(errors).toEqual([]);
  });

  it('gives the same numbers on webgl as on cpu for affineTransform, every augmentation and the pipeline (1e-4)', async () => {
    const results = await page.evaluate(() => window.app.then((a) => a.crossBackend()));
    const names = Object.keys(results);
    expect(names).toEqual(
      expect.arrayContaining([
        'affineTransform reflect/bilinear',
        'randomAffine',
        'cutout',
        'gaussianNoise',
        'elastic',
        'mixup',
        'mixup labels',
        'cutmix',
        'cutmix labels',
        'randomCrop',
        'randomResizedCrop',
        'randomFlip',
        'randomCrop + randomFlip',
        'pipeline',
        'colorJitter (RGB)',
        'randomHue (RGB)',
        'randomEqualize (RGB)',
        'randAugment (RGB)',
        'augMix (RGB)',
        'mixupOrCutmix (RGB)',
        'mixupOrCutmix (RGB) labels',
      ]),
    );
    for (const [name, { webgl, cpu, ignore = [] }] of Object.entries(results)) {
      expect(webgl.length, name).toBe(cpu.length);
      expect(webgl.length, name).toBeGreaterThan(0);
      // Points at a sampler jump (see ambiguous() in the page) are few and left out.
      expect(ignore.length, name).toBeLessThan(0.1 * webgl.length);
      const skip = new Set(ignore);
      let worst = 0;
      for (let i = 0; i < webgl.length; i++) if (!skip.has(i)) worst = Math.max(worst, Math.abs(webgl[i]! - cpu[i]!));
      expect(worst, `${name}: max |webgl - cpu|`).toBeLessThanOrEqual(1e-4);
    }
  }, 120_000);

  it('re-samples the grid without leaking tensors', async () => {
    const counts = await page.evaluate(async () => {
      const a = await window.app;
      await a.resample();
      const before = a.numTensors();
      await a.resample();
      return [before, a.numTensors()];
    });
    expect(counts[1]).toBe(counts[0]);
  });

  it('trains the BatchNorm MLP: the loss falls, the callbacks set the LR and checkpoint to indexeddb://, nothing leaks', async () => {
    // One epoch first: the sampler caches a few constants per batch shape (bounded), on first use only.
    await page.evaluate(() => window.app.then((a) => a.train(1)));
    const report = await page.evaluate(() => window.app.then((a) => a.train(3)));
    expect(report.losses).toHaveLength(3);
    expect(report.losses[2]!).toBeLessThan(report.losses[0]!);
    // stepDecay halves the rate every epoch from 0.025.
    expect(report.lrs.map((v) => Number(v.toPrecision(6)))).toEqual([0.025, 0.0125, 0.00625]);
    expect(report.checkpoint.listed).toBe(true);
    expect(report.reloadDifference).toBeLessThan(1e-6);
    expect(report.testAccuracy).toBeGreaterThan(0.7);
    expect(report.numTensorsAfter).toBe(report.numTensorsBefore);
    mkdirSync('docs/img', { recursive: true });
    await page.screenshot({ path: 'docs/img/browser-example.png', fullPage: true });
    expect(errors).toEqual([]);
  }, 600_000);
});
