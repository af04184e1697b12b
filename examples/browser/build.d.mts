/** Bundles the example page into `outdir` (default examples/browser/dist); resolves to it. */
export function buildExample(outdir?: string): Promise<string>;
