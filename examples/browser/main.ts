import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { crossBackend } from './crossBackend.js';
import { drawCurves, drawGrid } from './draw.js';
import { trainDemo } from './trainDemo.js';
import type { TrainReport } from './trainDemo.js';
import { cutout, elastic, pipeline, randomAffine } from 'tfjs-regularization/augment';

/** The shipped sample: a 16-byte header (magic, train count, test count, 784), images, labels. */
export interface Sample {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

async function loadSample(): Promise<Sample> {
  const bytes = new Uint8Array(await (await fetch('./mnist-sample.bin')).arrayBuffer());
  const [magic, train, test, size] = new Uint32Array(bytes.buffer, 0, 4);
  if (magic !== 0x4d4e5354 || size !== 784) throw new Error('mnist-sample.bin: not a sample file');
  let at = 16;
  const take = (n: number) => bytes.subarray(at, (at += n));
  const trainImages = take(train! * 784);
  const testImages = take(test! * 784);
  return { trainImages, testImages, trainLabels: take(train!), testLabels: take(test!) };
}

const status = document.getElementById('status')!;
const say = (line: string) => void (status.textContent = line);
const notebook = randomAffine({
  rotationRange: 30,
  widthShiftRange: 0.1,
  heightShiftRange: 0.1,
  zoomRange: 0.2,
  fillMode: 'nearest',
  seed: 1,
});
const columns = [
  notebook,
  notebook,
  notebook,
  cutout({ size: 10, value: 0.5, seed: 2 }),
  elastic({ seed: 3 }),
  pipeline([notebook, elastic({ p: 0.5 })], { seed: 4 }),
];

async function start() {
  if (!(await tf.setBackend('webgl'))) throw new Error('the webgl backend is not available in this browser');
  await tf.ready();
  const sample = await loadSample();
  const digits = tf.tidy(
    () => tf.div(tf.tensor4d(sample.trainImages.subarray(0, 8 * 784), [8, 28, 28, 1], 'float32'), 255) as tf.Tensor4D,
  );
  const resample = async () => {
    const cells = [digits, ...columns.map((aug) => aug({ images: digits }).images)];
    await drawGrid(document.getElementById('grid') as HTMLCanvasElement, cells);
    tf.dispose(cells.slice(1));
  };
  await resample();
  const reports: TrainReport[] = [];
  const train = async (epochs = 3) => {
    say(`training ${epochs} epochs on ${tf.getBackend()}…`);
    const report = await trainDemo(sample, epochs, (history) =>
      drawCurves(document.getElementById('curves') as HTMLCanvasElement, history),
    );
    reports.push(report);
    say(
      `backend ${tf.getBackend()}: trained ${epochs} epochs, loss ${report.losses.map((l) => l.toFixed(3)).join(' → ')}, test accuracy ${(100 * report.testAccuracy).toFixed(1)}%`,
    );
    return report;
  };
  document.getElementById('resample')!.addEventListener('click', () => void resample());
  document.getElementById('train')!.addEventListener('click', () => void train());
  say(
    `backend ${tf.getBackend()}: ${sample.trainLabels.length} training and ${sample.testLabels.length} test images loaded`,
  );
  return {
    backend: () => tf.getBackend(),
    numTensors: () => tf.memory().numTensors,
    resample,
    train,
    crossBackend: () => crossBackend(sample),
  };
}

declare global {
  interface Window {
    app: Promise<Awaited<ReturnType<typeof start>>>;
  }
}
window.app = start();
window.app.catch((e: unknown) => say(`error: ${e instanceof Error ? e.message : String(e)}`));
