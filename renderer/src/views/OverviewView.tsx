import { useEffect, useRef, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { NodeOverview } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { LifecycleActions } from '../components/LifecycleActions';
import { NodeErrors } from '../components/NodeErrors';
import { Sparkline } from '../components/Sparkline';
import { TeachLine } from '../components/TeachLine';
import { duration } from '../lib/time';
import { plural } from '../lib/format';
import { useActiveIdentity, useSession } from '../stores/session-store';

const REFRESH_MS = 3000;
const HISTORY = 40;

interface Series {
  cpu: number[];
  mem: number[];
  load: number[];
  last: { busy: number; total: number } | null;
}

export function OverviewView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [results, setResults] = useState<PerNode<NodeOverview>[]>([]);
  const [error, setError] = useState<string | null>(null);
  const series = useRef(new Map<string, Series>());

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
          const { busy, total } = r.value.cpuSeconds;
          const cpu = s.last && total > s.last.total ? ((busy - s.last.busy) / (total - s.last.total)) * 100 : 0;
          s.last = { busy, total };
          s.cpu = [...s.cpu, cpu].slice(-HISTORY);
          s.mem = [...s.mem, (r.value.memory.usedMb / Math.max(1, r.value.memory.totalMb)) * 100].slice(-HISTORY);
          s.load = [...s.load, r.value.load.load1].slice(-HISTORY);
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

  if (!identity) return null;
  const failing = results.flatMap((r) =>
    r.ok && r.value.failingServices.length ? [`${plural(r.value.failingServices.length, 'service')} failing on ${r.node}`] : [],
  );
  const unreachable = results.filter((r) => !r.ok).length;

  return (
    <div>
      <p aria-label="Health summary" className={failing.length || unreachable ? 'warn-text' : 'ok-text'}>
        {failing.length || unreachable
          ? [...failing, ...(unreachable ? [`${plural(unreachable, 'node')} not answering`] : [])].join('; ')
          : results.length === 1
            ? 'The node is healthy'
            : `All ${results.length} nodes healthy`}
      </p>
      <TeachLine
        command={talosctl.dashboard({ context: identity.name, nodes })}
        method="/machine.MachineService/{Version,Memory,LoadAvg,SystemStat,ServiceList} + COSI Get"
      />
      <LifecycleActions />
      {error && <p className="error-text">{error}</p>}
      <NodeErrors results={results} />
      <div className="cards">
        {results.map((r) => {
          if (!r.ok) return null;
          const o = r.value;
          const s = series.current.get(r.node);
          const uptime = Date.now() / 1000 - o.bootTime;
          return (
            <section key={r.node} className="card" aria-label={`Node ${r.node}`} data-node={r.node}>
              <h3>
                {o.hostname} <span className="muted">{r.node}</span>
              </h3>
              <dl className="kv">
                <dt>Talos</dt>
                <dd>{o.version.tag}</dd>
                <dt>Platform</dt>
                <dd>
                  {o.version.platform} ({o.version.platformMode})
                </dd>
                <dt>Machine type</dt>
                <dd>{o.machineType}</dd>
                <dt>Stage</dt>
                <dd>
                  {o.status ? `${o.status.stage}, ${o.status.ready ? 'ready' : 'not ready'}` : 'unknown'}
                  {o.status?.unmetConditions.map((c) => (
                    <div key={c.name} className="warn-text">
                      {c.name}: {c.reason}
                    </div>
                  ))}
                </dd>
                <dt>Uptime</dt>
                <dd>{duration(uptime)}</dd>
                <dt>CPU</dt>
                <dd>
                  {(s?.cpu.at(-1) ?? 0).toFixed(0)}% <Sparkline values={s?.cpu ?? []} max={100} label="CPU use" />
                </dd>
                <dt>Memory</dt>
                <dd>
                  {o.memory.usedMb} / {o.memory.totalMb} MB <Sparkline values={s?.mem ?? []} max={100} label="Memory use" />
                </dd>
                <dt>Load</dt>
                <dd>
                  {o.load.load1} {o.load.load5} {o.load.load15} <Sparkline values={s?.load ?? []} label="Load average" />
                </dd>
                <dt>Security</dt>
                <dd>
                  {o.security
                    ? `SecureBoot ${o.security.secureBoot ? 'on' : 'off'} · SELinux ${o.security.selinuxState} · FIPS ${o.security.fipsState}`
                    : 'unknown'}
                </dd>
                <dt>Addresses</dt>
                <dd>{o.addresses.join(', ')}</dd>
                <dt>Services</dt>
                <dd className={o.failingServices.length ? 'error-text' : 'ok-text'}>
                  {o.failingServices.length ? `failing: ${o.failingServices.join(', ')}` : 'all running'}
                </dd>
              </dl>
            </section>
          );
        })}
      </div>
    </div>
  );
}
