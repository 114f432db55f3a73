import { useState } from 'react';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { useOperations } from '../operations/operation-store';
import { TeachLine } from './TeachLine';
import { YamlViewer } from './YamlViewer';

type Mode = 'auto' | 'no-reboot' | 'staged' | 'try';

/** `talosctl edit mc`: edit the revealed config, see the node's dry-run diff, then apply in a chosen mode. */
export function ApplyConfigPanel(props: { identityId: string; context: string; node: string; initial: string; onClose(): void }) {
  const [text, setText] = useState(props.initial);
  const [mode, setMode] = useState<Mode>('auto');
  const [result, setResult] = useState<{ details: string; warnings: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dryRun = async () => {
    setError(null);
    try {
      const r = await call('configs.apply', { identityId: props.identityId, node: props.node, yaml: text, mode, dryRun: true });
      setResult({ details: r.modeDetails, warnings: r.warnings });
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    }
  };
  // Applying is an operation: its plan shows each target's own dry run and runs with health gates.
  const plan = () =>
    useOperations.getState().openPlan({ action: { kind: 'apply-config', yaml: text, mode, tryTimeoutSeconds: 60 }, nodes: [props.node] });
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
        <button onClick={() => void dryRun()}>Dry run</button>
        <button className="danger" onClick={plan} title="Opens the plan: targets, each node's dry run, health gates">
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
        <div role="status" aria-label="Dry run result">
          {result.warnings.map((w) => (
            <p key={w} className="warn-text">
              {w}
            </p>
          ))}
          <pre className="mono">{result.details}</pre>
        </div>
      )}
    </section>
  );
}
