import { type Tensor, tensor, zeros } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './layers/batch-norm';
import { Sequential } from './layers/sequential';
import { Module } from './module';

const param = (values: number[]) => tensor(values, { requiresGrad: true });

class Leaf extends Module {
  weight: Tensor;
  constant = zeros([2]); // no requiresGrad: not a parameter
  constructor(weight: Tensor) {
    super();
    this.weight = weight;
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.weight);
  }
}

class Tree extends Module {
  scale = param([2]);
  first: Leaf;
  blocks: Leaf[];
  again: Leaf;
  constructor(shared: Tensor) {
    super();
    this.first = new Leaf(param([1, 1]));
    this.blocks = [new Leaf(shared), new Leaf(param([3, 3]))];
    this.again = this.first; // the same module twice
  }
  forward(x: Tensor): Tensor {
    return this.blocks[1].forward(this.blocks[0].forward(this.first.forward(x))).mul(this.scale);
  }
}

describe('Module discovery', () => {
  it('finds parameters in fields, children and arrays, each once, in field order', () => {
    const shared = param([5, 5]);
    const tree = new Tree(shared);
    tree.blocks.push(new Leaf(shared)); // a shared parameter under a second name
    expect(tree.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'first.weight',
      'blocks.0.weight',
      'blocks.1.weight',
    ]);
    expect(tree.parameters()).toHaveLength(4);
    expect(tree.parameters()[2]).toBe(shared);
    expect(tree.namedChildren().map(([n]) => n)).toEqual(['first', 'blocks.0', 'blocks.1', 'blocks.2']);
    expect(tree.children()[0]).toBe(tree.first);
    expect(tree.namedModules().map(([n]) => n)).toEqual(['', 'first', 'blocks.0', 'blocks.1', 'blocks.2']);
  });

  it('names Sequential layers 0, 1, … as PyTorch does', () => {
    const net = new Sequential(new Leaf(param([1])), new Sequential(new Leaf(param([2]))));
    expect(net.namedParameters().map(([n]) => n)).toEqual(['0.weight', '1.0.weight']);
    expect(net.forward(tensor([3])).toArray()).toEqual([6]);
  });

  it('ignores computed tensors kept in fields (only leaves with requiresGrad are parameters)', () => {
    class Caching extends Module {
      w = param([2]);
      last: Tensor | null = null;
      forward(x: Tensor): Tensor {
        this.last = x.mul(this.w);
        return this.last;
      }
    }
    const m = new Caching();
    m.forward(tensor([3]));
    expect(m.last?.requiresGrad).toBe(true);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['w']);
    expect(Object.keys(m.stateDict())).toEqual(['w']);
  });

  it('survives a cycle between modules', () => {
    class Parent extends Module {
      w = param([1]);
      child: Module | undefined;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const a = new Parent();
    const b = new Parent();
    a.child = b;
    b.child = a;
    expect(a.namedParameters().map(([n]) => n)).toEqual(['w', 'child.w']);
  });

  it('keeps buffers out of parameters() but in stateDict()', () => {
    const bn = new BatchNorm1d(3);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    const net = new Sequential(bn);
    expect(Object.keys(net.stateDict())).toEqual([
      '0.weight',
      '0.bias',
      '0.running_mean',
      '0.running_var',
      '0.num_batches_tracked',
    ]);
  });
});

describe('Module modes and gradients', () => {
  it('train()/eval() set every module and return this', () => {
    const tree = new Tree(param([0, 0]));
    expect(tree.eval()).toBe(tree);
    expect(tree.modules().every((m) => !m.training)).toBe(true);
    expect(tree.train()).toBe(tree);
    expect(tree.blocks[1].training).toBe(true);
    tree.train(false);
    expect(tree.first.training).toBe(false);
  });

  it('zeroGrad() clears every gradient', () => {
    const tree = new Tree(param([1, 2]));
    tree
      .forward(tensor([1, 1]))
      .sum()
      .backward();
    expect(tree.parameters().every((p) => p.grad !== null)).toBe(true);
    tree.zeroGrad();
    expect(tree.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe('stateDict / loadStateDict', () => {
  it('snapshots by copy and restores in place', () => {
    const tree = new Tree(param([1, 2]));
    const snapshot = tree.stateDict();
    const weight = tree.first.weight;
    weight.data[0] = 42;
    expect(snapshot['first.weight'].toArray()).toEqual([1, 1]);
    tree.loadStateDict(snapshot);
    expect(tree.first.weight).toBe(weight);
    expect(weight.toArray()).toEqual([1, 1]);
  });

  it('lists every missing, unexpected and mis-shaped key in one error and loads nothing', () => {
    const tree = new Tree(param([1, 2]));
    const sd = tree.stateDict();
    sd.scale = tensor([7]);
    delete sd['blocks.0.weight'];
    sd['first.weight'] = tensor([1, 2, 3]);
    sd.extra = tensor([0]);
    let message = '';
    try {
      tree.loadStateDict(sd);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("'first.weight' has shape [3], expected [2]");
    expect(message).toContain('missing keys: blocks.0.weight');
    expect(message).toContain('unexpected keys: extra');
    expect(tree.scale.toArray()).toEqual([2]);
  });

  it('with strict: false ignores missing and unexpected keys and reports them', () => {
    const tree = new Tree(param([1, 2]));
    const result = tree.loadStateDict({ scale: tensor([9]), other: tensor([1]) }, { strict: false });
    expect(result.unexpectedKeys).toEqual(['other']);
    expect(result.missingKeys).toEqual(['first.weight', 'blocks.0.weight', 'blocks.1.weight']);
    expect(tree.scale.toArray()).toEqual([9]);
    expect(() => tree.loadStateDict({ scale: tensor([1, 2]) }, { strict: false })).toThrow(
      /shape \[2\], expected \[1\]/,
    );
  });
});
