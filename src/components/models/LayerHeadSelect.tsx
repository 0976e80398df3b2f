// The decoder layer and head pickers of the encoder–decoder widgets (the date normaliser, T5):
// head −1 is "mean of heads", as layerWeights (heatmap.ts) reads it.

interface Props {
  layers: number;
  heads: number;
  layer: number;
  head: number;
  onChange: (patch: { layer?: number; head?: number }) => void;
}

export function LayerHeadSelect({ layers, heads, layer, head, onChange }: Props) {
  return (
    <div class="model-controls">
      <label>
        Decoder layer
        <select value={layer} onChange={(e) => onChange({ layer: Number(e.currentTarget.value) })}>
          {Array.from({ length: layers }, (_, l) => <option value={l} key={l}>{l + 1}</option>)}
        </select>
      </label>
      <label>
        Head
        <select value={head} onChange={(e) => onChange({ head: Number(e.currentTarget.value) })}>
          <option value={-1}>mean of heads</option>
          {Array.from({ length: heads }, (_, h) => <option value={h} key={h}>{h + 1}</option>)}
        </select>
      </label>
    </div>
  );
}
