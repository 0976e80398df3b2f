// The Transformer (Vaswani et al., 2017) as a live SVG diagram: an encoder block (left) and a
// decoder block (right). Point at (hover or focus) a sublayer and its equation and the shapes it
// maps appear under the figure. Drawn with the pieces in live-diagram.tsx (styles:
// live-diagram.css, imported by the page that shows it).
import { useId, useState } from 'preact/hooks';
import { Caption, Part, type PartInfo } from './live-diagram.tsx';

export const TRANSFORMER_PARTS = {
  embed: {
    name: 'Embedding + positions',
    equation: 'X = E[tokens] + P[0 … T−1]',
    meaning: 'Token ids [B, T] → vectors [B, T, d]: a row of the embedding table plus the row of its position (learned or sinusoidal).',
  },
  selfAttn: {
    name: 'Multi-head self-attention',
    equation: 'MultiHead(X, X, X) = concat(head_{1}, …, head_{h}) W^{O⊤},  head_{i} = softmax(Q_{i} K_{i}^{⊤} / √d_{k}) V_{i}',
    meaning: '[B, T, d] → [B, T, d]. Every token attends to every token; h heads of width d_{k} = d/h; weights [B, h, T, T].',
  },
  addNorm: {
    name: 'Add & norm (residual + layer norm)',
    equation: 'post-norm: x ← LN(x + Sublayer(x));  pre-norm: x ← x + Sublayer(LN(x))',
    meaning: '[B, T, d] → [B, T, d]. The residual keeps the input on an identity path; LN turns each token into a z-score over its d features, then scales by γ and shifts by β.',
  },
  ffn: {
    name: 'Position-wise feed-forward',
    equation: 'FFN(x) = max(0, x W_{1}^{⊤} + b_{1}) W_{2}^{⊤} + b_{2}',
    meaning: '[B, T, d] → [B, T, d_{ff}] → [B, T, d], the same MLP on every token on its own; d_{ff} = 4d in most models.',
  },
  maskedAttn: {
    name: 'Masked (causal) self-attention',
    equation: 'softmax(Q K^{⊤} / √d_{k} + M) V,  M_{ij} = −∞ for j > i',
    meaning: '[B, T, d] → [B, T, d]. Token t sees only tokens 0 … t, so training on whole sequences cannot peek at the answer.',
  },
  crossAttn: {
    name: 'Cross-attention',
    equation: 'MultiHead(Y, Z, Z)',
    meaning: 'Queries from the decoder Y [B, T, d]; keys and values from the encoder output Z [B, S, d]; weights [B, h, T, S].',
  },
  output: {
    name: 'Linear + softmax',
    equation: 'p = softmax(y W_{out}^{⊤} + b)',
    meaning: '[B, T, d] → [B, T, V]: a distribution over the vocabulary for the next token at every position.',
  },
} satisfies Record<string, PartInfo>;

export type TransformerPart = keyof typeof TRANSFORMER_PARTS;

function Box(props: { x: number; y: number; w?: number; label: string; kind: string }) {
  const w = props.w ?? 200;
  return (
    <>
      <rect class={`cd-box tb-${props.kind}`} x={props.x - w / 2} y={props.y - 17} width={w} height={34} rx={6} />
      <text class="cd-op tb-text" x={props.x} y={props.y + 6}>{props.label}</text>
    </>
  );
}

export default function TransformerBlock() {
  const id = useId();
  const [active, setActive] = useState<TransformerPart>('addNorm');
  const captionId = `${id}-caption`;
  const common = { active, select: setActive, captionId };
  const P = TRANSFORMER_PARTS;
  const all = Object.values(P).map((p) => `${p.name}: ${p.equation.replace(/[_^]\{([^}]*)\}/g, '$1')}`).join('; ');
  const E = 170, D = 470; // column centres
  const arrow = `url(#${id}-arrow)`;
  return (
    <figure class="cd-figure not-content tb-figure">
      <svg class="cd-svg" viewBox="0 0 640 480" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
        <title id={`${id}-title`}>The Transformer: an encoder block (self-attention, feed-forward, each with add and norm) repeated N times, and a decoder block (masked self-attention, cross-attention into the encoder output, feed-forward) repeated N times, then a linear layer and softmax</title>
        <desc id={`${id}-desc`}>{all}</desc>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="cd-arrowhead" />
          </marker>
        </defs>
        <rect class="cd-frame" x={E - 140} y={128} width={280} height={247} rx={14} />
        <rect class="cd-frame" x={D - 140} y={62} width={280} height={328} rx={14} />
        <text class="cd-letter" x={E + 10} y={395}>encoder block × N</text>
        <text class="cd-letter" x={D + 10} y={410}>decoder block × N</text>
        <g class="cd-wires">
          {/* encoder main path */}
          <path d={`M ${E} 418 V 337`} marker-end={arrow} />
          <path d={`M ${E} 303 V 283`} marker-end={arrow} />
          <path d={`M ${E} 249 V 227`} marker-end={arrow} />
          <path d={`M ${E} 193 V 173`} marker-end={arrow} />
          {/* encoder residuals */}
          <path d={`M ${E} 362 H ${E - 125} V 266 H ${E - 100}`} marker-end={arrow} />
          <path d={`M ${E} 238 H ${E - 125} V 156 H ${E - 100}`} marker-end={arrow} />
          {/* encoder output → cross-attention */}
          <path d={`M ${E} 139 V 110 H ${D - 160} V 246 H ${D - 100}`} marker-end={arrow} />
          {/* decoder main path */}
          <path d={`M ${D} 438 V 377`} marker-end={arrow} />
          <path d={`M ${D} 343 V 323`} marker-end={arrow} />
          <path d={`M ${D} 289 V 263`} marker-end={arrow} />
          <path d={`M ${D} 229 V 209`} marker-end={arrow} />
          <path d={`M ${D} 175 V 153`} marker-end={arrow} />
          <path d={`M ${D} 119 V 101`} marker-end={arrow} />
          <path d={`M ${D} 70 V 55`} marker-end={arrow} />
          {/* decoder residuals */}
          <path d={`M ${D} 400 H ${D + 125} V 306 H ${D + 100}`} marker-end={arrow} />
          <path d={`M ${D} 278 H ${D + 125} V 192 H ${D + 100}`} marker-end={arrow} />
          <path d={`M ${D} 164 H ${D + 125} V 84 H ${D + 80}`} marker-end={arrow} />
        </g>
        <Part part="embed" info={P.embed} {...common}><Box x={E} y={435} label="inputs + positions" kind="embed" /></Part>
        <Part part="embed" info={P.embed} {...common}><Box x={D} y={455} label="outputs (shifted) + positions" kind="embed" w={262} /></Part>
        <Part part="selfAttn" info={P.selfAttn} {...common}><Box x={E} y={320} label="multi-head self-attention" kind="attn" w={236} /></Part>
        <Part part="addNorm" info={P.addNorm} {...common}><Box x={E} y={266} label="add & norm" kind="norm" /></Part>
        <Part part="ffn" info={P.ffn} {...common}><Box x={E} y={210} label="feed-forward" kind="ffn" /></Part>
        <Part part="addNorm" info={P.addNorm} {...common}><Box x={E} y={156} label="add & norm" kind="norm" /></Part>
        <Part part="maskedAttn" info={P.maskedAttn} {...common}><Box x={D} y={360} label="masked self-attention" kind="attn" /></Part>
        <Part part="addNorm" info={P.addNorm} {...common}><Box x={D} y={306} label="add & norm" kind="norm" /></Part>
        <Part part="crossAttn" info={P.crossAttn} {...common}><Box x={D} y={246} label="cross-attention" kind="attn" /></Part>
        <Part part="addNorm" info={P.addNorm} {...common}><Box x={D} y={192} label="add & norm" kind="norm" /></Part>
        <Part part="ffn" info={P.ffn} {...common}><Box x={D} y={136} label="feed-forward" kind="ffn" /></Part>
        <Part part="addNorm" info={P.addNorm} {...common}><Box x={D} y={84} label="add & norm" kind="norm" w={160} /></Part>
        <Part part="output" info={P.output} {...common}><Box x={D} y={38} label="linear + softmax" kind="out" /></Part>
      </svg>
      <Caption id={captionId} info={P[active]} />
    </figure>
  );
}
