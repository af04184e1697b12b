import type { TrainResult } from '../../presets/preset.js';
import { writeFileAtomic } from '../../core/atomicWrite.js';

/** One point of a training curve, in vega-lite's long format. */
interface CurvePoint {
  preset: string;
  epoch: number;
  metric: 'loss' | 'accuracy';
  split: 'training' | 'validation';
  value: number;
}

/**
 * A vega-lite spec of the training curves of every result: loss (log scale) and accuracy side by
 * side, a colour per preset, dashed validation. Epochs without a figure (e.g. no validation set) are left out.
 */
export function curvesSpec(results: readonly TrainResult[], title?: string): Record<string, unknown> {
  const values: CurvePoint[] = [];
  for (const r of results) {
    for (const h of r.history) {
      const add = (metric: CurvePoint['metric'], split: CurvePoint['split'], value: number) => {
        if (Number.isFinite(value)) values.push({ preset: r.preset, epoch: h.epoch, metric, split, value });
      };
      add('loss', 'training', h.loss);
      add('loss', 'validation', h.val_loss);
      add('accuracy', 'training', h.accuracy);
      add('accuracy', 'validation', h.val_accuracy);
    }
  }
  const panel = (metric: CurvePoint['metric'], scale: Record<string, unknown>) => ({
    width: 360,
    height: 240,
    title: metric,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    // Points too: a line through one epoch draws nothing.
    mark: { type: 'line', strokeWidth: 1.5, point: { size: 20 } },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', scale, title: null },
      color: { field: 'preset', type: 'nominal' },
      strokeDash: { field: 'split', type: 'nominal', sort: ['training', 'validation'] },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...(title === undefined ? {} : { title }),
    background: 'white',
    data: { values },
    // Loss on a log scale: a penalty-dominated first epoch (L2) would flatten every other curve.
    hconcat: [panel('loss', { type: 'log' }), panel('accuracy', { zero: false })],
  };
}

const INSTALL = 'npm install vega vega-lite @resvg/resvg-js';

/** Imports an optional package of the plot, or says which packages to install. */
async function optional<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`--plot needs the optional package ${name}, which is not installed: ${INSTALL}`, { cause: e });
    }
    throw e;
  }
}

/**
 * The plotting packages, optional peers of this library that only `--plot` needs: vega and
 * vega-lite, and resvg for PNG. The CLI calls it before training, so that a missing one is an
 * error at once, with the command that installs them.
 */
export async function loadPlotting(kind: 'svg' | 'png'): Promise<void> {
  await Promise.all([
    optional('vega-lite', () => import('vega-lite')),
    optional('vega', () => import('vega')),
    ...(kind === 'png' ? [optional('@resvg/resvg-js', () => import('@resvg/resvg-js'))] : []),
  ]);
}

/** Renders a vega-lite spec to SVG text with vega-lite and vega (headless, no canvas needed). */
export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  const [vl, vega] = await Promise.all([
    optional('vega-lite', () => import('vega-lite')),
    optional('vega', () => import('vega')),
  ]);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the curves to SVG text. */
export async function curvesSvg(results: readonly TrainResult[], title?: string): Promise<string> {
  return chartSvg(curvesSpec(results, title));
}

/**
 * Writes a vega-lite chart to `path`: SVG for `.svg`, PNG (rasterised by resvg at 2×) for `.png`,
 * atomically, so a failure never leaves a partial image.
 */
export async function writeChart(path: string, spec: Record<string, unknown>, fn = 'writeChart'): Promise<void> {
  const kind = path.toLowerCase().endsWith('.png') ? 'png' : path.toLowerCase().endsWith('.svg') ? 'svg' : undefined;
  if (kind === undefined) throw new Error(`${fn}: path must end in .svg or .png, got ${JSON.stringify(path)}`);
  const svg = await chartSvg(spec);
  let bytes: string | Uint8Array = svg;
  if (kind === 'png') {
    const { Resvg } = await optional('@resvg/resvg-js', () => import('@resvg/resvg-js'));
    bytes = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: true } })
      .render()
      .asPng();
  }
  await writeFileAtomic(path, bytes);
}

/** Writes the training curves of `results` to `path` (`.svg` or `.png`), as {@link writeChart}. */
export async function writeCurves(path: string, results: readonly TrainResult[], title?: string): Promise<void> {
  await writeChart(path, curvesSpec(results, title), 'writeCurves');
}
