import { useEffect, useMemo, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { ResourceKindView, ResourceRow } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { NodeErrors } from '../components/NodeErrors';
import { TeachLine } from '../components/TeachLine';
import { YamlViewer } from '../components/YamlViewer';
import { useNodeStream } from '../lib/use-node-stream';
import { useActiveIdentity, useSession } from '../stores/session-store';

type Mark = 'created' | 'updated' | 'destroyed';

/** `talosctl get`: every type from ResourceDefinitions, listed across the selected nodes, watchable. */
export function ResourcesView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [kinds, setKinds] = useState<ResourceKindView[]>([]);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<ResourceKindView | null>(null);
  const [results, setResults] = useState<PerNode<ResourceRow[]>[]>([]);
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const [watch, setWatch] = useState(false);
  const [opened, setOpened] = useState<{ node: string; id: string; yaml: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = identity?.roles.includes('os:admin') ?? false;

  useEffect(() => {
    if (!identity || !nodes[0]) return;
    call('resources.kinds', { identityId: identity.id, node: nodes[0] }).then(setKinds, (e) => setError(errorText(e)));
  }, [identity, nodes]);

  useEffect(() => {
    if (!identity || !kind || nodes.length === 0) return;
    setMarks({});
    setOpened(null);
    call('resources.list', { identityId: identity.id, nodes, type: kind.type, namespace: kind.namespace }).then(setResults, (e) =>
      setError(errorText(e)),
    );
  }, [identity, nodes, kind]);

  useNodeStream(
    identity && kind && watch && nodes.length
      ? { identityId: identity.id, nodes, kind: 'resources', tail: 0, resource: { type: kind.type, namespace: kind.namespace, id: null } }
      : null,
    {
      'stream.resources': (batch) =>
        setResults((current) =>
          current.map((r) => {
            if (r.node !== batch.node || !r.ok) return r;
            let rows = r.value;
            for (const e of batch.events) {
              if (!e.row || e.kind === 'bootstrapped') continue;
              const row = e.row;
              rows = rows.some((x) => x.id === row.id) ? rows.map((x) => (x.id === row.id ? row : x)) : [...rows, row];
              setMarks((m) => ({ ...m, [`${batch.node}/${row.id}`]: e.kind as Mark }));
            }
            return { ...r, value: rows };
          }),
        ),
    },
  );

  const grouped = useMemo(() => {
    const q = query.toLowerCase();
    const matches = kinds.filter((k) => !q || k.type.toLowerCase().includes(q) || k.aliases.some((a) => a.includes(q)));
    const byNs = new Map<string, ResourceKindView[]>();
    for (const k of matches) byNs.set(k.namespace, [...(byNs.get(k.namespace) ?? []), k]);
    return [...byNs.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [kinds, query]);

  if (!identity) return null;
  const exact = kinds.find((k) => k.aliases.includes(query.toLowerCase()) || k.type.toLowerCase() === query.toLowerCase());

  const open = async (node: string, id: string) => {
    if (!kind) return;
    try {
      setOpened({
        node,
        id,
        yaml: (await call('resources.get', { identityId: identity.id, node, type: kind.type, namespace: kind.namespace, id })).yaml,
      });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div style={{ display: 'grid', gridTemplateColumns: '280px 1fr', gap: 16 }}>
      <aside>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (exact) setKind(exact);
          }}
        >
          <input
            data-filter
            aria-label="Resource type or alias"
            placeholder="Type or alias (mc, members, svc…)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            style={{ width: '100%' }}
          />
        </form>
        {grouped.map(([ns, list]) => (
          <div key={ns}>
            <h4 className="muted">{ns}</h4>
            <ul className="list">
              {list.map((k) => (
                <li key={k.type}>
                  <button
                    className={kind?.type === k.type ? 'item active' : 'item'}
                    onClick={() => setKind(k)}
                    title={k.aliases.join(', ')}
                  >
                    <span>
                      {k.displayType} {k.sensitive && <span className="badge role-os-admin">sensitive</span>}
                    </span>
                    <small className="muted">{k.type}</small>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </aside>
      <section>
        {error && (
          <p className="node-error" role="alert">
            {error}
          </p>
        )}
        {kind && (
          <>
            <div className="toolbar">
              <h3 style={{ margin: 0 }}>{kind.type}</h3>
              <label>
                <input type="checkbox" checked={watch} onChange={(e) => setWatch(e.target.checked)} /> Watch
              </label>
              {kind.sensitive && !isAdmin && (
                <span className="reason">
                  {kind.displayType} is a sensitive resource: needs os:admin; this identity has {identity.roles.join(', ')}.
                </span>
              )}
            </div>
            <TeachLine
              command={talosctl.get({ context: identity.name, nodes }, kind.aliases[kind.aliases.length - 1] ?? kind.type, undefined, {
                watch,
              })}
              method={watch ? '/cosi.resource.State/Watch' : '/cosi.resource.State/List'}
            />
            <NodeErrors results={results} />
            <table className="grid" aria-label="Resources">
              <thead>
                <tr>
                  <th />
                  <th>Node</th>
                  <th>Namespace</th>
                  <th>ID</th>
                  <th>Version</th>
                  {kind.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {results.flatMap((r) =>
                  r.ok
                    ? r.value.map((row) => {
                        const mark = marks[`${r.node}/${row.id}`];
                        return (
                          <tr key={`${r.node}/${row.id}`} data-resource={`${r.node}/${row.id}`} data-mark={mark ?? ''}>
                            <td className="mono">
                              {mark === 'created' ? '+' : mark === 'destroyed' ? '-' : mark === 'updated' ? '*' : ''}
                            </td>
                            <td>{r.node}</td>
                            <td>{row.namespace}</td>
                            <td>
                              <button className="link" onClick={() => void open(r.node, row.id)}>
                                {row.id}
                              </button>
                            </td>
                            <td data-version>{row.version}</td>
                            {kind.columns.map((c) => (
                              <td key={c}>{row.columns[c] ?? ''}</td>
                            ))}
                          </tr>
                        );
                      })
                    : [],
                )}
              </tbody>
            </table>
            {opened && (
              <>
                <TeachLine
                  command={talosctl.get({ context: identity.name, nodes: [opened.node] }, kind.type, opened.id, { yaml: true })}
                  method="/cosi.resource.State/Get"
                />
                <YamlViewer text={opened.yaml} label={`${kind.displayType} ${opened.id}`} />
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}
