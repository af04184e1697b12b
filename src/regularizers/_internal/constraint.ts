import type { constraints } from '@tensorflow/tfjs-layers';

/** tfjs-layers' weight constraint type, named from its own factory (it is not exported by name). */
export type Constraint = ReturnType<typeof constraints.nonNeg>;
