import { useEffect, useRef, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { NodeOverview } from '../../../shared/domain/talos';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { LifecycleActions } from '../components/LifecycleActions';
import { CallFailures } from '../components/CallFailures';
import { NodeErrors } from '../components/NodeErrors';
import { Sparkline } from '../components/Sparkline';
import { TeachLine } from '../components/TeachLine';
import { duration } from '../lib/time';
import { plural } from '../lib/format';
import { isUnreachable } from '../lib/unreachable';
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

  if (!identity) return null;
  const summary = healthSummary(results);

  return (
    <div>
      <p aria-label="Health summary" className={summary.healthy ? 'ok-text' : 'warn-text'}>
        {summary.text}
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
          return (
            <section key={r.node} className="card" aria-label={`Node ${r.node}`} data-node={r.node}>
              <h3>
                {o.hostname ?? <span className="muted">hostname unknown</span>} <span className="muted">{r.node}</span>
              </h3>
              <dl className="kv">
                <dt>Talos</dt>
                <dd>{o.version ? o.version.tag : UNKNOWN}</dd>
                <dt>Platform</dt>
                <dd>{o.version ? `${o.version.platform} (${o.version.platformMode})` : UNKNOWN}</dd>
                <dt>Machine type</dt>
                <dd>{o.machineType ?? UNKNOWN}</dd>
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
                <dd>{o.bootTime !== null ? duration(Date.now() / 1000 - o.bootTime) : UNKNOWN}</dd>
                <dt>CPU</dt>
                <dd>
                  {o.cpuSeconds ? (
                    <>
                      {(s?.cpu.at(-1) ?? 0).toFixed(0)}% <Sparkline values={s?.cpu ?? []} max={100} label="CPU use" />
                    </>
                  ) : (
                    UNKNOWN
                  )}
                </dd>
                <dt>Memory</dt>
                <dd>
                  {o.memory ? (
                    <>
                      {o.memory.usedMb} / {o.memory.totalMb} MB <Sparkline values={s?.mem ?? []} max={100} label="Memory use" />
                    </>
                  ) : (
                    UNKNOWN
                  )}
                </dd>
                <dt>Load</dt>
                <dd>
                  {o.load ? (
                    <>
                      {o.load.load1} {o.load.load5} {o.load.load15} <Sparkline values={s?.load ?? []} label="Load average" />
                    </>
                  ) : (
                    UNKNOWN
                  )}
                </dd>
                <dt>Security</dt>
                <dd>
                  {o.security
                    ? `SecureBoot ${o.security.secureBoot ? 'on' : 'off'} · SELinux ${o.security.selinuxState} · FIPS ${o.security.fipsState}`
                    : 'unknown'}
                </dd>
                <dt>Addresses</dt>
                <dd>{o.addresses ? o.addresses.join(', ') : UNKNOWN}</dd>
                <dt>Services</dt>
                {o.failingServices ? (
                  <dd className={o.failingServices.length ? 'error-text' : 'ok-text'}>
                    {o.failingServices.length ? `failing: ${o.failingServices.join(', ')}` : 'all running'}
                  </dd>
                ) : (
                  <dd>{UNKNOWN}</dd>
                )}
              </dl>
              <CallFailures node={r.node} failures={o.failures} />
            </section>
          );
        })}
      </div>
    </div>
  );
}

const UNKNOWN = <span className="muted">unknown</span>;

/**
 * One line over all nodes. "Healthy" only when every node sent its service list and none is failing;
 * "not answering" only for nodes that could not be reached; other failures are named as such.
 */
function healthSummary(results: PerNode<NodeOverview>[]): { healthy: boolean; text: string } {
  const parts: string[] = [];
  for (const r of results)
    if (r.ok && r.value.failingServices?.length) parts.push(`${r.value.failingServices.length} service(s) failing on ${r.node}`);
  const unreachable = results.filter((r) => !r.ok && isUnreachable(r.error.code)).length;
  const refused = results.filter((r) => !r.ok && !isUnreachable(r.error.code)).length;
  const unknown = results.filter((r) => r.ok && r.value.failingServices === null).map((r) => r.node);
  if (unreachable) parts.push(`${plural(unreachable, 'node')} not answering`);
  if (refused) parts.push(`${plural(refused, 'node')} answered with an error`);
  if (unknown.length) parts.push(`service health unknown on ${unknown.join(', ')}`);
  if (parts.length) return { healthy: false, text: parts.join('; ') };
  if (results.length === 0) return { healthy: false, text: 'Waiting for the first answer…' };
  return { healthy: true, text: results.length === 1 ? 'The node is healthy' : `All ${results.length} nodes healthy` };
}
