import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { ServiceAction, TalosService } from '../../../shared/domain/talos';
import { SERVICE_ACTION_METHOD } from '../../../shared/talos-rbac';
import { actionBlock, serviceBlock } from '../lib/action-gate';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { Drawer, WithDrawer } from '../components/Drawer';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { Visible, visibleText } from '../components/Visible';
import { Ago } from '../components/Values';
import { plural } from '../lib/format';
import { useNodeStream } from '../lib/use-node-stream';
import { useOperations } from '../operations/operation-store';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { HEALTH_LEGEND, healthExplanation, restartCounts } from './service-health';

interface Row extends TalosService {
  node: string;
}

const ACTIONS: ServiceAction[] = ['start', 'stop', 'restart'];

export function ServicesView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [results, setResults] = useState<PerNode<TalosService[]>[]>([]);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [answered, setAnswered] = useState(false);

  const load = useCallback(async () => {
    if (!identity || nodes.length === 0) return;
    setLoading(true);
    try {
      setResults(await call('talos.services', { identityId: identity.id, nodes }));
    } catch (error) {
      useUi.getState().notify('error', errorText(error));
    } finally {
      setAnswered(true);
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
          if (r.node !== batch.key || !r.ok) return r;
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

  const rows = useMemo(() => results.flatMap((r) => (r.ok ? r.value.map((s): Row => ({ ...s, node: r.node })) : [])), [results]);
  const columns = useMemo((): Column<Row>[] => {
    const actions = (row: Row) =>
      ACTIONS.map((action) => {
        const reason = identity ? serviceBlock(identity, row.id, action) : 'no identity';
        return (
          <button
            key={action}
            className="link"
            disabled={reason !== null}
            title={reason ?? `${action} ${row.id} on ${row.node}`}
            aria-label={`${action} ${row.id} on ${row.node}`}
            data-reason={reason ?? ''}
            onClick={(e) => {
              e.stopPropagation();
              useOperations.getState().openPlan({ action: { kind: 'service', service: row.id, action }, nodes: [row.node] });
            }}
          >
            {action}
          </button>
        );
      });
    return [
      { key: 'node', label: 'Node', value: (r) => r.node },
      { key: 'service', label: 'Service', value: (r) => r.id },
      {
        key: 'state',
        label: 'State',
        value: (r) => r.state,
        render: (r) => (
          <span className={`state-${r.state}`} data-state>
            {r.state}
          </span>
        ),
      },
      {
        key: 'health',
        label: 'Health',
        value: (r) => r.health,
        render: (r) => (
          <span className={`health-${r.health}`} title={healthExplanation(r)} aria-label={healthExplanation(r)} data-health={r.health}>
            {r.health === 'ok' ? 'OK' : r.health === 'fail' ? 'Fail' : '?'}
          </span>
        ),
      },
      {
        key: 'restarts',
        label: 'Restarts (1 h)',
        value: (r) => restartCounts(r, Date.now()).hour,
        render: (r) => {
          const n = restartCounts(r, Date.now());
          return (
            <span
              className={n.hour >= 3 ? 'warn-text' : n.hour ? '' : 'muted'}
              data-restarts={n.hour}
              title={`${plural(n.hour, 'restart')} in the last hour, ${plural(n.history, 'restart')} in the event history Talos keeps (its last 64 events), counted from the service's state changes`}
            >
              {n.hour}
            </span>
          );
        },
        align: 'right',
      },
      {
        key: 'change',
        label: 'Last change',
        value: (r) => (r.lastChange ? Date.parse(r.lastChange) : 0),
        render: (r) =>
          r.lastChange ? (
            <span title={`${r.state} since ${new Date(r.lastChange).toLocaleString()}`} data-last-change={r.lastChange}>
              <Ago at={r.lastChange} />
            </span>
          ) : (
            <span className="muted" title="Talos reported no time for this service's last state change">
              unknown
            </span>
          ),
        align: 'right',
      },
      { key: 'event', label: 'Last event', value: (r) => r.lastEvent, wide: true },
      { key: 'actions', label: 'Actions', value: () => '', render: (r) => <span className="actions">{actions(r)}</span> },
    ];
  }, [identity]);

  if (!identity) return null;
  const target = { context: identity.name, nodes };
  const open = rows.find((r) => `${r.node}/${r.id}` === expanded) ?? null;

  return (
    <div>
      <TeachLine command={talosctl.services(target)} method="/machine.MachineService/ServiceList" />
      {actionBlock(identity, SERVICE_ACTION_METHOD.restart) && (
        <p className="reason" role="note" aria-label="Why actions are disabled">
          Service actions: {actionBlock(identity, SERVICE_ACTION_METHOD.restart)}.
        </p>
      )}
      <p className="reason">
        Talos lets the API start and restart kubelet, and start, stop and restart extension services (ext-*); other services cannot be
        controlled through the API.
      </p>
      <NodeErrors results={results} />
      <WithDrawer
        drawer={
          open && (
            <Drawer title={`${visibleText(open.id)} on ${open.node}`} onClose={() => setExpanded(null)}>
              <TeachLine
                command={talosctl.service({ context: identity.name, nodes: [open.node] }, open.id)}
                method="/machine.MachineService/ServiceList"
              />
              {ACTIONS.map((a) => {
                const reason = serviceBlock(identity, open.id, a);
                return reason ? (
                  <div key={a} className="reason">
                    {a}: {reason}
                  </div>
                ) : null;
              })}
              <p aria-label="Health explained">{healthExplanation(open)}</p>
              <p aria-label="Restarts">
                {(() => {
                  const n = restartCounts(open, Date.now());
                  return `${plural(n.hour, 'restart')} in the last hour; ${plural(n.history, 'restart')} in the ${plural(open.events.length, 'event')} Talos keeps.`;
                })()}
                {open.lastChange && (
                  <>
                    {' '}
                    {open.state} since <Ago at={open.lastChange} />.
                  </>
                )}
              </p>
              <h4>Events, newest first</h4>
              <ol className="mono event-history" reversed>
                {[...open.events].reverse().map((e, i) => (
                  <li key={i}>
                    [<Visible text={e.state} />
                    ]: <Visible text={e.msg} /> {e.ts && <Ago at={e.ts} />}
                  </li>
                ))}
              </ol>
            </Drawer>
          )
        }
      >
        <DataTable
          label="Services"
          rows={rows}
          columns={columns}
          rowKey={(r) => `${r.node}/${r.id}`}
          noun={['service', 'services']}
          loading={!answered}
          onOpen={(r) => setExpanded(`${r.node}/${r.id}`)}
          openKey={expanded}
          tools={
            <>
              <button onClick={() => void load()} disabled={loading}>
                {loading ? 'Loading…' : 'Refresh'}
              </button>
              <span className="muted">on {plural(nodes.length, 'node')}</span>
            </>
          }
        />
      </WithDrawer>
      <p className="muted legend" aria-label="Health legend">
        {HEALTH_LEGEND}
      </p>
    </div>
  );
}
