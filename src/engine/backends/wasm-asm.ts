// A small WebAssembly encoder: enough of the binary format (types, an imported memory, functions,
// exports; i32/f32 scalar and 128-bit SIMD instructions) to write the CPU backend's kernels in
// TypeScript and emit their bytecode at startup. It needs no toolchain, so the kernels' source is
// this repository's TypeScript and nothing has to be downloaded or built; see cpu-wasm.ts for the
// kernels and README.md ("The wasm tier") for why the wasm is produced this way.
//
// Reference: the WebAssembly core specification, "Binary Format" (section 5), and the fixed-width
// SIMD proposal's opcode table (all opcodes below the 0xFD prefix are LEB128-encoded u32s).

export type ValType = 'i32' | 'f32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function uleb(out: number[], v: number): void {
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function sleb(out: number[], v: number): void {
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) { out.push(byte); return; }
    out.push(byte | 0x80);
  }
}

const f32Bytes = new Uint8Array(4);
const f32View = new DataView(f32Bytes.buffer);

/**
 * One function body under construction. Locals are declared by name (`local('i', 'i32')`) and
 * referred to by name; parameters come first, in order. Each instruction method appends its
 * bytes and returns `this`, so a body reads like the text format, one instruction per call.
 */
export class Fn {
  readonly bytes: number[] = [];
  private readonly names = new Map<string, number>();
  private readonly extra: ValType[] = [];

  constructor(readonly name: string, readonly params: [string, ValType][], readonly results: ValType[] = []) {
    params.forEach(([n], i) => this.names.set(n, i));
  }

  /** Declares a local (once per name) and returns the body for chaining. */
  local(name: string, type: ValType): this {
    if (this.names.has(name)) throw new Error(`wasm-asm: local '${name}' declared twice in ${this.name}`);
    this.names.set(name, this.params.length + this.extra.length);
    this.extra.push(type);
    return this;
  }

  private idx(name: string): number {
    const i = this.names.get(name);
    if (i === undefined) throw new Error(`wasm-asm: unknown local '${name}' in ${this.name}`);
    return i;
  }

  private op(...b: number[]): this { this.bytes.push(...b); return this; }
  private simd(code: number): this { this.bytes.push(0xfd); uleb(this.bytes, code); return this; }
  private memarg(align: number, offset: number): this { uleb(this.bytes, align); uleb(this.bytes, offset); return this; }

  // ---- control (blocks have no result: 0x40)
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if_(): this { return this.op(0x04, 0x40); }
  else_(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.op(0x0c); uleb(this.bytes, depth); return this; }
  brIf(depth: number): this { this.op(0x0d); uleb(this.bytes, depth); return this; }
  return_(): this { return this.op(0x0f); }
  call(fnIndex: number): this { this.op(0x10); uleb(this.bytes, fnIndex); return this; }
  select(): this { return this.op(0x1b); }

  // ---- locals
  get(name: string): this { this.op(0x20); uleb(this.bytes, this.idx(name)); return this; }
  set(name: string): this { this.op(0x21); uleb(this.bytes, this.idx(name)); return this; }
  tee(name: string): this { this.op(0x22); uleb(this.bytes, this.idx(name)); return this; }

  // ---- i32
  i32(v: number): this { this.op(0x41); sleb(this.bytes, v | 0); return this; }
  i32Eqz(): this { return this.op(0x45); }
  i32Eq(): this { return this.op(0x46); }
  i32Ne(): this { return this.op(0x47); }
  i32LtS(): this { return this.op(0x48); }
  i32LtU(): this { return this.op(0x49); }
  i32GtS(): this { return this.op(0x4a); }
  i32LeS(): this { return this.op(0x4c); }
  i32GeS(): this { return this.op(0x4e); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  i32Shl(): this { return this.op(0x74); }
  i32ShrU(): this { return this.op(0x76); }

  // ---- f32 scalar
  f32(v: number): this { f32View.setFloat32(0, v, true); return this.op(0x43, ...f32Bytes); }
  f32Load(offset = 0): this { return this.op(0x2a).memarg(2, offset); }
  f32Store(offset = 0): this { return this.op(0x38).memarg(2, offset); }
  f32Add(): this { return this.op(0x92); }
  f64Add(): this { return this.op(0xa0); }
  f32DemoteF64(): this { return this.op(0xb6); }
  f64PromoteF32(): this { return this.op(0xbb); }
  f64Load(offset = 0): this { return this.op(0x2b).memarg(3, offset); }
  f64Store(offset = 0): this { return this.op(0x39).memarg(3, offset); }
  f32Sub(): this { return this.op(0x93); }
  f32Mul(): this { return this.op(0x94); }
  f32Div(): this { return this.op(0x95); }

  // ---- v128 (fixed-width SIMD)
  v128Load(offset = 0): this { return this.simd(0x00).memarg(4, offset); }
  v128Load32Splat(offset = 0): this { return this.simd(0x09).memarg(2, offset); }
  v128Store(offset = 0): this { return this.simd(0x0b).memarg(4, offset); }
  v128Const(lanes: [number, number, number, number]): this {
    this.simd(0x0c);
    for (const v of lanes) { f32View.setFloat32(0, v, true); this.bytes.push(...f32Bytes); }
    return this;
  }
  /** A v128 whose four lanes are the same f32. */
  splat(v: number): this { return this.v128Const([v, v, v, v]); }
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { return this.simd(0x1f).op(lane); }
  f64x2ExtractLane(lane: number): this { return this.simd(0x21).op(lane); }
  v128Load64Splat(offset = 0): this { return this.simd(0x0a).memarg(3, offset); }
  f64x2Add(): this { return this.simd(0xf0); }
  f64x2Mul(): this { return this.simd(0xf2); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Div(): this { return this.simd(0xe7); }
  f32x4Min(): this { return this.simd(0xe8); }
  f32x4Max(): this { return this.simd(0xe9); }
  /** Lane by lane `a < b ? b : a` (the pseudo-maximum: no NaN propagation, as that JavaScript expression). */
  f32x4Pmax(): this { return this.simd(0xeb); }
  f32x4Abs(): this { return this.simd(0xe0); }
  f32x4Neg(): this { return this.simd(0xe1); }
  f32x4Sqrt(): this { return this.simd(0xe3); }
  f32x4Nearest(): this { return this.simd(0x6a); }
  f32x4Lt(): this { return this.simd(0x43); }
  f32x4Gt(): this { return this.simd(0x44); }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  v128Xor(): this { return this.simd(0x51); }
  /** (a, b, mask) → a where mask bits are 1, else b. */
  v128Bitselect(): this { return this.simd(0x52); }
  i32x4Splat(): this { return this.simd(0x11); }
  i32x4Shl(): this { return this.simd(0xab); }
  i32x4ShrS(): this { return this.simd(0xac); }
  i32x4Add(): this { return this.simd(0xae); }
  i32x4Sub(): this { return this.simd(0xb1); }
  i32x4TruncSatF32x4S(): this { return this.simd(0xf8); }

  /** The function's code entry: locals declaration + body + end. */
  encode(): number[] {
    const out: number[] = [];
    // one local group per declared local keeps the encoder simple (the count is tiny)
    uleb(out, this.extra.length);
    for (const t of this.extra) { uleb(out, 1); out.push(VALTYPE[t]); }
    out.push(...this.bytes, 0x0b);
    return out;
  }
}

function section(out: number[], id: number, body: number[]): void {
  out.push(id);
  uleb(out, body.length);
  out.push(...body);
}

function name(out: number[], s: string): void {
  const b = new TextEncoder().encode(s);
  uleb(out, b.length);
  out.push(...b);
}

/**
 * A module that imports its memory as `env.memory` (at least `minPages` 64 KiB pages) and
 * exports every function under its name. Functions may call each other by their index here.
 */
export function assemble(fns: Fn[], minPages = 1): Uint8Array<ArrayBuffer> {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // types: one per function (duplicates are allowed)
  const types: number[] = [];
  uleb(types, fns.length);
  for (const f of fns) {
    types.push(0x60);
    uleb(types, f.params.length);
    for (const [, t] of f.params) types.push(VALTYPE[t]);
    uleb(types, f.results.length);
    for (const t of f.results) types.push(VALTYPE[t]);
  }
  section(out, 1, types);
  const imports: number[] = [];
  uleb(imports, 1);
  name(imports, 'env');
  name(imports, 'memory');
  imports.push(0x02, 0x00); // memory, limits without a maximum
  uleb(imports, minPages);
  section(out, 2, imports);
  const funcs: number[] = [];
  uleb(funcs, fns.length);
  fns.forEach((_, i) => uleb(funcs, i));
  section(out, 3, funcs);
  const exports: number[] = [];
  uleb(exports, fns.length);
  fns.forEach((f, i) => { name(exports, f.name); exports.push(0x00); uleb(exports, i); });
  section(out, 7, exports);
  const code: number[] = [];
  uleb(code, fns.length);
  for (const f of fns) {
    const body = f.encode();
    uleb(code, body.length);
    code.push(...body);
  }
  section(out, 10, code);
  return new Uint8Array(out);
}
