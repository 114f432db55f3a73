import { useEffect, useState } from 'react';
import type { SiemStatus } from '../../../shared/domain/siem';
import { getApi } from '../api';
import { call, errorText } from '../api/call';

const STATE_TEXT: Record<SiemStatus['state'], string> = {
  off: 'off',
  connecting: 'connecting…',
  connected: 'connected',
  waiting: 'collector unreachable, retrying',
  error: 'error',
};

/** Audit screen: where the trail is forwarded (syslog over TLS), whether it gets there, and what waits. */
export function SiemPanel() {
  const [status, setStatus] = useState<SiemStatus | null>(null);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ host: '', port: '6514', caPem: '', clientCertPem: '', clientKeyPem: '' });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call('siem.status', {}).then(setStatus, (e: unknown) => setError(errorText(e)));
    return getApi().on('siem.changed', setStatus);
  }, []);

  const save = async (enabled: boolean) => {
    setError(null);
    try {
      const next = await call('siem.configure', {
        enabled,
        host: form.host || status?.host || '',
        port: Number(form.port) || status?.port || 6514,
        caPem: form.caPem,
        clientCertPem: form.clientCertPem || null,
        clientKeyPem: form.clientKeyPem || null,
      });
      setStatus(next);
      setEditing(false);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const bad = status && (status.state === 'waiting' || status.state === 'error');
  return (
    <section className={bad ? 'node-error' : 'card'} aria-label="SIEM forwarding">
      <strong>SIEM forwarding</strong>{' '}
      {status?.configured ? (
        <span role="status" aria-label="Forwarding state">
          syslog (RFC 5424 over TLS) to {status.host}:{status.port} · {status.enabled ? STATE_TEXT[status.state] : 'paused'} · backlog{' '}
          <b>{status.backlog}</b> {status.backlog === 1 ? 'entry' : 'entries'}
          {status.lastSentSeq !== null && ` · last delivered #${status.lastSentSeq}`}
        </span>
      ) : (
        <span className="muted">not configured: the trail stays on this computer only.</span>
      )}{' '}
      <button className="link" onClick={() => setEditing(!editing)}>
        {editing ? 'Cancel' : status?.configured ? 'Change…' : 'Configure…'}
      </button>
      {status?.lastError && <div className="warn-text">{status.lastError}</div>}
      {error && <div className="error-text">{error}</div>}
      {editing && (
        <div className="siem-form">
          <label>
            Collector host{' '}
            <input aria-label="Collector host" value={form.host} onChange={(e) => setForm({ ...form, host: e.target.value })} />
          </label>
          <label>
            Port{' '}
            <input
              aria-label="Collector port"
              inputMode="numeric"
              value={form.port}
              onChange={(e) => setForm({ ...form, port: e.target.value })}
            />
          </label>
          <label>
            CA certificate (PEM)
            <textarea aria-label="Collector CA" rows={3} value={form.caPem} onChange={(e) => setForm({ ...form, caPem: e.target.value })} />
          </label>
          <label>
            Client certificate (PEM, optional)
            <textarea
              aria-label="Client certificate"
              rows={2}
              value={form.clientCertPem}
              onChange={(e) => setForm({ ...form, clientCertPem: e.target.value })}
            />
          </label>
          <label>
            Client key (PEM, kept sealed in the vault)
            <textarea
              aria-label="Client key"
              rows={2}
              value={form.clientKeyPem}
              onChange={(e) => setForm({ ...form, clientKeyPem: e.target.value })}
            />
          </label>
          <div>
            <button className="primary" onClick={() => void save(true)}>
              Forward the trail
            </button>{' '}
            {status?.configured && <button onClick={() => void save(false)}>Pause forwarding</button>}
          </div>
        </div>
      )}
    </section>
  );
}
