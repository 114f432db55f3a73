import { useRef } from 'react';
import type { IdentitySummary } from '../../../shared/domain/identity';
import { useActiveIdentity } from '../stores/session-store';
import { IdentityMark } from './IdentityMark';
import { Modal } from './Modal';

type Acting = Pick<IdentitySummary, 'name' | 'label' | 'colour' | 'readOnly'>;

/**
 * Asks before anything that changes a node or shows a secret; Cancel has the focus, Escape cancels.
 * Every confirmation names the identity that will act, with its production mark (a red "prod" cannot be missed):
 * the active identity unless the dialog is about another one (`identity`), or none (`identity={null}`).
 */
export function ConfirmDialog(props: {
  title: string;
  body: React.ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  danger?: boolean;
  identity?: Acting | null;
  confirmDisabled?: boolean;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  const active = useActiveIdentity();
  const who = props.identity === undefined ? active : props.identity;
  return (
    <Modal
      label={props.title}
      role="alertdialog"
      onClose={props.onCancel}
      initialFocus={cancel}
      className={who?.colour ? `dialog dialog-marked mark-edge-${who.colour}` : 'dialog'}
    >
      {who && (
        <div className="dialog-identity" data-testid="dialog-identity">
          <span className="muted">As</span> <IdentityMark identity={who} withName />
        </div>
      )}
      <h2>{props.title}</h2>
      <div>{props.body}</div>
      <div className="actions">
        <button ref={cancel} onClick={props.onCancel}>
          Cancel
        </button>
        <button className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} disabled={props.confirmDisabled}>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
