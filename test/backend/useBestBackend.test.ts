import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it, vi } from 'vitest';
import { useBestBackend } from '../../src/backend/useBestBackend.js';
import { LOAD_ERRORS, REQUIRED } from '../helpers/backends.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

it('every backend in REQUIRE_BACKENDS loads', () => {
  for (const name of REQUIRED) expect(LOAD_ERRORS[name], `backend ${name}`).toBeUndefined();
});

it('useBestBackend picks tensorflow first when tfjs-node is installed, else wasm, and says so in one line', async () => {
  const lines: string[] = [];
  const name = await useBestBackend(undefined, { log: (l) => lines.push(l) });
  expect(name).toBe(tf.getBackend());
  expect(name).toBe(LOAD_ERRORS.tensorflow == null ? 'tensorflow' : 'wasm');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`using the ${name} backend`);
  if (name !== 'tensorflow') expect(lines[0]).toContain('npm install @tensorflow/tfjs-node');
});

it('useBestBackend honours a preferred backend and suggests the faster one', async () => {
  const lines: string[] = [];
  expect(await useBestBackend('cpu', { log: (l) => lines.push(l) })).toBe('cpu');
  expect(lines[0]).toMatch(/using the cpu backend; @tensorflow\/tfjs-node .* faster/);
});

it('useBestBackend falls back from an unavailable preference, or throws when told not to', async () => {
  const lines: string[] = [];
  const name = await useBestBackend('webgpu', { log: (l) => lines.push(l) });
  expect(['tensorflow', 'wasm', 'cpu']).toContain(name);
  expect(lines[0]).toContain('(webgpu could not be loaded)');
  await expect(useBestBackend('webgpu', { fallback: false, log: null })).rejects.toThrow(
    /^useBestBackend: no backend could be loaded; tried webgpu \(@tensorflow\/tfjs-backend-webgpu\)/,
  );
  await expect(useBestBackend('gpu' as 'cpu')).rejects.toThrow(
    'useBestBackend: preferred must be one of tensorflow, webgl, webgpu, wasm, cpu, got "gpu"',
  );
});

it('useBestBackend says its line once per process by default (a series of trainings says it once)', async () => {
  const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    for (let i = 0; i < 3; i++) await useBestBackend('cpu');
    expect(info.mock.calls.filter(([l]) => String(l).includes('using the cpu backend'))).toHaveLength(1);
    // An explicit log hears every call.
    const lines: string[] = [];
    for (let i = 0; i < 2; i++) await useBestBackend('cpu', { log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
  } finally {
    info.mockRestore();
  }
});

it('useBestBackend rejects bad options naming the function', async () => {
  await expect(useBestBackend('cpu', null as never)).rejects.toThrow(
    'useBestBackend: options must be an options object, got null',
  );
  await expect(useBestBackend('cpu', { log: 'yes' as never })).rejects.toThrow(
    'useBestBackend: log must be a function or null, got "yes"',
  );
  await expect(useBestBackend('cpu', { fallback: 'false' as never })).rejects.toThrow(
    'useBestBackend: fallback must be a boolean, got "false"',
  );
});
