"""The training loop shared by the GPT and the distillation scripts (next-token prediction)."""
import time

import torch
import torch.nn.functional as F

from common import set_lr, warmup_cosine_lr
from lm_data import fixed_windows, random_windows


@torch.no_grad()
def evaluate(model, ids, block, count=64, batch=16):
    """Mean next-token cross-entropy (nats) and top-1 accuracy over fixed windows of `ids`."""
    model.eval()
    wins = fixed_windows(ids, block + 1, count)
    loss_sum, correct, n = 0.0, 0, 0
    for i in range(0, count, batch):
        w = wins[i:i + batch]
        logits = model(w[:, :-1])
        logits = logits[0] if isinstance(logits, tuple) else logits
        y = w[:, 1:]
        loss_sum += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
        correct += (logits.argmax(-1) == y).sum().item()
        n += y.numel()
    model.train()
    return loss_sum / n, correct / n


def train_lm(model, train_ids, val_ids, *, steps, batch, block, lr, seed, log, teacher=None,
             alpha=0.5, temperature=2.0, eval_every=250):
    """AdamW (β = 0.9, 0.95, weight decay 0.1 on matrices), linear warm-up for 5 % of steps then
    cosine decay to lr/10, gradient clipping at 1. With a teacher the loss is
    (1 - alpha) * CE(student, data) + alpha * T² * KL(softmax(teacher/T) || softmax(student/T))
    (Hinton et al. 2015). Returns the history of (step, train loss, val loss, val acc)."""
    gen = torch.Generator().manual_seed(seed)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.95))
    warm = max(1, steps // 20)

    def lr_at(s):
        return warmup_cosine_lr(s, steps, lr, warm=warm, floor=0.1)

    if teacher is not None:
        teacher.eval()
    history, t0, running = [], time.time(), None
    model.train()
    for step in range(steps + 1):
        if step % eval_every == 0 or step == steps:
            vl, va = evaluate(model, val_ids, block)
            history.append((step, running, vl, va))
            log(f"step {step:5d}  train {running if running is None else round(running, 4)}  val loss {vl:.4f}  "
                f"val acc {va:.4f}  lr {lr_at(min(step, steps - 1)):.2e}  {time.time() - t0:.0f}s")
        if step == steps:
            break
        set_lr(opt, lr_at(step))
        w = random_windows(train_ids, batch, block + 1, gen)
        x, y = w[:, :-1], w[:, 1:]
        logits = model(x)
        logits = logits[0] if isinstance(logits, tuple) else logits
        ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss = ce
        if teacher is not None:
            with torch.no_grad():
                t_logits = teacher(x)
                t_logits = t_logits[0] if isinstance(t_logits, tuple) else t_logits
            kd = F.kl_div(F.log_softmax(logits / temperature, -1), F.log_softmax(t_logits / temperature, -1),
                          log_target=True, reduction="batchmean") * temperature ** 2 / x.shape[1]
            loss = (1 - alpha) * ce + alpha * kd
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = ce.item() if running is None else 0.95 * running + 0.05 * ce.item()
    return history
