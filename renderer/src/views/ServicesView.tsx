import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { ServiceAction, TalosService } from '../../../shared/domain/talos';
import { roleBlockReason, SERVICE_ACTION_METHOD, serviceActionBlock } from '../../../shared/talos-rbac';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { ago } from '../lib/time';
import { useNodeStream } from '../lib/use-node-stream';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';

interface Row extends TalosService {
  node: string;
}

const ACTIONS: ServiceAction[] = ['start', 'stop', 'restart'];

export function ServicesView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [results, setResults] = useState<PerNode<TalosService[]>[]>([]);
  const [filter, setFilter] = useState('');
  const [expanded, setExpanded] = useState<string | null>(null);
  const [pending, setPending] = useState<{ service: string; action: ServiceAction; nodes: string[] } | null>(null);
  const [outcome, setOutcome] = useState<PerNode<{ message: string }>[] | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    if (!identity || nodes.length === 0) return;
    setLoading(true);
    try {
      setResults(await call('talos.services', { identityId: identity.id, nodes }));
    } catch (error) {
      useUi.getState().notify('error', errorText(error));
    } finally {
      setLoading(false);
    }
  }, [identity, nodes]);

  useEffect(() => {
    void load();
  }, [load]);

  // The table follows the Events stream: every ServiceStateEvent updates its row.
  useNodeStream(identity && nodes.length ? { identityId: identity.id, nodes, kind: 'events', tail: 0 } : null, {
    'stream.events': (batch) =>
      setResults((current) =>
        current.map((r) => {
          if (r.node !== batch.node || !r.ok) return r;
          let services = r.value;
          for (const event of batch.events) {
            if (event.type !== 'ServiceStateEvent') continue;
            const data = event.data as { service: string; state: string; message: string; healthy: boolean };
            const now = new Date().toISOString();
            services = services.map((s) =>
              s.id === data.service
                ? {
                    ...s,
                    state: data.state,
                    lastEvent: data.message,
                    lastChange: now,
                    health: data.state === 'Running' ? (data.healthy ? 'ok' : s.health) : 'unknown',
                    events: [...s.events, { msg: data.message, state: data.state, ts: now }],
                  }
                : s,
            );
          }
          return { ...r, value: services };
        }),
      ),
  });

  const rows = useMemo(() => {
    const all: Row[] = results.flatMap((r) => (r.ok ? r.value.map((s) => ({ ...s, node: r.node })) : []));
    const q = filter.toLowerCase();
    return q ? all.filter((r) => `${r.id} ${r.node} ${r.state} ${r.lastEvent}`.toLowerCase().includes(q)) : all;
  }, [results, filter]);

  if (!identity) return null;
  const target = { context: identity.name, nodes };

  const run = async () => {
    if (!pending) return;
    const request = { identityId: identity.id, nodes: pending.nodes, service: pending.service, action: pending.action };
    setPending(null);
    setOutcome(null);
    try {
      setOutcome(await call('talos.serviceAction', request));
    } catch (error) {
      useUi.getState().notify('error', errorText(error));
    }
  };

  return (
    <div>
      <div className="toolbar">
        <input
          data-filter
          aria-label="Filter services"
          placeholder="Filter (/)"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button onClick={() => void load()} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
        <span className="muted">
          {rows.length} services on {nodes.length} node(s)
        </span>
      </div>
      <TeachLine command={talosctl.services(target)} method="/machine.MachineService/ServiceList" />
      {roleBlockReason(SERVICE_ACTION_METHOD.restart, identity.roles) && (
        <p className="reason" aria-label="Why actions are disabled">
          Service actions: {roleBlockReason(SERVICE_ACTION_METHOD.restart, identity.roles)}.
        </p>
      )}
      <p className="reason">
        Talos lets the API start and restart kubelet, and start, stop and restart extension services (ext-*); other services cannot be
        controlled through the API.
      </p>
      <NodeErrors results={results} />
      {outcome && (
        <div className="card" role="status" aria-label="Action result">
          {outcome.map((o) => (
            <div key={o.node}>
              <strong>{o.node}</strong>:{' '}
              {o.ok ? <span className="ok-text">{o.value.message}</span> : <span className="error-text">{o.error.message}</span>}
            </div>
          ))}
        </div>
      )}
      <table className="grid" aria-label="Services">
        <thead>
          <tr>
            <th>Node</th>
            <th>Service</th>
            <th>State</th>
            <th>Health</th>
            <th>Last change</th>
            <th>Last event</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = `${row.node}/${row.id}`;
            return (
              <Fragment key={key}>
                <tr data-row={key} className={expanded === key ? 'expanded' : ''}>
                  <td>{row.node}</td>
                  <td>
                    <button className="link" aria-expanded={expanded === key} onClick={() => setExpanded(expanded === key ? null : key)}>
                      {row.id}
                    </button>
                  </td>
                  <td className={`state-${row.state}`} data-state>
                    {row.state}
                  </td>
                  <td className={`health-${row.health}`}>{row.health === 'ok' ? 'OK' : row.health === 'fail' ? 'Fail' : '?'}</td>
                  <td>{row.lastChange ? ago(row.lastChange) : ''}</td>
                  <td>{row.lastEvent}</td>
                  <td className="actions">
                    {ACTIONS.map((action) => {
                      const reason = serviceActionBlock(row.id, action, identity.roles);
                      return (
                        <button
                          key={action}
                          className="link"
                          disabled={reason !== null}
                          title={reason ?? `${action} ${row.id} on ${row.node}`}
                          aria-label={`${action} ${row.id} on ${row.node}`}
                          data-reason={reason ?? ''}
                          onClick={() => setPending({ service: row.id, action, nodes: [row.node] })}
                        >
                          {action}
                        </button>
                      );
                    })}
                  </td>
                </tr>
                {expanded === key && (
                  <tr className="expanded">
                    <td colSpan={7}>
                      <TeachLine
                        command={talosctl.service({ context: identity.name, nodes: [row.node] }, row.id)}
                        method="/machine.MachineService/ServiceList"
                      />
                      {(['start', 'stop', 'restart'] as const).map((a) => {
                        const reason = serviceActionBlock(row.id, a, identity.roles);
                        return reason ? (
                          <div key={a} className="reason">
                            {a}: {reason}
                          </div>
                        ) : null;
                      })}
                      <ol className="mono" reversed>
                        {[...row.events].reverse().map((e, i) => (
                          <li key={i}>
                            [{e.state}]: {e.msg} {e.ts ? `(${ago(e.ts)})` : ''}
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {pending && (
        <ConfirmDialog
          title={`${pending.action[0]!.toUpperCase()}${pending.action.slice(1)} ${pending.service}?`}
          confirmLabel={`${pending.action[0]!.toUpperCase()}${pending.action.slice(1)} on ${pending.nodes.length} node(s)`}
          danger={pending.action !== 'start'}
          body={
            <>
              <p>
                This will {pending.action} <strong>{pending.service}</strong> on <strong>{pending.nodes.join(', ')}</strong> as{' '}
                {identity.name}.
              </p>
              <TeachLine
                command={talosctl.serviceAction({ context: identity.name, nodes: pending.nodes }, pending.service, pending.action)}
                method={`/machine.MachineService/Service${pending.action[0]!.toUpperCase()}${pending.action.slice(1)}`}
              />
            </>
          }
          onConfirm={() => void run()}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
