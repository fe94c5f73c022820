// Model: train with parameters (in a worker process, with progress), then the confusion matrix,
// per-class metrics and feature importance; import and export ONNX.
import { useEffect, useState } from 'react';
import type { ModelInfoDto, TrainParamsDto } from '@contract/contract';
import { useApp } from '../context';
import { useLive } from '../state/live';
import { Card, Empty, ErrorNote, Kpi, Progress } from '../components/ui';
import { HorizontalBars } from '../components/charts';
import { ConfusionMatrix } from '../components/ConfusionMatrix';
import { LABELS, download, percent, shortTime } from '../format';

export function Model() {
  const { client, live } = useApp();
  const snap = useLive(live);
  const [params, setParams] = useState<TrainParamsDto>({ trees: 50, depth: 5, learningRate: 0.1, testFraction: 0.1, seed: 7, dataset: 'original' });
  const [models, setModels] = useState<ModelInfoDto[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const training = snap.jobs.find((j) => j.kind === 'train' && (j.status === 'running' || j.status === 'queued'));
  const lastTrain = snap.jobs.find((j) => j.kind === 'train');

  const reload = () =>
    client.call('listModels', {}).then((m) => {
      setModels(m);
      setSelected((s) => (s && m.some((x) => x.id === s) ? s : (m[0]?.id ?? null)));
    }, (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, [lastTrain?.status]);
  useEffect(() => {
    if (lastTrain?.status === 'finished') setSelected(lastTrain.id);
    if (lastTrain?.status === 'failed') setError(lastTrain.error);
  }, [lastTrain?.status, lastTrain?.id, lastTrain?.error]);

  const model = models.find((m) => m.id === selected) ?? null;
  const num = (key: keyof TrainParamsDto, value: string) => setParams((p) => ({ ...p, [key]: Number(value) }));
  const train = async () => {
    setError(null);
    try {
      await client.call('trainModel', params);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const importFile = async (file: File) => {
    setError(null);
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const info = await client.call('importModel', { name: file.name, base64: btoa(binary) });
      await reload();
      setSelected(info.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const exportModel = async () => {
    if (!model) return;
    const file = await client.call('exportModel', { id: model.id });
    const raw = atob(file.base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    download(file.filename, bytes, 'application/octet-stream');
  };

  return (
    <div className="page model">
      <div className="page-head">
        <div>
          <h1>Model</h1>
          <p className="muted">Multinomial gradient-boosted trees trained in TypeScript, exported as ONNX and scored with onnxruntime.</p>
        </div>
      </div>
      <ErrorNote error={error} />
      <div className="two-col">
        <div className="stack">
          <Card title="Train" subtitle="on the original solution's labelled profiles (customer_profile_label.csv)">
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                void train();
              }}
            >
              <label>
                Trees <input type="number" min={1} max={500} value={params.trees} onChange={(e) => num('trees', e.target.value)} data-testid="train-trees" />
              </label>
              <label>
                Depth <input type="number" min={1} max={12} value={params.depth} onChange={(e) => num('depth', e.target.value)} data-testid="train-depth" />
              </label>
              <label>
                Learning rate <input type="number" step="any" min={0.001} max={1} value={params.learningRate} onChange={(e) => num('learningRate', e.target.value)} />
              </label>
              <label>
                Test fraction <input type="number" step="any" min={0.05} max={0.5} value={params.testFraction} onChange={(e) => num('testFraction', e.target.value)} />
              </label>
              <label>
                Seed <input type="number" min={0} value={params.seed} onChange={(e) => num('seed', e.target.value)} />
              </label>
              {training ? (
                <div className="stack">
                  <Progress value={training.progress} label={snap.live[training.id]?.message || 'training'} />
                  <button type="button" className="btn btn-danger" onClick={() => void client.call('stopJob', { id: training.id })}>
                    Cancel
                  </button>
                </div>
              ) : (
                <button type="submit" className="btn btn-primary" data-testid="train-start">
                  Train model
                </button>
              )}
            </form>
          </Card>
          <Card
            title="Models"
            actions={
              <>
                <label className="btn">
                  Import ONNX…
                  <input type="file" accept=".onnx" hidden onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} data-testid="model-import" />
                </label>
                <button className="btn" onClick={() => void exportModel()} disabled={!model} data-testid="model-export">
                  Export ONNX
                </button>
              </>
            }
          >
            <ul className="list" data-testid="model-list">
              {models.map((m) => (
                <li key={m.id}>
                  <button className={`list-item ${m.id === selected ? 'active' : ''}`} onClick={() => setSelected(m.id)}>
                    <div className="list-title">
                      {m.id} <span className="badge badge-queued">{m.source}</span>
                    </div>
                    <div className="muted small">
                      {shortTime(m.createdAt)} · accuracy {percent(m.accuracy)} · macro-F1 {m.macroF1?.toFixed(3) ?? '—'} · {(m.bytes / 1024).toFixed(0)} KB
                    </div>
                  </button>
                </li>
              ))}
            </ul>
          </Card>
        </div>
        <div className="stack">
          {!model ? (
            <Empty>No model yet.</Empty>
          ) : (
            <>
              <div className="kpis">
                <Kpi label="Accuracy (held out)" value={percent(model.accuracy)} hint={`majority class: ${percent(model.baselineAccuracy)}`} />
                <Kpi label="Macro-F1" value={model.macroF1?.toFixed(3) ?? '—'} hint="accuracy alone means little: 83% by always predicting T0" />
                <Kpi label="Trees × depth" value={model.params ? `${model.params.trees ?? '—'} × ${model.params.depth ?? '—'}` : '—'} hint={model.params ? `learning rate ${model.params.learningRate}` : model.source} />
              </div>
              <Card title="Confusion matrix" subtitle="held-out rows: actual × predicted">
                {model.confusion ? <ConfusionMatrix confusion={model.confusion} /> : <Empty>No evaluation stored for this model.</Empty>}
              </Card>
              <Card title="Per-class metrics">
                <table className="table" data-testid="per-class">
                  <thead>
                    <tr>
                      <th>Class</th>
                      <th className="num">Precision</th>
                      <th className="num">Recall</th>
                      <th className="num">F1</th>
                      <th className="num">Support</th>
                    </tr>
                  </thead>
                  <tbody>
                    {model.perClass.map((c) => (
                      <tr key={c.class}>
                        <td>{LABELS[c.class]}</td>
                        <td className="num">{percent(c.precision)}</td>
                        <td className="num">{percent(c.recall)}</td>
                        <td className="num">{c.f1.toFixed(3)}</td>
                        <td className="num">{c.support}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Card>
              <Card title="Feature importance" subtitle="share of the trees' split gain">
                <HorizontalBars testId="importance" data={model.importance.slice(0, 12).map((f) => ({ name: f.feature, value: f.share }))} valueLabel="share of split gain" format={(v) => percent(v, 0)} />
              </Card>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
