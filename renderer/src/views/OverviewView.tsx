import { useEffect, useMemo, useRef, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { NodeOverview } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { ClusterTools } from '../day-two/ClusterTools';
import { LifecycleActions } from '../components/LifecycleActions';
import { Drawer, WithDrawer } from '../components/Drawer';
import { NodeErrors } from '../components/NodeErrors';
import { LoadingState } from '../components/States';
import { TeachLine } from '../components/TeachLine';
import { useNow } from '../lib/use-now';
import { FilterBox } from '../components/FilterBox';
import { FleetTable, matchesFleetFilter } from './overview/FleetTable';
import { NodeCard, NodeFacts, OVERVIEW_HISTORY, OVERVIEW_REFRESH_MS, type Series } from './overview/NodeCard';
import { fleetRow, healthSummary } from './overview/node-health';
import { plural } from '../lib/format';
import { useEvidence } from '../evidence/evidence-store';
import { useUi } from '../stores/ui-store';
import { useActiveIdentity, useSession } from '../stores/session-store';
import { HealthPanel } from '../health/HealthPanel';

const REFRESH_MS = OVERVIEW_REFRESH_MS;
const HISTORY = OVERVIEW_HISTORY;

/** Above this many nodes the Overview is a table (one row per node) rather than cards. */
export const FLEET_FROM = 5;

export function OverviewView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [results, setResults] = useState<PerNode<NodeOverview>[]>([]);
  const [error, setError] = useState<string | null>(null);
  const known = useSession((s) => s.nodes);
  const series = useRef(new Map<string, Series>());
  const layout = useUi((s) => s.overviewLayout);
  const setLayout = useUi((s) => s.setOverviewLayout);
  const [openNode, setOpenNode] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const now = useNow();

  useEffect(() => {
    if (!identity || nodes.length === 0) return;
    let stopped = false;
    series.current.clear();
    const tick = async () => {
      try {
        const next = await call('talos.overview', { identityId: identity.id, nodes });
        if (stopped) return;
        for (const r of next) {
          if (!r.ok) continue;
          const s = series.current.get(r.node) ?? { cpu: [], mem: [], load: [], last: null };
          const { cpuSeconds, memory, load } = r.value;
          if (cpuSeconds) {
            const { busy, total } = cpuSeconds;
            const cpu = s.last && total > s.last.total ? ((busy - s.last.busy) / (total - s.last.total)) * 100 : 0;
            s.last = { busy, total };
            s.cpu = [...s.cpu, cpu].slice(-HISTORY);
          }
          if (memory) s.mem = [...s.mem, (memory.usedMb / Math.max(1, memory.totalMb)) * 100].slice(-HISTORY);
          if (load) s.load = [...s.load, load.load1].slice(-HISTORY);
          series.current.set(r.node, s);
        }
        setResults(next);
        setError(null);
      } catch (e) {
        if (!stopped) setError(errorText(e));
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [identity, nodes]);

  const rows = useMemo(
    () =>
      results.map((r) =>
        fleetRow(
          r,
          known.find((n) => n.address === r.node),
          series.current.get(r.node)?.cpu.at(-1) ?? null,
          now / 1000,
        ),
      ),
    [results, known, now],
  );

  if (!identity) return null;
  const shown = filter ? rows.filter((r) => matchesFleetFilter(r, filter.toLowerCase())) : rows;
  const table = layout === 'table' || (layout === 'auto' && results.length >= FLEET_FROM);
  const opened = table ? results.find((r) => r.node === openNode) : undefined;
  const summary = healthSummary(rows);

  return (
    <div>
      <HealthPanel identity={identity} nodes={nodes} />
      <div className="toolbar overview-head">
        <p role="status" aria-label="Health summary" className={summary.healthy ? 'ok-text' : 'warn-text'}>
          {results.length ? summary.text : ''}
        </p>
        <span className="spacer" />
        {results.length > 1 && (
          <>
            <FilterBox label="Filter nodes" placeholder="Filter nodes (/)" value={filter} onChange={setFilter} />
            <span className="muted">{filter ? `${shown.length} of ${plural(rows.length, 'node')}` : plural(rows.length, 'node')}</span>
          </>
        )}
        <button
          title="Collect SOC 2 / ISO 27001 evidence for the whole cluster: a signed pack with report, SBOMs and change history"
          onClick={() => (useUi.getState().setView('evidence'), void useEvidence.getState().generate(null))}
        >
          Evidence pack
        </button>
        <span role="group" aria-label="Layout" className="segmented">
          <button aria-pressed={table} onClick={() => setLayout('table')}>
            Table
          </button>
          <button aria-pressed={!table} onClick={() => setLayout('cards')}>
            Cards
          </button>
        </span>
      </div>
      <TeachLine
        command={talosctl.dashboard({ context: identity.name, nodes })}
        method="/machine.MachineService/{Version,Memory,LoadAvg,SystemStat,ServiceList} + COSI Get"
      />
      {error && <p className="error-text">{error}</p>}
      {results.length === 0 && !error && <LoadingState what={`the status of ${plural(nodes.length, 'node')}`} />}
      {table ? (
        <WithDrawer
          drawer={
            opened && (
              <Drawer
                title={opened.ok ? `${opened.value.hostname ?? ''} ${opened.node}`.trim() : opened.node}
                onClose={() => setOpenNode(null)}
              >
                {opened.ok ? (
                  <NodeFacts node={opened.node} o={opened.value} series={series.current.get(opened.node)} now={now} />
                ) : (
                  <NodeErrors results={[opened]} />
                )}
              </Drawer>
            )
          }
        >
          <FleetTable rows={rows} filter={filter} openNode={openNode} onOpen={(n) => setOpenNode(n === openNode ? null : n)} />
        </WithDrawer>
      ) : (
        <>
          <NodeErrors results={results} />
          <div className="cards">
            {results.map((r) =>
              r.ok && shown.some((s) => s.node === r.node) ? (
                <NodeCard key={r.node} node={r.node} o={r.value} series={series.current.get(r.node)} />
              ) : null,
            )}
          </div>
        </>
      )}
      {/* The nodes' state comes first; what the operator can do to them follows. */}
      <LifecycleActions />
      <ClusterTools />
    </div>
  );
}
