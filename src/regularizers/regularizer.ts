import type { regularizers } from '@tensorflow/tfjs-layers';

/**
 * A tfjs-layers weight regularizer, as layers take it for `kernelRegularizer`, `biasRegularizer` or
 * `activityRegularizer` (the type of the objects {@link l1}, {@link l2}, {@link l1l2} and
 * {@link orthogonal} return). tfjs-layers does not export the class by name; this is its type.
 */
export type Regularizer = ReturnType<typeof regularizers.l1l2>;
