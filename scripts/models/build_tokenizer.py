"""Trains the book's byte-level BPE vocabulary (2048 ids) on the State of the Union corpus.

    /usr/bin/python3 scripts/models/build_tokenizer.py

Writes .cache/model-data/sotu-bpe/{encoder.json,vocab.bpe}; the GPT, BERT and distillation
scripts copy it next to their models. Ids: 0-255 bytes, 256-2041 merges, then
<|endoftext|> [PAD] [UNK] [CLS] [SEP] [MASK].
"""
import os
import time

from common import BERT_SPECIALS, DATA, END_OF_TEXT, save_bpe, sotu_speeches, train_bpe

VOCAB_SIZE = 2048

if __name__ == "__main__":
    t0 = time.time()
    speeches = sotu_speeches()
    encoder, merges = train_bpe(speeches, VOCAB_SIZE, [END_OF_TEXT] + BERT_SPECIALS)
    out = os.path.join(DATA, "sotu-bpe")
    save_bpe(out, encoder, merges)
    print(f"{len(speeches)} speeches, {sum(map(len, speeches))} chars -> {len(encoder)} ids, "
          f"{len(merges)} merges in {time.time() - t0:.0f}s; last merges: {merges[-5:]}")
