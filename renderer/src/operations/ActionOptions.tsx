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

/** The apply mode and, for try, how long until the node reverts (`--mode`, `--timeout`). */
function ApplyMode({ action, onChange }: Props<'apply-config' | 'patch-config'>) {
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
    </>
  );
}

function ApplyConfig({ action, onChange }: Props<'apply-config'>) {
  return (
    <>
      <ApplyMode action={action} onChange={onChange} />
      <p className="muted">The config edited in the Config view ({new Blob([action.yaml]).size} bytes) goes to every target.</p>
    </>
  );
}

function PatchConfig({ action, onChange }: Props<'patch-config'>) {
  return (
    <>
      <ApplyMode action={action} onChange={onChange} />
      <label className="option block">
        Patch{' '}
        <textarea
          aria-label="Patch"
          className="wide-input mono"
          rows={Math.min(16, Math.max(4, action.patch.split('\n').length + 1))}
          spellCheck={false}
          value={action.patch}
          onChange={(e) => onChange({ ...action, patch: e.target.value })}
        />
      </label>
      <p className="muted">
        Each target&apos;s own config is read and patched, then applied whole. A list of operations is a JSON Patch (RFC 6902; Talos takes
        it only for a single-document config); YAML like the config is a strategic merge patch, one document per config document, with{' '}
        <code>$patch: delete</code> to remove a key or a document.
      </p>
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

function Reset({ action, onChange }: Props<'reset'>) {
  const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  return (
    <>
      <Check
        label="Graceful"
        hint="leave etcd and stop pods cleanly first (off: for a node that cannot)"
        checked={action.graceful}
        onChange={(graceful) => onChange({ ...action, graceful })}
      />
      <Check
        label="Reboot afterwards"
        hint="off: the node powers off once wiped"
        checked={action.reboot}
        onChange={(reboot) => onChange({ ...action, reboot })}
      />
      <label className="option">
        Wipe mode{' '}
        <select
          aria-label="Wipe mode"
          value={action.mode}
          onChange={(e) => onChange({ ...action, mode: e.target.value as typeof action.mode })}
        >
          <option value="all">all (system disk and the user disks named)</option>
          <option value="system-disk">system-disk (only the system disk)</option>
          <option value="user-disks">user-disks (only the user disks named)</option>
        </select>
      </label>
      {action.mode !== 'user-disks' && (
        <label className="option">
          System volumes to wipe{' '}
          <input
            aria-label="System volumes to wipe"
            placeholder="all of it; or e.g. EPHEMERAL,STATE"
            value={action.systemLabels.join(',')}
            onChange={(e) => onChange({ ...action, systemLabels: list(e.target.value) })}
          />
        </label>
      )}
      {action.mode !== 'system-disk' && (
        <label className="option">
          User disks to wipe{' '}
          <input
            aria-label="User disks to wipe"
            placeholder="e.g. /dev/vdb"
            value={action.userDisks.join(',')}
            onChange={(e) => onChange({ ...action, userDisks: list(e.target.value) })}
          />
        </label>
      )}
    </>
  );
}

function MemberId({ action, onChange }: Props<'etcd-remove-member'>) {
  return (
    <label className="option">
      Member ID{' '}
      <input
        aria-label="etcd member ID"
        placeholder="hex, as talosctl etcd members prints it"
        value={action.memberId}
        onChange={(e) => onChange({ ...action, memberId: e.target.value.trim() })}
      />
      <span className="muted"> — for a member whose node is gone; a node that still runs should use etcd leave</span>
    </label>
  );
}

function ImagePull({ action, onChange }: Props<'image-pull'>) {
  return (
    <>
      <label className="option">
        Image{' '}
        <input
          aria-label="Image reference"
          className="wide-input"
          value={action.image}
          onChange={(e) => onChange({ ...action, image: e.target.value })}
        />
      </label>
      <label className="option">
        Store{' '}
        <select
          aria-label="Image store"
          value={action.store}
          onChange={(e) => onChange({ ...action, store: e.target.value as typeof action.store })}
        >
          <option value="cri">cri (Kubernetes pods)</option>
          <option value="system">system (kubelet, etcd, upgrades)</option>
          <option value="inmem">inmem (Talos' own)</option>
        </select>
      </label>
    </>
  );
}

const EXPLAIN: Partial<Record<OperationAction['kind'], string>> = {
  'etcd-defrag':
    'Defragmenting rewrites the member’s database to give back free space (after compaction, or for a NOSPACE alarm). It blocks that member while it runs, so members go one at a time.',
  'etcd-alarm-disarm':
    'Clears every alarm of the etcd cluster (one control plane is enough). Defragment first when the alarm is NOSPACE, or it comes back.',
  'etcd-forfeit-leadership': 'Moves the etcd leadership to another member, e.g. before maintenance on the leader.',
  'etcd-leave':
    'The node’s member leaves the etcd cluster, etcd stops there and its data is emptied. The quorum guard checks the members that remain.',
  rollback: 'Each node boots its previous Talos installation and reboots. Talos keeps one previous installation.',
  bootstrap:
    'Starts etcd on one control plane of a fresh cluster (talosctl bootstrap). Only a cluster that was never bootstrapped accepts it.',
};

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
    case 'patch-config':
      return <PatchConfig action={action} onChange={onChange} />;
    case 'service':
      return <Service action={action} onChange={onChange} />;
    case 'reset':
      return <Reset action={action} onChange={onChange} />;
    case 'etcd-remove-member':
      return <MemberId action={action} onChange={onChange} />;
    case 'image-pull':
      return <ImagePull action={action} onChange={onChange} />;
    default:
      return <p className="muted">{EXPLAIN[action.kind]}</p>;
  }
}
