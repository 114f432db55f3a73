import type { NodeOverview } from '../../../../shared/domain/talos';
import { CallFailures } from '../../components/CallFailures';
import { Sparkline } from '../../components/Sparkline';
import { duration } from '../../lib/time';
import { useNow } from '../../lib/use-now';

export interface Series {
  cpu: number[];
  mem: number[];
  load: number[];
  last: { busy: number; total: number } | null;
}

/** A part whose call did not answer: said plainly, never shown as zero or as an all-clear. */
/** The Overview samples every node every 3 s and keeps 40 samples: the sparklines cover 2 minutes. */
export const OVERVIEW_REFRESH_MS = 3000;
export const OVERVIEW_HISTORY = 40;
const SPARK_SPAN = `${Math.round((OVERVIEW_REFRESH_MS * OVERVIEW_HISTORY) / 60_000)} min`;
const UNKNOWN = <span className="muted">unknown</span>;

/** Everything about one node: the Overview's card, and the fleet table's row detail. */
export function NodeCard({ node, o, series }: { node: string; o: NodeOverview; series: Series | undefined }) {
  const now = useNow();
  return (
    <section className="card" aria-label={`Node ${node}`} data-node={node}>
      <h3>
        {o.hostname ?? <span className="muted">hostname unknown</span>} <span className="muted">{node}</span>
      </h3>
      <NodeFacts node={node} o={o} series={series} now={now} />
    </section>
  );
}

export function NodeFacts({ node, o, series: s, now }: { node: string; o: NodeOverview; series: Series | undefined; now: number }) {
  return (
    <>
      <dl className="kv">
        <dt>Talos</dt>
        <dd>{o.version ? o.version.tag : UNKNOWN}</dd>
        <dt>Platform</dt>
        <dd>{o.version ? `${o.version.platform} (${o.version.platformMode})` : UNKNOWN}</dd>
        <dt>Machine type</dt>
        <dd>{o.machineType ?? UNKNOWN}</dd>
        <dt>Stage</dt>
        <dd>
          {o.status ? `${o.status.stage}, ${o.status.ready ? 'ready' : 'not ready'}` : UNKNOWN}
          {o.status?.unmetConditions.map((c) => (
            <div key={c.name} className="warn-text">
              {c.name}: {c.reason}
            </div>
          ))}
        </dd>
        <dt>Uptime</dt>
        <dd>{o.bootTime !== null ? duration(Math.max(0, now / 1000 - o.bootTime)) : UNKNOWN}</dd>
        <dt>CPU</dt>
        <dd>
          {o.cpuSeconds ? (
            <>
              {(s?.cpu.at(-1) ?? 0).toFixed(0)}% <Sparkline values={s?.cpu ?? []} max={100} label="CPU use" unit="%" span={SPARK_SPAN} />
            </>
          ) : (
            UNKNOWN
          )}
        </dd>
        <dt>Memory</dt>
        <dd>
          {o.memory ? (
            <>
              {o.memory.usedMb} / {o.memory.totalMb} MiB{' '}
              <Sparkline values={s?.mem ?? []} max={100} label="Memory use" unit="%" span={SPARK_SPAN} />
            </>
          ) : (
            UNKNOWN
          )}
        </dd>
        <dt>Load</dt>
        <dd>
          {o.load ? (
            <>
              {o.load.load1} {o.load.load5} {o.load.load15}{' '}
              <Sparkline values={s?.load ?? []} label="1-minute load average" span={SPARK_SPAN} />
            </>
          ) : (
            UNKNOWN
          )}
        </dd>
        <dt>Security</dt>
        <dd>
          {o.security
            ? `SecureBoot ${o.security.secureBoot ? 'on' : 'off'} · SELinux ${o.security.selinuxState} · FIPS ${o.security.fipsState}`
            : UNKNOWN}
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
      <CallFailures node={node} failures={o.failures} />
    </>
  );
}
