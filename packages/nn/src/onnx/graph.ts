import { create } from '@bufbuild/protobuf';
import { Tensor } from '@selfnorm/tensor';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from './onnx-pb';

/** An attribute value of an ONNX node: a float, an integer (kept exact as a JS integer) or a list of integers. */
export type AttributeValue = { float: number } | { int: number } | { ints: readonly number[] };

/** One dimension of a graph input or output: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

function attribute(name: string, value: AttributeValue): AttributeProto {
  if ('float' in value)
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value.float });
  if ('int' in value)
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.INT,
      i: BigInt(value.int),
    });
  return create(AttributeProtoSchema, {
    name,
    type: AttributeProto_AttributeType.INTS,
    ints: value.ints.map((v) => BigInt(v)),
  });
}

/** A float32 tensor's values as little-endian bytes (TensorProto.raw_data is little-endian on every platform). */
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/** A float32 graph value's type: elem_type FLOAT with the given dimensions. */
export function floatValueInfo(name: string, dims: readonly Dim[]): ValueInfoProto {
  const dim = dims.map((d) =>
    typeof d === 'string'
      ? { value: { case: 'dimParam' as const, value: d } }
      : { value: { case: 'dimValue' as const, value: BigInt(d) } },
  );
  const type = create(TypeProtoSchema, {
    value: { case: 'tensorType', value: { elemType: TensorProto_DataType.FLOAT, shape: { dim } } },
  });
  return create(ValueInfoProtoSchema, { name, type });
}

/**
 * The graph under construction: nodes in execution order, initializers (the weights) and unique value names.
 * Rules add to it through `node` and the `*Initializer` methods; `exportOnnx` wraps it into a ModelProto.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #names = new Set<string>();
  readonly #weights = new Map<object, string>();

  /** Bytes of weights so far. */
  weightBytes = 0;

  /**
   * @param reserved names the graph's input and output take.
   * @param maxWeightBytes a protobuf message, so one ONNX file without external data, is at most 2 GiB.
   */
  constructor(
    reserved: readonly string[],
    readonly maxWeightBytes = 2 ** 31 - 2 ** 24,
  ) {
    for (const n of reserved) this.#names.add(n);
  }

  /** `base`, or `base_1`, `base_2`, … if taken: every value, node and initializer name is unique. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.#names.has(name); i++) name = `${base}_${i}`;
    this.#names.add(name);
    return name;
  }

  /** Adds a node `op(inputs)` named `${scope}/${op}` and returns the name of its (single) output. */
  node(
    op: string,
    inputs: readonly string[],
    scope: string,
    attributes: Record<string, AttributeValue> = {},
  ): string {
    const name = this.unique(`${scope}/${op}`);
    const output = this.unique(`${name}_output`);
    this.nodes.push(
      create(NodeProtoSchema, {
        opType: op,
        name,
        input: [...inputs],
        output: [output],
        attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
      }),
    );
    return output;
  }

  /**
   * A float32 initializer from a tensor's values (float64 values are rounded to float32), under `name` (a state-dict
   * name such as `0.weight`). A tensor already added (a module called twice) is shared, not copied. Returns the name.
   */
  floatInitializer(name: string, t: Tensor | { shape: readonly number[]; data: ArrayLike<number> }): string {
    const known = this.#weights.get(t);
    if (known !== undefined) return known;
    this.weightBytes += (t instanceof Tensor ? t.storage : t.data).length * 4;
    if (this.weightBytes > this.maxWeightBytes) {
      throw new RangeError(
        `the weights reach ${this.weightBytes} bytes at '${name}'; one ONNX file holds at most ` +
          `${this.maxWeightBytes} (2 GiB less room for the graph), and exportOnnx writes no external data`,
      );
    }
    const unique = this.unique(name);
    this.#weights.set(t, unique);
    this.initializers.push(
      create(TensorProtoSchema, {
        name: unique,
        dims: t.shape.map((d) => BigInt(d)),
        dataType: TensorProto_DataType.FLOAT,
        rawData: float32Bytes(t instanceof Tensor ? t.storage : t.data),
      }),
    );
    return unique;
  }

  /** A 1-D int64 initializer (a shape for Reshape, axes, …). Returns the name used. */
  int64Initializer(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push(
      create(TensorProtoSchema, {
        name: unique,
        dims: [BigInt(values.length)],
        dataType: TensorProto_DataType.INT64,
        int64Data: values.map((v) => BigInt(v)),
      }),
    );
    return unique;
  }

  /** Renames the value `from` to `to` where it is produced (the last node's output becomes the graph's output). */
  renameOutput(from: string, to: string): boolean {
    for (const n of this.nodes) {
      const i = n.output.indexOf(from);
      if (i >= 0) {
        n.output[i] = to;
        return true;
      }
    }
    return false;
  }
}
