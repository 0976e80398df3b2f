"""Trains the book's small encoder-decoder (T5-shaped Seq2Seq) to normalise dates; exports ONNX.

    scripts/models/py.sh scripts/models/train_seq2seq.py --seed 3 --steps 3000

"3rd of March 2021", "Wed 3 mar 2021", "03.03.2021", ... -> "2021-03-03", character by character.
Output: public/models/seq2seq-dates/. ONNX: (src_ids (B, S), tgt_ids (B, T)) -> logits (B, T, V),
encoder_attention (L, B, H, S, S), decoder_self_attention (L, B, H, T, T), cross_attention (L, B, H, T, S).
"""
import os
import random
import time

import torch
import torch.nn.functional as F

from card import write_card, write_config
from common import count_params, export_seq2seq_onnx, set_lr, start_run, training_args, warmup_cosine_lr, write_json
from dates import FORMATS, alphabet, example
from export_wrappers import Seq2SeqWithAttention
from models import Seq2Seq

SPECIALS = ["[PAD]", "[BOS]", "[EOS]"]
TOKENS = SPECIALS + alphabet()
IDS = {t: i for i, t in enumerate(TOKENS)}
PAD, BOS, EOS = 0, 1, 2
CONFIG = dict(vocab_size=len(TOKENS), max_len=48, n_layer=2, n_head=4, n_embd=64)


def encode(s):
    return [IDS[c] for c in s]


def batch(rng, n):
    pairs = [example(rng) for _ in range(n)]
    s_len = max(len(s) for s, _ in pairs)
    src = torch.tensor([encode(s) + [PAD] * (s_len - len(s)) for s, _ in pairs])
    tgt = torch.tensor([[BOS] + encode(t) + [EOS] for _, t in pairs])  # all 12 long
    return src, src == PAD, tgt, pairs


@torch.no_grad()
def greedy(model, src, kpm, steps=11):
    memory = model.encode(src, kpm)
    out = torch.full((src.shape[0], 1), BOS)
    for _ in range(steps):
        nxt = model.decode(out, memory, kpm)[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], 1)
    return out


@torch.no_grad()
def evaluate(model, n=1000):
    model.eval()
    rng = random.Random(999)  # held-out examples: a fixed stream the training stream (seeded differently) never replays
    src, kpm, tgt, _ = batch(rng, n)
    logits = Seq2Seq.forward(model, src, tgt[:, :-1], kpm)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1)).item()
    pred = greedy(model, src, kpm)
    exact = (pred[:, 1:11] == tgt[:, 1:11]).all(-1).float().mean().item()
    char = (pred[:, 1:12] == tgt[:, 1:12]).float().mean().item()
    model.train()
    return loss, exact, char


def main():
    ap = training_args("seq2seq-dates", seed=3, steps=3000, batch=64, lr=2e-3)
    args = ap.parse_args()
    log = start_run(args)
    model = Seq2SeqWithAttention(**CONFIG)
    n_params = count_params(model)
    log(f"params {n_params:,}  vocab {len(TOKENS)}")
    rng = random.Random(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    warm = args.steps // 20
    t0, running = time.time(), None
    for step in range(args.steps + 1):
        if step % 500 == 0 or step == args.steps:
            vl, ve, vc = evaluate(model)
            log(f"step {step:5d}  train {running if running is None else round(running, 4)}  val loss {vl:.4f}  "
                f"exact {ve:.4f}  chars {vc:.4f}  {time.time() - t0:.0f}s")
        if step == args.steps:
            break
        set_lr(opt, warmup_cosine_lr(step, args.steps, args.lr, warm=warm, floor=0.05))
        src, kpm, tgt, _ = batch(rng, args.batch)
        logits = Seq2Seq.forward(model, src, tgt[:, :-1], kpm)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
    minutes = (time.time() - t0) / 60
    model.eval()
    demos = ["3rd of March 2021", "July 4, 1976", "Sat 1 jan 2000", "the 31st of december 1999", "25.12.2024"]
    shown = []
    for d in demos:
        src = torch.tensor([encode(d)])
        out = greedy(model, src, None)[0, 1:11].tolist()
        shown.append(f"{d} → {''.join(TOKENS[i] for i in out)}")
        log("demo: " + shown[-1])
    src, tgt = torch.tensor([encode("3rd of March 2021")]), torch.tensor([[BOS] + encode("2021-03-03")])
    path = os.path.join(args.out, "model.onnx")
    export_seq2seq_onnx(model, src, tgt, path)
    write_json(os.path.join(args.out, "vocab.json"), TOKENS)
    write_config(args.out, {
        "kind": "seq2seq", "config": {"vocabSize": len(TOKENS), "maxLen": 48, "nLayer": 2, "nHead": 4, "nEmbd": 64},
        "tokenizer": {"type": "char", "vocab": "vocab.json", "specialTokens": SPECIALS, "bos": BOS, "eos": EOS, "pad": PAD},
        "inputs": ["src_ids", "tgt_ids"], "outputs": ["logits", "encoder_attention", "decoder_self_attention", "cross_attention"],
        "params": n_params, "outputLength": 10,
    })
    write_card(
        args.out, title="seq2seq-dates: a small encoder–decoder that normalises dates",
        summary="A T5-shaped encoder–decoder (the engine's `Seq2Seq`, = `scripts/fixtures/models.py` Seq2Seq) that reads a "
                "date written in English and writes it as ISO 8601, one character at a time, attending to the source "
                "through cross-attention.",
        architecture=f"Seq2Seq, pre-norm, sinusoidal positions, ReLU, one embedding shared by encoder, decoder and output. "
                     f"Character vocabulary of {len(TOKENS)} ([PAD] [BOS] [EOS] + characters), up to 48 positions, "
                     f"2 encoder + 2 decoder layers, 4 heads, width 64, feed-forward 256, no dropout. ONNX outputs: "
                     f"`logits`, `encoder_attention` (2, B, 4, S, S), `decoder_self_attention` (2, B, 4, T, T), "
                     f"`cross_attention` (2, B, 4, T, S).",
        params=n_params,
        data=f"Synthetic, generated by `scripts/models/dates.py`: a uniformly random day in 1900–2099 written in one of "
             f"{len(FORMATS)} formats (e.g. “3rd of March 2021”, “Wed 3 mar 2021”, “03.03.2021”, “2021/3/3”) → “2021-03-03”. "
             f"Training draws fresh examples every step (seeded); validation is a fixed set of 1000 from another seed.",
        licence="generated data, no third-party content.",
        command=f"scripts/models/py.sh scripts/models/train_seq2seq.py --seed {args.seed} --steps {args.steps} "
                f"--batch {args.batch} --lr {args.lr}",
        seed=args.seed,
        results=[("optimiser", f"AdamW, lr {args.lr}, warm-up then cosine, batch {args.batch}, {args.steps} steps "
                               f"({minutes:.0f} min on 1 CPU thread)"),
                 ("final training loss (smoothed)", f"{running:.4f} nats/char"),
                 ("validation loss (teacher-forced)", f"{vl:.4f} nats/char"),
                 ("validation exact match (greedy decoding, all 10 characters)", f"{ve:.1%}"),
                 ("validation character accuracy (greedy)", f"{vc:.2%}"),
                 ("demos", "\n" + "\n".join(f"  - {s}" for s in shown))],
        files=["model.onnx", "vocab.json", "config.json"],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
