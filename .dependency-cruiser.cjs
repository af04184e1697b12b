/**
 * The house rules of src/ (docs/architecture.md): imports point down only,
 *   cli -> presets -> {augment, callbacks, regularizers, data, backend} -> core,
 * a module's _internal is private to it, and there are no import cycles (type-only included).
 * `npm run lint` runs it; test/architecture/imports.test.ts proves that it fails on a violation.
 */
const MODULES = '(augment|callbacks|regularizers|data|backend|optimizers|losses|layers)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No import cycles at all, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      comment: 'core/ is the shared bottom layer: it imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'modules-import-down-only',
      comment:
        'augment, callbacks, regularizers, data and backend import core/ and themselves, never each other or anything above.',
      severity: 'error',
      from: { path: `^src/${MODULES}/` },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/$1/'] },
    },
    {
      name: 'presets-import-down-only',
      comment: 'presets/ builds on the modules below it, never on the CLI or the root entry files.',
      severity: 'error',
      from: { path: '^src/presets/' },
      to: { path: '^src/(cli/|[^/]+[.]ts$)' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'cli/ is the top: only the CLI itself imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'nothing-imports-the-root',
      comment: 'src/index.ts and src/registerSerializables.ts compose the modules; no module imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+[.]ts$' },
    },
    {
      name: 'internal-is-private',
      comment: "A module's _internal/ is imported from inside that module only.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/.*_internal/', pathNot: '^src/$1/' },
    },
    {
      name: 'root-uses-public-files',
      comment: "The root entry files import modules' public files, never an _internal/.",
      severity: 'error',
      from: { path: '^src/[^/]+[.]ts$' },
      to: { path: '/_internal/' },
    },
    {
      name: 'layers-internal-is-private',
      comment: 'augment/layers/_internal/ is private to the layers.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/augment/layers/' },
      to: { path: '^src/augment/layers/_internal/' },
    },
    {
      name: 'functional-under-augment',
      comment: 'augment/functional/ (pure ops) sits under the rest of augment: it uses core/ and the resampler only.',
      severity: 'error',
      from: { path: '^src/augment/functional/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/augment/functional/', '^src/augment/_internal/resample/'] },
    },
    {
      name: 'resample-is-the-bottom-of-augment',
      comment: 'augment/_internal/resample/ serves functional/ and the augmentations; it imports core/ only.',
      severity: 'error',
      from: { path: '^src/augment/_internal/resample/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/augment/_internal/resample/'] },
    },
    {
      name: 'layers-on-top-of-augment',
      comment: 'The augmentation layers build on the augmentations; the augmentations never import a layer.',
      severity: 'error',
      from: { path: '^src/augment/', pathNot: ['^src/augment/layers/', '^src/augment/index[.]ts$'] },
      to: { path: '^src/augment/layers/' },
    },
    {
      name: 'barrels-from-barrels-only',
      comment:
        'index.ts files are entry points: code imports the file that defines a symbol, so barrels cannot hide cycles.',
      severity: 'error',
      from: { path: '^src/', pathNot: '(^|/)index[.]ts$' },
      to: { path: '^src/.*index[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    // Type-only imports are dependencies too: a type cycle is a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
