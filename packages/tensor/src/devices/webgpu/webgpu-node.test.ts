/**
 * The parts of the WebGPU device that run without a GPU: initWebGPU's reasons, the shape collapse, the
 * rank limit's message, and the host Philox against Random123's known-answer vectors. The kernels
 * themselves are tested in headless Chromium (browser-tests/webgpu.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Gpu } from './gpu-types';
import { initWebGPU, webgpuDevice } from './init';
import { philox2x32 } from './kernels-random';
import { pooledBytes } from './runtime';
import { checkRank, collapse } from './wgsl';

describe('initWebGPU without a GPU', () => {
  it('says that Node has no navigator.gpu, and resolves instead of rejecting', async () => {
    const r = await initWebGPU();
    expect(r.available).toBe(false);
    expect(r.reason).toMatch(/`navigator.gpu` is missing|no `navigator` here/);
    expect(webgpuDevice()).toBeNull();
  });
  it('says when requestAdapter finds no adapter, or throws', async () => {
    const none: Gpu = { requestAdapter: async () => null };
    expect(await initWebGPU({ gpu: none })).toEqual({
      available: false,
      reason: expect.stringMatching(/returned no adapter/),
    });
    const throws: Gpu = {
      requestAdapter: async () => {
        throw new Error('adapter blew up');
      },
    };
    expect((await initWebGPU({ gpu: throws })).reason).toMatch(
      /requestAdapter\(\) threw: Error: adapter blew up/,
    );
  });
});

describe('collapse (shapes and strides merged before a strided kernel)', () => {
  it('merges axes every operand walks contiguously and drops length-1 axes', () => {
    expect(collapse([2, 3, 4], [[12, 4, 1]])).toEqual({ shape: [24], strides: [[1]] });
    expect(
      collapse(
        [128, 512],
        [
          [512, 1],
          [0, 1],
        ],
      ),
    ).toEqual({
      shape: [128, 512],
      strides: [
        [512, 1],
        [0, 1],
      ],
    });
    expect(collapse([3, 1, 5], [[5, 0, 1]])).toEqual({ shape: [15], strides: [[1]] });
    expect(collapse([], [[], []])).toEqual({ shape: [1], strides: [[0], [0]] });
    expect(collapse([4, 6], [[1, 4]])).toEqual({ shape: [4, 6], strides: [[1, 4]] });
  });
  it('names the kernel, the shape and the limit past 8 unmergeable axes', () => {
    expect(() => checkRank(9, 'binary add', [2, 2, 2, 2, 2, 2, 2, 2, 2])).toThrow(
      /webgpu binary add: shape \[2, 2, 2, 2, 2, 2, 2, 2, 2\] has 9 axes that do not merge; the WebGPU device takes at most 8/,
    );
  });
  it('pools buffers by a byte size that is a multiple of 16, at least 16', () => {
    expect([0, 1, 4, 5, 1000].map(pooledBytes)).toEqual([16, 16, 16, 32, 4000]);
  });
});

describe('philox2x32 (the generator of random fills on the GPU)', () => {
  it('matches the Random123 known-answer vectors for Philox2x32-10', () => {
    expect(philox2x32(0, 0, 0)).toEqual([0xff1dae59, 0x6cd10df2]);
    expect(philox2x32(0xffffffff, 0xffffffff, 0xffffffff)).toEqual([0x2c3f628b, 0xab4fd7ad]);
    expect(philox2x32(0x243f6a88, 0x85a308d3, 0x13198a2e)).toEqual([0xdd7ce038, 0xf62a4c12]);
  });
});
