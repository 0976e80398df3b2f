"""Writes a model card (model-card.md) and the runtime's config.json for one shipped model."""
import os

from common import file_size, write_json


def human_bytes(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def write_card(out_dir, *, title, summary, architecture, params, data, licence, command, seed, results,
               files, notes=()):
    sizes = [(f, file_size(os.path.join(out_dir, f))) for f in files]
    lines = [f"# {title}", "", summary, "", "## Architecture", "", architecture, "",
             f"Parameters: **{params:,}** (float32).", "", "## Training data", "", data, "",
             f"Licence of the data: {licence}", "", "## Training", "",
             "Reproduce (from the repository root, after `bash scripts/models/get-data.sh`):", "",
             "```sh", command, "```", "", f"Seed: {seed}. Exported to ONNX opset 17 by the same script.", "",
             "## Results", ""]
    lines += [f"- {k}: {v}" for k, v in results]
    lines += ["", "## Files", "", "| file | size |", "| --- | --- |"]
    lines += [f"| `{f}` | {human_bytes(n)} ({n:,} bytes) |" for f, n in sizes]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    with open(os.path.join(out_dir, "model-card.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_config(out_dir, config):
    write_json(os.path.join(out_dir, "config.json"), config)
