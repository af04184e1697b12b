import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * What the losses of this module return: a function of the targets and the predictions giving one
 * loss per sample (the prediction's shape without its class axis), whose mean is Keras' reduced
 * value. `model.compile({ loss })` takes it as it is; tfjs-layers averages it over the batch.
 */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
