"""The State of the Union corpus as BPE token ids, split into train and validation speeches.

Every 20th speech (by year) is held out for validation, so both splits span 1790-2016.
Speeches are joined with <|endoftext|>. The ids are cached in .cache/model-data/.
"""
import os

import torch

from common import DATA, END_OF_TEXT, BpeEncoder, load_bpe, sotu_speeches

BPE_DIR = os.path.join(DATA, "sotu-bpe")


def tokenizer() -> BpeEncoder:
    if not os.path.isdir(BPE_DIR):
        raise SystemExit("run scripts/models/build_tokenizer.py first")
    encoder, merges = load_bpe(BPE_DIR)
    return BpeEncoder(encoder, merges, specials=[END_OF_TEXT, "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])


def split_ids():
    """-> (train ids, val ids) as int64 1-D tensors."""
    cache = os.path.join(DATA, "sotu-ids.pt")
    if os.path.exists(cache):
        return torch.load(cache)
    tok = tokenizer()
    eot = tok.encoder[END_OF_TEXT]
    train, val = [], []
    for i, s in enumerate(sotu_speeches()):
        (val if i % 20 == 10 else train).extend(tok.encode_ordinary(s) + [eot])
    out = (torch.tensor(train, dtype=torch.long), torch.tensor(val, dtype=torch.long))
    torch.save(out, cache)
    return out


def random_windows(ids: torch.Tensor, batch: int, length: int, gen: torch.Generator) -> torch.Tensor:
    """(batch, length) windows at uniform random offsets."""
    starts = torch.randint(0, len(ids) - length, (batch,), generator=gen)
    return torch.stack([ids[s:s + length] for s in starts.tolist()])


def fixed_windows(ids: torch.Tensor, length: int, count: int) -> torch.Tensor:
    """(count, length) evenly spaced windows: the same evaluation set every time."""
    step = (len(ids) - length) // count
    return torch.stack([ids[i * step:i * step + length] for i in range(count)])
