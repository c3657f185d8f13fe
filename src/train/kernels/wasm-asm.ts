// The few pieces of WebAssembly's binary format our hand-assembled modules
// (adam-simd.ts, gemm-simd.ts, dense-simd.ts, scale-simd.ts) are written with: one function, one imported memory.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export const get = (i: number): number[] => [0x20, i];
export const set = (i: number): number[] => [0x21, i];
export const tee = (i: number): number[] => [0x22, i];
export const i32 = (n: number): number[] => [0x41, ...sleb(n)];
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const I32_EQZ = 0x45;
export const I32_GE_U = 0x4f;
/** block / loop / if with no result, their end, and branches to the n-th enclosing label. */
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const END = 0x0b;
export const br = (depth: number): number[] => [0x0c, depth];
export const brIf = (depth: number): number[] => [0x0d, depth];

/** A SIMD instruction (0xfd prefix, LEB128 opcode). */
export const simd = (op: number): number[] => [0xfd, ...leb(op)];
/** memarg: alignment (log2 bytes) and a constant byte offset. */
const memarg = (align: number, offset: number): number[] => [align, ...leb(offset)];
export const v128Load = (offset = 0): number[] => [...simd(0x00), ...memarg(4, offset)];
export const v128Store = (offset = 0): number[] => [...simd(0x0b), ...memarg(4, offset)];
export const v128Load32Splat = (offset = 0): number[] => [...simd(0x09), ...memarg(2, offset)];
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const [F32X4_SPLAT, F32X4_SQRT, F32X4_ADD, F32X4_SUB, F32X4_MUL, F32X4_DIV] =
  [0x13, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd) as [number[], number[], number[], number[], number[], number[]];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const str = (s: string): number[] => [...leb(s.length), ...Buffer.from(s)];
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];

/** Locals declared as runs of one type: [count, type] pairs. */
export function functionBody(locals: [number, number][], code: number[]): number[] {
  const decl = [...leb(locals.length), ...locals.flatMap(([n, t]) => [...leb(n), t])];
  return [...leb(decl.length + code.length + 1), ...decl, ...code, END];
}

/** A module importing `env.memory` and exporting one function `name`(params) with no result. */
export function moduleBytes(name: string, params: number[], body: number[]): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...leb(params.length), ...params, 0]),
    ...section(2, [1, ...str('env'), ...str('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str(name), 0x00, 0]),
    ...section(10, [1, ...body]),
  ]);
}

// The project's lib setting (ES2023, no DOM) has no WebAssembly types; this is the part used.
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}
export const WASM_API = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A WebAssembly.Memory. */
export type WasmMemory = { buffer: ArrayBuffer };

/**
 * The function `name` of the module `bytes()` builds, bound to a memory: one instance per
 * memory, made on first use; null where the runtime rejects the module (no SIMD).
 */
export function boundToMemory<F>(name: string, bytes: () => Uint8Array): (memory: WasmMemory) => F | null {
  const cache = new WeakMap<WasmMemory, F | null>();
  return (memory) => {
    let fn = cache.get(memory);
    if (fn === undefined) {
      const module = bytes();
      fn = WASM_API.validate(module) ? (new WASM_API.Instance(new WASM_API.Module(module), { env: { memory } }).exports[name] as F) : null;
      cache.set(memory, fn);
    }
    return fn;
  };
}
