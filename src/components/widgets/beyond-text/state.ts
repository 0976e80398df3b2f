// The draw-a-digit widget's state and its URL form (?img=<64 base-17 characters>&head=0): the 8×8
// image the model reads (what a drawing becomes, or an example) and which head's [CLS] attention
// is shown (0 = the mean over heads). Shared by the chapter, the embed page and the embed snippet.
import { decodePixels } from './vit.ts';

export interface DrawDigitState {
  /** 64 characters, one base-17 digit (0–9, a–g) per pixel, row by row: the data file's format. */
  img: string;
  /** 0: the mean of the heads; 1…HEADS: one head. */
  head: number;
}

export const HEADS = 4;

/** One test image of each digit from public/data/digits.json (the widget's example buttons). */
export const EXAMPLES: readonly string[] = [
  '00age20003g98e0005g32f6005g30ca007e00cb007g13g5004g7cb1000age300',
  '000de000000dg300002gf300004ge000003gb000008ga000006g7000001b9000',
  '007d300000fgb00000e5f3000062e5000000c8000006g440007gggg3006f6991',
  '00agga0008f76e000130f800000cd1000007f40000008c000060ca0000dgf300',
  '001c7000008e100000f7035005g04f4005gggf2000bcg8000005g300000da000',
  '0068ce0005gfc70008gd400002b8eb0000000f1000000e500198ce1000afc300',
  '000bg800006gd300008g800000dg200000fg500002ggg50001agge00000cgf00',
  '00039gg2004gdbg1003506d000027e90004ggf300098bc000000c4000002f100',
  '0046b50002e72f0004800a2000e88d1000fag70001a01a4000c20680006ab710',
  '01bda10008c3da0008b2bg1001fggg20002839600000079002c309c0019fgd30',
];

export const DEFAULT_STATE: DrawDigitState = { img: EXAMPLES[3]!, head: 0 };

/** Reads the state from a query string: a missing or malformed image or head becomes the default. */
export function parseState(params: URLSearchParams): DrawDigitState {
  const img = params.get('img') ?? '';
  const head = Number(params.get('head'));
  return {
    img: decodePixels(img) ? img : DEFAULT_STATE.img,
    head: Number.isInteger(head) && head >= 0 && head <= HEADS ? head : DEFAULT_STATE.head,
  };
}

export function serializeState(s: DrawDigitState): URLSearchParams {
  return new URLSearchParams({ img: s.img, head: String(s.head) });
}
