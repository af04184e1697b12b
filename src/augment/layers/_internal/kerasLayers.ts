import { serialization } from '@tensorflow/tfjs-core';
import { AffineLayer, checkArgs, checkFactor, factorConfig } from './AugmentLayer.js';
import type { FactorRange, LayerArgs, SamplingArgs } from './AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** A Keras factor as the options take it: f (meaning [-|f|, |f|]) or [lower, upper]. */
export type Factor = number | [number, number];

/**
 * Options shared by the Keras geometric layers, plus tfjs' LayerArgs (`name`, `inputShape`, ...).
 * Saved configs use Keras' names: fill_mode, interpolation, fill_value, seed.
 */
export interface KerasAffineOptions extends LayerArgs, SamplingArgs {
  /** Seed of the layer's generator; equal seeds give equal augmentations. @defaultValue a fresh random seed */
  seed?: number | null;
}

/** Options of `layers.randomRotation` (Keras 3 `RandomRotation`). */
export interface RandomRotationOptions extends KerasAffineOptions {
  /** Fraction of a full turn: f draws in [-f·2π, f·2π], [lo, hi] in [lo·2π, hi·2π]; positive is counter-clockwise. Within [-1, 1]. */
  factor: Factor;
}

/** Options of `layers.randomTranslation` (Keras 3 `RandomTranslation`). */
export interface RandomTranslationOptions extends KerasAffineOptions {
  /** Vertical shift as a fraction of the height: f draws in [-f, f], or [lo, hi]; positive moves down. Within [-1, 1]. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width: f draws in [-f, f], or [lo, hi]; positive moves right. Within [-1, 1]. */
  widthFactor: Factor;
}

/** Options of `layers.randomZoom` (Keras 3 `RandomZoom`). */
export interface RandomZoomOptions extends KerasAffineOptions {
  /** Vertical zoom: scale 1 + u, u in [-f, f] or [lo, hi]; positive zooms out (content smaller), negative zooms in. Within [-1, 1]. */
  heightFactor: Factor;
  /** Horizontal zoom, as heightFactor; null or absent: the vertical draw is used (aspect preserved). @defaultValue null */
  widthFactor?: Factor | null;
}

/**
 * Keras 3 RandomRotation: angle = 2π · u, u uniform in the factor range; positive turns the content
 * counter-clockwise on screen. The row is Keras' own: a rotation about the pixel-grid centre
 * ((w − 1)/2, (h − 1)/2) mapping output (x, y) to the input point it reads.
 */
export class RandomRotation extends AffineLayer {
  static className = 'RandomRotation';
  readonly factor: number | number[];
  private readonly range: FactorRange;

  constructor(args: RandomRotationOptions) {
    const fn = 'layers.randomRotation';
    checkArgs<RandomRotationOptions>(fn, args, ['factor']);
    super(fn, args);
    this.range = checkFactor(fn, 'factor', args.factor);
    this.factor = factorConfig(args.factor);
  }

  protected rows(batch: number, height: number, width: number): number[][] {
    const [lo, hi] = this.range;
    return Array.from({ length: batch }, () => {
      const angle = 2 * Math.PI * this.rng.uniform(lo, hi);
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      const xOffset = (width - 1 - (c * (width - 1) - s * (height - 1))) / 2;
      const yOffset = (height - 1 - (s * (width - 1) + c * (height - 1))) / 2;
      return [c, -s, xOffset, s, c, yOffset, 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { factor: this.factor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3 RandomTranslation: shifts of u·height rows and v·width columns (u, v uniform in the
 * factor ranges, not rounded); positive moves the content down / right.
 */
export class RandomTranslation extends AffineLayer {
  static className = 'RandomTranslation';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[];
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange;

  constructor(args: RandomTranslationOptions) {
    const fn = 'layers.randomTranslation';
    checkArgs<RandomTranslationOptions>(fn, args, ['heightFactor', 'widthFactor']);
    super(fn, args);
    this.heightRange = checkFactor(fn, 'heightFactor', args.heightFactor);
    this.widthRange = checkFactor(fn, 'widthFactor', args.widthFactor);
    this.heightFactor = factorConfig(args.heightFactor);
    this.widthFactor = factorConfig(args.widthFactor);
  }

  protected rows(batch: number, height: number, width: number): number[][] {
    return Array.from({ length: batch }, () => {
      const dy = this.rng.uniform(...this.heightRange) * height;
      const dx = this.rng.uniform(...this.widthRange) * width;
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3 RandomZoom: scale z = 1 + u per axis (u uniform in the factor range) about the pixel-grid
 * centre; z > 1 (positive factor) zooms out, the content shrinks; z < 1 zooms in. Without a width
 * factor the height draw is used for both axes (aspect preserved).
 */
export class RandomZoom extends AffineLayer {
  static className = 'RandomZoom';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[] | null;
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange | null;

  constructor(args: RandomZoomOptions) {
    const fn = 'layers.randomZoom';
    checkArgs<RandomZoomOptions>(fn, args, ['heightFactor']);
    super(fn, args);
    this.heightRange = checkFactor(fn, 'heightFactor', args.heightFactor);
    this.heightFactor = factorConfig(args.heightFactor);
    const width = args.widthFactor ?? null;
    this.widthRange = width === null ? null : checkFactor(fn, 'widthFactor', width);
    this.widthFactor = width === null ? null : factorConfig(width);
  }

  protected rows(batch: number, height: number, width: number): number[][] {
    return Array.from({ length: batch }, () => {
      const zy = 1 + this.rng.uniform(...this.heightRange);
      const zx = this.widthRange === null ? zy : 1 + this.rng.uniform(...this.widthRange);
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

for (const cls of [RandomRotation, RandomTranslation, RandomZoom]) serialization.registerClass(cls);
