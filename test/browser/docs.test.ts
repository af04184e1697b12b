import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../../examples/browser/serve.mjs';
import { launchChromium } from './site.js';

// The TypeDoc site of `npm run docs` (docs/api), opened in chromium over 127.0.0.1.
const ENTRIES = ['regularizers', 'augment', 'layers', 'callbacks', 'optimizers', 'losses', 'presets', 'data'] as const;

interface Visited {
  status: number;
  title: string;
  summary: string;
  example: string;
  ids: string[];
  links: string[];
}

let context: BrowserContext;
let page: Page;
let server: { url: string; close(): Promise<void> };
const pages = new Map<string, Visited>();

async function visit(url: string): Promise<Visited> {
  const response = await page.goto(url);
  const status = response?.status() ?? 0;
  if (status !== 200) return { status, title: '', summary: '', example: '', ids: [], links: [] };
  return page.evaluate(() => ({
    status: 200,
    title: document.querySelector('h1')?.textContent?.trim() ?? '',
    summary: document.querySelector('.tsd-comment p')?.textContent?.trim() ?? '',
    example: document.querySelector('.tsd-tag-example pre code')?.textContent ?? '',
    ids: Array.from(document.querySelectorAll('[id]'), (e) => e.id),
    links: Array.from(
      document.querySelectorAll('a[href], link[href], script[src]'),
      (e) => (e as HTMLAnchorElement).href || (e as HTMLScriptElement).src,
    ),
  }));
}

beforeAll(async () => {
  if (!existsSync('docs/api/index.html')) throw new Error('docs/api is missing: run `npm run docs` first');
  server = await serve('docs/api');
  context = await launchChromium();
  page = await context.newPage();
  // Every page reachable from the index, breadth first, on this origin.
  const queue = [new URL('index.html', server.url).href];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (pages.has(url)) continue;
    const visited = await visit(url);
    pages.set(url, visited);
    for (const link of visited.links) {
      const target = new URL(link);
      target.hash = '';
      if (
        target.origin === new URL(server.url).origin &&
        target.pathname.endsWith('.html') &&
        !pages.has(target.href) &&
        !queue.includes(target.href)
      )
        queue.push(target.href);
    }
  }
}, 300_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('the API docs site in chromium', () => {
  it('has no broken internal links or anchors', async () => {
    expect(pages.size).toBeGreaterThan(50);
    const broken: string[] = [];
    for (const [from, visited] of pages) {
      if (visited.status !== 200) broken.push(`${from}: HTTP ${visited.status}`);
      for (const link of visited.links) {
        const target = new URL(link);
        if (target.origin !== new URL(server.url).origin) continue;
        const hash = decodeURIComponent(target.hash.slice(1));
        target.hash = '';
        const known = pages.get(target.href);
        if (known === undefined) {
          // An asset (stylesheet, script, image): it must be served.
          const status = (await fetch(target.href)).status;
          if (status !== 200) broken.push(`${from} → ${link}: HTTP ${status}`);
        } else if (hash !== '' && !known.ids.includes(hash)) {
          broken.push(`${from} → ${link}: no element with id ${JSON.stringify(hash)}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('names its modules after the entry points and gives each Keras-derived option its Keras name', async () => {
    const index = pages.get(new URL('index.html', server.url).href)!;
    expect(index.title).toMatch(/^tfjs-regularization/);
    expect(pages.has(new URL('modules/tfjs-regularization_callbacks.html', server.url).href)).toBe(true);
    const options = await fetch(
      new URL('interfaces/tfjs-regularization_callbacks.ReduceLROnPlateauOptions.html', server.url),
    );
    const text = await options.text();
    for (const name of ['min_lr', 'min_delta', 'cooldown']) expect(text).toContain(`<code>${name}</code>`);
  });

  it('has a page with a summary and an example for every public export', async () => {
    // Each function has its page in the module that defines it (tfjs-regularization_<entry>.<name>);
    // the root module documents only what no entry point exports (useBestBackend, fastNodeKernels, ...).
    const root = (await import('../../src/index.js')) as Record<string, unknown>;
    const expected: string[] = [];
    const inEntries = new Set<unknown>();
    for (const entry of ENTRIES) {
      const module = (await import(`../../src/${entry}/index.ts`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'function') {
          expected.push(`tfjs-regularization_${entry}.${name}`);
          inEntries.add(value);
        } else if (value !== null && typeof value === 'object') {
          for (const [member, v] of Object.entries(value))
            if (typeof v === 'function') expected.push(`tfjs-regularization_${entry}.${name}.${member}`);
        }
      }
    }
    for (const [name, value] of Object.entries(root)) {
      if (typeof value === 'function' && !inEntries.has(value)) expected.push(`tfjs-regularization.${name}`);
    }
    const missing: string[] = [];
    for (const id of new Set(expected)) {
      const name = id.split('.').at(-1)!;
      const visited = pages.get(new URL(`functions/${id}.html`, server.url).href);
      if (visited === undefined || visited.status !== 200) missing.push(`${id}: no page`);
      else if (!visited.title.endsWith(` ${name}`)) missing.push(`${id}: title ${JSON.stringify(visited.title)}`);
      else if (visited.summary.length < 20) missing.push(`${id}: no summary`);
      else if (!visited.example.includes(name)) missing.push(`${id}: no example using ${name}`);
    }
    expect(new Set(expected).size).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
