/**
 * The tokenizer a shipped model was trained with, built from its config.json and files. One place
 * for the widgets (load.ts, onnxruntime) and for cells (cell-models.ts, the engine), so both
 * always cut text the same way.
 */
import { text } from '../../engine/index.ts';

export interface TokenizerConfigJson {
  kind: string;
  tokenizer?: { encoder?: string; merges?: string; vocab?: string; specialTokens?: string[]; specialIds?: Record<string, number> };
}

export type ShippedTokenizer = InstanceType<typeof text.Gpt2Tokenizer> | InstanceType<typeof text.CharTokenizer>;

/** `getText(file)` reads a file of the model's directory by its name in config.json. */
export async function tokenizerFor(config: TokenizerConfigJson, getText: (file: string) => Promise<string>): Promise<ShippedTokenizer> {
  const tok = config.tokenizer;
  if (!tok) throw new Error(`config.json of a ${config.kind} model names no tokenizer`);
  if (tok.encoder && tok.merges) {
    const [encoder, merges] = await Promise.all([getText(tok.encoder), getText(tok.merges)]);
    const specials = config.kind === 'bert' ? Object.keys(tok.specialIds ?? {}) : ['<|endoftext|>'];
    return text.Gpt2Tokenizer.fromFiles(encoder, merges, { specialTokens: specials });
  }
  if (tok.vocab && tok.specialTokens) {
    const vocab = JSON.parse(await getText(tok.vocab)) as string[];
    return new text.CharTokenizer(vocab.slice(tok.specialTokens.length), { specialTokens: tok.specialTokens });
  }
  throw new Error(`config.json's tokenizer names neither BPE files (encoder, merges) nor a character vocabulary`);
}
