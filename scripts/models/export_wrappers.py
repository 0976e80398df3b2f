"""Export wrappers: the reference models of scripts/fixtures/models.py with a forward that also
returns every layer's per-head attention weights, written out with plain ops so that ONNX
export is straightforward. Subclasses, so state_dict names (and the ONNX initializer names)
stay exactly the reference names that the engine loads.
"""
import math

import torch
import torch.nn.functional as F

from models import BERT, GPT, Seq2Seq


def attention(layer_attn, q_in, kv_in, n_head, mask=None):
    """torch.nn.MultiheadAttention's math (packed in_proj, batch_first) with per-head weights.

    q_in (B, T, C), kv_in (B, S, C), mask additive (T, S) or (B, 1, 1, S) or None
    -> (out (B, T, C), weights (B, H, T, S)).
    """
    w, b = layer_attn.in_proj_weight, layer_attn.in_proj_bias
    c = q_in.shape[-1]
    d = c // n_head
    q = F.linear(q_in, w[:c], b[:c])                                   # (B, T, C)
    k = F.linear(kv_in, w[c:2 * c], b[c:2 * c])                        # (B, S, C)
    v = F.linear(kv_in, w[2 * c:], b[2 * c:])                          # (B, S, C)
    bsz, t, s = q_in.shape[0], q_in.shape[1], kv_in.shape[1]
    q = q.reshape(bsz, t, n_head, d).transpose(1, 2)                   # (B, H, T, d)
    k = k.reshape(bsz, s, n_head, d).transpose(1, 2)                   # (B, H, S, d)
    v = v.reshape(bsz, s, n_head, d).transpose(1, 2)                   # (B, H, S, d)
    scores = (q / math.sqrt(d)) @ k.transpose(-2, -1)                  # (B, H, T, S)
    if mask is not None:
        scores = scores + mask
    weights = torch.softmax(scores, dim=-1)                            # (B, H, T, S)
    out = (weights @ v).transpose(1, 2).reshape(bsz, t, c)             # (B, T, C)
    return layer_attn.out_proj(out), weights


def causal_additive(t, device=None):
    """(T, T): 0 on and below the diagonal, -inf above (torch's bool mask turned additive)."""
    m = torch.ones(t, t, device=device).triu(1)
    return m.masked_fill(m > 0, float("-inf"))


def ff(layer, x):
    return layer.linear2(layer.activation(layer.linear1(x)))


class GPTWithAttention(GPT):
    """forward(idx (B, T) int64) -> logits (B, T, V), attention (L, B, H, T, T)."""

    def forward(self, idx):
        t = idx.shape[1]
        pos = torch.arange(t, device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(pos)                     # (B, T, C)
        mask = causal_additive(t, idx.device)                         # (T, T)
        maps = []
        for blk in self.blocks:
            a, w = attention(blk.self_attn, blk.norm1(x), blk.norm1(x), blk.self_attn.num_heads, mask)
            x = x + a
            x = x + ff(blk, blk.norm2(x))
            maps.append(w)
        return self.lm_head(self.ln_f(x)), torch.stack(maps)


class BERTWithAttention(BERT):
    """forward(idx (B, T) int64, attention_mask (B, T) int64, 1 = token, 0 = padding)
    -> logits (B, T, V), attention (L, B, H, T, T). Segment ids are all 0 (single sentences)."""

    def forward(self, idx, attention_mask):
        t = idx.shape[1]
        pos = torch.arange(t, device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(pos) + self.seg_emb(torch.zeros_like(idx))
        x = self.emb_norm(x)                                           # (B, T, C)
        pad = (1.0 - attention_mask.to(x.dtype))[:, None, None, :]    # (B, 1, 1, T)
        mask = pad.masked_fill(pad > 0, float("-inf"))
        maps = []
        for layer in self.layers:
            a, w = attention(layer.self_attn, x, x, layer.self_attn.num_heads, mask)
            x = layer.norm1(x + a)
            x = layer.norm2(x + ff(layer, x))
            maps.append(w)
        h = self.mlm_norm(F.gelu(self.mlm_dense(x)))
        return h @ self.tok_emb.weight.t() + self.mlm_bias, torch.stack(maps)


class Seq2SeqWithAttention(Seq2Seq):
    """forward(src (B, S) int64, tgt (B, T) int64) -> logits (B, T, V),
    encoder_attention (L, B, H, S, S), decoder_self_attention (L, B, H, T, T),
    cross_attention (L, B, H, T, S). No padding (one example at a time in the book)."""

    def forward(self, src, tgt):
        x = self.embed(src)                                            # (B, S, C)
        enc_maps = []
        for layer in self.encoder_layers:
            h = layer.norm1(x)
            a, w = attention(layer.self_attn, h, h, layer.self_attn.num_heads)
            x = x + a
            x = x + ff(layer, layer.norm2(x))
            enc_maps.append(w)
        memory = self.enc_norm(x)
        y = self.embed(tgt)                                            # (B, T, C)
        mask = causal_additive(tgt.shape[1], tgt.device)
        self_maps, cross_maps = [], []
        for layer in self.decoder_layers:
            h = layer.norm1(y)
            a, w = attention(layer.self_attn, h, h, layer.self_attn.num_heads, mask)
            y = y + a
            a, cw = attention(layer.multihead_attn, layer.norm2(y), memory, layer.multihead_attn.num_heads)
            y = y + a
            y = y + ff(layer, layer.norm3(y))
            self_maps.append(w)
            cross_maps.append(cw)
        logits = self.dec_norm(y) @ self.tok_emb.weight.t()
        return logits, torch.stack(enc_maps), torch.stack(self_maps), torch.stack(cross_maps)
