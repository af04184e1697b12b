import * as tf from '@tensorflow/tfjs-core';

/** Draws columns of `[n, 28, 28, 1]` image batches (values in [0, 1]) side by side, 3× enlarged. */
export async function drawGrid(canvas: HTMLCanvasElement, columns: tf.Tensor4D[]): Promise<void> {
  const [n, h, w] = columns[0]!.shape;
  const scale = 3;
  const pad = 2;
  canvas.width = columns.length * (w * scale + pad) + pad;
  canvas.height = n * (h * scale + pad) + pad;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#888';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const [c, batch] of columns.entries()) {
    const values = await batch.data();
    for (let i = 0; i < n; i++) {
      const img = ctx.createImageData(w, h);
      for (let p = 0; p < w * h; p++) {
        const v = Math.max(0, Math.min(255, Math.round(255 * values[i * w * h + p]!)));
        img.data.set([v, v, v, 255], 4 * p);
      }
      // Draw at 1× on a scratch canvas, then scale up without smoothing.
      const scratch = document.createElement('canvas');
      [scratch.width, scratch.height] = [w, h];
      scratch.getContext('2d')!.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(scratch, pad + c * (w * scale + pad), pad + i * (h * scale + pad), w * scale, h * scale);
    }
  }
}

export interface CurvePoint {
  epoch: number;
  loss: number;
  acc: number;
  val_loss: number;
  val_acc: number;
}

/** Loss (left axis, 0..max) and accuracy (right axis, 0..1) per epoch, training solid, validation dashed. */
export function drawCurves(canvas: HTMLCanvasElement, history: readonly CurvePoint[]): void {
  const ctx = canvas.getContext('2d')!;
  const [W, H, m] = [canvas.width, canvas.height, 36];
  ctx.clearRect(0, 0, W, H);
  ctx.strokeStyle = '#999';
  ctx.strokeRect(m, 10, W - 2 * m, H - m - 10);
  const maxLoss = Math.max(1e-3, ...history.flatMap((h) => [h.loss, h.val_loss]));
  const epochs = Math.max(2, history.length);
  const x = (e: number) => m + ((e - 1) / (epochs - 1)) * (W - 2 * m);
  const y = (v: number, max: number) => H - m - (v / max) * (H - m - 10);
  const line = (key: keyof CurvePoint, max: number, color: string, dashed: boolean) => {
    ctx.strokeStyle = color;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    history.forEach((h, i) =>
      i === 0 ? ctx.moveTo(x(h.epoch), y(h[key], max)) : ctx.lineTo(x(h.epoch), y(h[key], max)),
    );
    ctx.stroke();
  };
  line('loss', maxLoss, '#d62728', false);
  line('val_loss', maxLoss, '#d62728', true);
  line('acc', 1, '#1f77b4', false);
  line('val_acc', 1, '#1f77b4', true);
  ctx.setLineDash([]);
  ctx.fillStyle = '#222';
  ctx.font = '12px sans-serif';
  ctx.fillText(`loss (red, 0–${maxLoss.toFixed(2)})`, m, H - 18);
  ctx.fillText('accuracy (blue, 0–1); validation dashed', m + 160, H - 18);
  ctx.fillText(`epoch 1 … ${epochs}`, m, H - 4);
}
