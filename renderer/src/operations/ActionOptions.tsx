import type { OperationAction } from '../../../shared/domain/operation';

type Props<K extends OperationAction['kind']> = {
  action: Extract<OperationAction, { kind: K }>;
  onChange(action: OperationAction): void;
};

function Check({ label, hint, checked, onChange }: { label: string; hint: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="option" title={hint}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
      <span className="muted"> — {hint}</span>
    </label>
  );
}

function Reboot({ action, onChange }: Props<'reboot'>) {
  return (
    <label className="option">
      Reboot mode{' '}
      <select
        aria-label="Reboot mode"
        value={action.mode}
        onChange={(e) => onChange({ ...action, mode: e.target.value as typeof action.mode })}
      >
        <option value="default">default (kexec when possible)</option>
        <option value="powercycle">powercycle (skip kexec)</option>
        <option value="force">force (skip graceful teardown; Talos v1.12+)</option>
      </select>
    </label>
  );
}

function Shutdown({ action, onChange }: Props<'shutdown'>) {
  return (
    <Check
      label="Force"
      hint="skip the graceful teardown; nodes stay off until someone powers them on"
      checked={action.force}
      onChange={(force) => onChange({ ...action, force })}
    />
  );
}

function Upgrade({ action, onChange }: Props<'upgrade'>) {
  return (
    <>
      <label className="option">
        Installer image{' '}
        <input
          aria-label="Installer image"
          className="wide-input"
          value={action.image}
          onChange={(e) => onChange({ ...action, image: e.target.value })}
        />
      </label>
      <Check
        label="Stage"
        hint="stage the upgrade, reboot, and install it while booting (when files are in use)"
        checked={action.stage}
        onChange={(stage) => onChange({ ...action, stage })}
      />
      <Check
        label="Preserve"
        hint="keep the ephemeral partition's data (needed on some single-node clusters)"
        checked={action.preserve}
        onChange={(preserve) => onChange({ ...action, preserve })}
      />
      <Check
        label="Force"
        hint="skip the node's own etcd health checks before it upgrades"
        checked={action.force}
        onChange={(force) => onChange({ ...action, force })}
      />
      <label className="option">
        Reboot mode{' '}
        <select
          aria-label="Upgrade reboot mode"
          value={action.rebootMode}
          onChange={(e) => onChange({ ...action, rebootMode: e.target.value as typeof action.rebootMode })}
        >
          <option value="default">default</option>
          <option value="powercycle">powercycle (skip kexec)</option>
        </select>
      </label>
    </>
  );
}

function ApplyConfig({ action, onChange }: Props<'apply-config'>) {
  return (
    <>
      <label className="option">
        Mode{' '}
        <select
          aria-label="Apply mode"
          value={action.mode}
          onChange={(e) => onChange({ ...action, mode: e.target.value as typeof action.mode })}
        >
          <option value="auto">auto (apply now; Talos decides)</option>
          <option value="no-reboot">no-reboot (apply now, refuse if a reboot is needed)</option>
          <option value="staged">staged (apply at the next reboot)</option>
          <option value="try">try (apply now, revert after the timeout)</option>
        </select>
      </label>
      {action.mode === 'try' && (
        <label className="option">
          Revert after{' '}
          <input
            aria-label="Try timeout in seconds"
            type="number"
            min={10}
            max={3600}
            value={action.tryTimeoutSeconds}
            onChange={(e) => onChange({ ...action, tryTimeoutSeconds: Number(e.target.value) })}
          />{' '}
          s
        </label>
      )}
      <p className="muted">The config edited in the Config view ({new Blob([action.yaml]).size} bytes) goes to every target.</p>
    </>
  );
}

function Service({ action, onChange }: Props<'service'>) {
  return (
    <label className="option">
      <select
        aria-label="Service action"
        value={action.action}
        onChange={(e) => onChange({ ...action, action: e.target.value as typeof action.action })}
      >
        <option value="restart">restart</option>
        <option value="start">start</option>
        <option value="stop">stop</option>
      </select>{' '}
      service <strong>{action.service}</strong>
    </label>
  );
}

/** The options Talos offers for the plan's action, with what each does. */
export function ActionOptions({ action, onChange }: { action: OperationAction; onChange(action: OperationAction): void }) {
  switch (action.kind) {
    case 'reboot':
      return <Reboot action={action} onChange={onChange} />;
    case 'shutdown':
      return <Shutdown action={action} onChange={onChange} />;
    case 'upgrade':
      return <Upgrade action={action} onChange={onChange} />;
    case 'apply-config':
      return <ApplyConfig action={action} onChange={onChange} />;
    case 'service':
      return <Service action={action} onChange={onChange} />;
  }
}
