// A cell's viewers.attention / viewers.nextToken output: the book's attention viewer and next-token
// view, drawn from what the cell's model computed (the model itself stays in the worker). Loaded
// only when a cell opens a viewer.
import { useMemo, useState } from 'preact/hooks';
import type { ModelView } from '../../runtime/protocol.ts';
import { AttentionPanes, type LabelledMaps } from '../models/AttentionPanes.tsx';
import { PlotFigure } from '../models/PlotFigure.tsx';
import { barChart } from '../models/heatmap.ts';
import { SamplingControls, filteredDistribution, type SamplingSettings } from '../models/SamplingControls.tsx';
import '../models/models.css';

type AttentionView = Extract<ModelView, { view: 'attention' }>;
type NextTokenView = Extract<ModelView, { view: 'next-token' }>;

const quoted = (t: string): string => `“${JSON.stringify(t).slice(1, -1)}”`;

function Attention({ view }: { view: AttentionView }) {
  const groups = useMemo<LabelledMaps[]>(
    () => view.groups.map((g) => ({ kind: g.kind, rows: g.rows, cols: g.cols, maps: { ...g.maps, data: Float32Array.from(g.maps.data) } })),
    [view],
  );
  const [pick, setPick] = useState({ group: 0, layer: 0, head: 0 });
  const group = Math.min(pick.group, groups.length - 1);
  const data = groups[group];
  if (!data) return <p class="cell-figure-note">{view.title}: no attention to show.</p>;
  const layer = Math.min(pick.layer, data.maps.layers - 1);
  const head = Math.min(pick.head, data.maps.heads - 1);
  return (
    <>
      {groups.length > 1 && (
        <div class="model-controls">
          <label>
            Attention
            <select value={group} onChange={(e) => setPick({ group: Number(e.currentTarget.value), layer: 0, head: 0 })}>
              {groups.map((g, i) => <option value={i} key={i}>{g.kind}</option>)}
            </select>
          </label>
        </div>
      )}
      <AttentionPanes data={data} layer={layer} head={head} onPick={(l, h) => setPick({ group, layer: l, head: h })} />
    </>
  );
}

function NextToken({ view }: { view: NextTokenView }) {
  const [settings, setSettings] = useState<SamplingSettings>({ temperature: 1, topK: Math.min(50, view.tokens.length), topP: 1 });
  const bars = useMemo(() => {
    const probs = filteredDistribution(view.logits, settings);
    const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]!).slice(0, 10);
    return order.filter((i) => probs[i]! > 0).map((i) => ({ label: quoted(view.tokens[i]!), probability: probs[i]! }));
  }, [view, settings]);
  const context = view.context.join('');
  return (
    <>
      {context && <p class="model-output"><span class="model-prompt">{context}</span> …</p>}
      <SamplingControls settings={settings} onChange={(patch) => setSettings({ ...settings, ...patch })} maxTopK={Math.min(50, view.tokens.length)} />
      <PlotFigure deps={[bars]} make={() => (bars.length ? (barChart(bars, 520, 'Next-token probabilities') as Element) : null)} />
    </>
  );
}

export default function ModelViewOutput({ view }: { view: ModelView }) {
  return (
    <div class="model-widget cell-model-view" role="group" aria-label={view.title} data-view={view.view}>
      <p class="model-caption"><strong>{view.title}</strong></p>
      {view.view === 'attention' ? <Attention view={view} /> : <NextToken view={view} />}
      {view.note && <p class="cell-figure-note">{view.note}</p>}
    </div>
  );
}
