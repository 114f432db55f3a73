import { useState } from 'react';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from './ConfirmDialog';
import { TeachLine } from './TeachLine';
import { YamlViewer } from './YamlViewer';

type Mode = 'auto' | 'no-reboot' | 'staged' | 'try';

/** `talosctl edit mc`: edit the revealed config, see the node's dry-run diff, then apply in a chosen mode. */
export function ApplyConfigPanel(props: {
  identityId: string;
  context: string;
  node: string;
  initial: string;
  onApplied(): void;
  onClose(): void;
}) {
  const [text, setText] = useState(props.initial);
  const [mode, setMode] = useState<Mode>('auto');
  const [result, setResult] = useState<{ dryRun: boolean; details: string; warnings: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const submit = async (dryRun: boolean) => {
    setError(null);
    setConfirm(false);
    try {
      const r = await call('configs.apply', { identityId: props.identityId, node: props.node, yaml: text, mode, dryRun });
      setResult({ dryRun, details: r.modeDetails, warnings: r.warnings });
      if (!dryRun) props.onApplied();
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    }
  };
  return (
    <section className="card" aria-label="Edit and apply config">
      <div className="toolbar">
        <strong>Edit the config of {props.node}</strong>
        <select aria-label="Apply mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
          <option value="auto">auto</option>
          <option value="no-reboot">no-reboot</option>
          <option value="staged">staged (after next reboot)</option>
          <option value="try">try (reverts after 1m)</option>
        </select>
        <button onClick={() => void submit(true)}>Dry run</button>
        <button className="danger" onClick={() => setConfirm(true)}>
          Apply…
        </button>
        <button onClick={props.onClose}>Close</button>
      </div>
      <TeachLine
        command={talosctl.applyConfig({ context: props.context, nodes: [props.node] }, 'config.yaml', mode, true)}
        method="/machine.MachineService/ApplyConfiguration"
      />
      <YamlViewer text={props.initial} label="Config to apply" onChange={setText} />
      {error && (
        <p className="node-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div role="status" aria-label={result.dryRun ? 'Dry run result' : 'Apply result'}>
          {result.warnings.map((w) => (
            <p key={w} className="warn-text">
              {w}
            </p>
          ))}
          <pre className="mono">{result.details}</pre>
        </div>
      )}
      {confirm && (
        <ConfirmDialog
          title={`Apply this config to ${props.node}?`}
          confirmLabel={`Apply (${mode})`}
          danger
          body={<p>Run a dry run first to see the diff. The apply is recorded in the audit trail (without the config's content).</p>}
          onConfirm={() => void submit(false)}
          onCancel={() => setConfirm(false)}
        />
      )}
    </section>
  );
}
