/**
 * Reads the weights (graph initializers) straight out of an .onnx file, so the book ships each
 * model once and both onnxruntime and our engine load it. A minimal protobuf walk over the few
 * fields of onnx.proto that hold initializers: ModelProto.graph (7) → GraphProto.initializer (5)
 * → TensorProto {dims 1, data_type 2, float_data 4, int64_data 7, name 8, raw_data 9, data_location 14}.
 */

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** ONNX TensorProto.DataType: 1 = FLOAT, 7 = INT64, ... */
  dataType: number;
  /** FLOAT tensors only (others keep `raw` only). */
  data: Float32Array | null;
  raw: Uint8Array | null;
}

const FLOAT = 1;

export class OnnxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxFormatError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new OnnxFormatError('varint longer than 10 bytes');
  }

  /** Field number and wire type of the next key. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k & 7];
  }

  /** A length-delimited field's bytes as [start, end). */
  span(): [number, number] {
    const len = this.varint();
    const s = this.pos;
    if (s + len > this.end) throw new OnnxFormatError(`field of ${len} bytes runs past the end of its message`);
    this.pos += len;
    return [s, s + len];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.span();
    else if (wire === 5) this.pos += 4;
    else throw new OnnxFormatError(`unsupported protobuf wire type ${wire}`);
    if (this.pos > this.end) throw new OnnxFormatError('field runs past the end of its message');
  }
}

const utf8 = new TextDecoder();

function readTensor(buf: Uint8Array, start: number, end: number): OnnxInitializer {
  const r = new Reader(buf, start, end);
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | null = null;
  const floats: number[] = [];
  let external = false;
  while (!r.done()) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 0) dims.push(r.varint());
    else if (field === 1 && wire === 2) {
      const [s, e] = r.span();
      const inner = new Reader(buf, s, e);
      while (!inner.done()) dims.push(inner.varint());
    } else if (field === 2 && wire === 0) dataType = r.varint();
    else if (field === 8 && wire === 2) {
      const [s, e] = r.span();
      name = utf8.decode(buf.subarray(s, e));
    } else if (field === 9 && wire === 2) {
      const [s, e] = r.span();
      raw = buf.subarray(s, e);
    } else if (field === 4 && wire === 2) {
      const [s, e] = r.span();
      const view = new DataView(buf.buffer, buf.byteOffset + s, e - s);
      for (let o = 0; o + 4 <= e - s; o += 4) floats.push(view.getFloat32(o, true));
    } else if (field === 14 && wire === 0) external = r.varint() === 1;
    else r.skip(wire);
  }
  if (external) throw new OnnxFormatError(`initializer ${name} keeps its data in an external file, which this reader does not follow`);
  let data: Float32Array | null = null;
  if (dataType === FLOAT) {
    const count = dims.reduce((a, b) => a * b, 1);
    if (raw) {
      if (raw.byteLength !== count * 4) throw new OnnxFormatError(`initializer ${name}: ${raw.byteLength} bytes for ${count} floats`);
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(raw); // copy: raw may be unaligned; ONNX stores little-endian
    } else {
      if (floats.length !== count) throw new OnnxFormatError(`initializer ${name}: ${floats.length} floats for shape [${dims.join(', ')}]`);
      data = Float32Array.from(floats);
    }
  }
  return { name, dims, dataType, data, raw };
}

/** Every initializer of the model's main graph, by name. Throws OnnxFormatError on a damaged file. */
export function readOnnxInitializers(bytes: Uint8Array): Map<string, OnnxInitializer> {
  const out = new Map<string, OnnxInitializer>();
  const model = new Reader(bytes);
  let sawGraph = false;
  while (!model.done()) {
    const [field, wire] = model.key();
    if (field === 7 && wire === 2) {
      sawGraph = true;
      const [s, e] = model.span();
      const graph = new Reader(bytes, s, e);
      while (!graph.done()) {
        const [gf, gw] = graph.key();
        if (gf === 5 && gw === 2) {
          const [ts, te] = graph.span();
          const t = readTensor(bytes, ts, te);
          out.set(t.name, t);
        } else graph.skip(gw);
      }
    } else model.skip(wire);
  }
  if (!sawGraph) throw new OnnxFormatError('no graph found: this is not an ONNX model file');
  return out;
}
