"""After training: records each shipped file's size and SHA-256 in its model's config.json (the
runtime checks model.onnx against it) and prints the total size of public/models.

    scripts/models/py.sh scripts/models/finalize.py
"""
import hashlib
import json
import os

from common import MODELS

total = 0
for name in sorted(os.listdir(MODELS)):
    d = os.path.join(MODELS, name)
    cfg_path = os.path.join(d, "config.json")
    if not os.path.exists(cfg_path):
        continue
    with open(cfg_path) as f:
        cfg = json.load(f)
    files = {}
    for fn in sorted(os.listdir(d)):
        if fn in ("config.json", "model-card.md", "train-log.txt"):
            continue
        with open(os.path.join(d, fn), "rb") as f:
            data = f.read()
        files[fn] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    cfg["files"] = files
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    card = os.path.join(d, "model-card.md")
    if os.path.exists(card):  # the scripts time wall clock; say so, the machine was shared
        with open(card, encoding="utf-8") as f:
            text = f.read()
        text = text.replace(" min on 1 CPU thread)", " min wall clock, 1 CPU thread on a shared 2-core machine)")
        text = text.replace(" min for both on 1 CPU thread)", " min wall clock for both, 1 CPU thread on a shared 2-core machine)")
        with open(card, "w", encoding="utf-8") as f:
            f.write(text)
    size = sum(os.path.getsize(os.path.join(d, fn)) for fn in os.listdir(d))
    total += size
    print(f"{name:20s} {size / 1e6:7.2f} MB")
print(f"{'total':20s} {total / 1e6:7.2f} MB")
