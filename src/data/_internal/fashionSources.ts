import type { Loader } from './idx.js';

/** loadFashionMnist, in its error messages. */
export const FASHION_MNIST: Loader = { fn: 'loadFashionMnist', title: 'Fashion-MNIST', aTitle: 'a Fashion-MNIST' };

/**
 * Where Debian's `dataset-fashion-mnist` package installs the four gzipped idx files. A seam, so
 * tests can pretend the package is absent or elsewhere.
 */
export const debianFashionMnist: { dir: () => string } = {
  dir: () => '/usr/share/datasets/fashion-mnist',
};
