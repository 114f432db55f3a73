import { useEffect, useMemo, useState } from 'react';
import type { PerNode } from '../../../shared/domain/node';
import type { ResourceKindView, ResourceRow } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Drawer, WithDrawer } from '../components/Drawer';
import { plural } from '../lib/format';
import { FilterBox } from '../components/FilterBox';
import { NodeErrors } from '../components/NodeErrors';
import { EmptyState, LoadingState } from '../components/States';
import { TeachLine } from '../components/TeachLine';
import { YamlViewer } from '../components/YamlViewer';
import { useNodeStream } from '../lib/use-node-stream';
import { useActiveIdentity, useSession } from '../stores/session-store';

type Mark = 'created' | 'updated' | 'destroyed';
type Row = ResourceRow & { node: string };
const MARK_SIGN: Record<Mark, string> = { created: '+', destroyed: '-', updated: '*' };

/** `talosctl get`: every type from ResourceDefinitions, listed across the selected nodes, watchable. */
const findExact = (kinds: ResourceKindView[], text: string) =>
  kinds.find((k) => k.aliases.includes(text.toLowerCase()) || k.type.toLowerCase() === text.toLowerCase());

export function ResourcesView() {
  const identity = useActiveIdentity();
  const nodes = useSession((s) => s.selected);
  const [kinds, setKinds] = useState<ResourceKindView[]>([]);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<ResourceKindView | null>(null);
  const [results, setResults] = useState<PerNode<ResourceRow[]>[] | null>(null);
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const [watch, setWatch] = useState(false);
  const [opened, setOpened] = useState<{
    node: string;
    id: string;
    yaml: string;
    sensitive: boolean;
    redactedPaths: string[];
    withheldPaths: string[];
    revealed: boolean;
  } | null>(null);
  const [confirmReveal, setConfirmReveal] = useState(false);
  /** A type asked for (Enter) before the list of types arrived: opened as soon as it does. */
  const [wanted, setWanted] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = identity?.roles.includes('os:admin') ?? false;

  useEffect(() => {
    if (!identity || !nodes[0]) return;
    call('resources.kinds', { identityId: identity.id, node: nodes[0] }).then(setKinds, (e) => setError(errorText(e)));
  }, [identity, nodes]);

  useEffect(() => {
    if (wanted === null || kinds.length === 0) return;
    const found = findExact(kinds, wanted);
    if (found) setKind(found);
    setWanted(null);
  }, [kinds, wanted]);

  useEffect(() => {
    if (!identity || !kind || nodes.length === 0) return;
    setMarks({});
    setOpened(null);
    setResults(null);
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
          (current ?? []).map((r) => {
            if (r.node !== batch.key || !r.ok) return r;
            let rows = r.value;
            for (const e of batch.events) {
              if (!e.row || e.kind === 'bootstrapped') continue;
              const row = e.row;
              rows = rows.some((x) => x.id === row.id) ? rows.map((x) => (x.id === row.id ? row : x)) : [...rows, row];
              setMarks((m) => ({ ...m, [`${batch.key}/${row.id}`]: e.kind as Mark }));
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

  const rows = useMemo(
    () => (results ?? []).flatMap((r) => (r.ok ? r.value.map((row): Row => ({ ...row, node: r.node })) : [])),
    [results],
  );
  const columns = useMemo((): Column<Row>[] => {
    const markOf = (r: Row) => marks[`${r.node}/${r.id}`];
    return [
      {
        key: 'mark',
        label: 'Change',
        value: (r) => markOf(r) ?? '',
        render: (r) => <span className="mono">{MARK_SIGN[markOf(r)!] ?? ''}</span>,
      },
      { key: 'node', label: 'Node', value: (r) => r.node },
      { key: 'namespace', label: 'Namespace', value: (r) => r.namespace },
      { key: 'id', label: 'ID', value: (r) => r.id, wide: true },
      {
        key: 'version',
        label: 'Version',
        value: (r) => Number(r.version),
        render: (r) => <span data-version>{r.version}</span>,
        align: 'right',
      },
      ...(kind?.columns ?? []).map((c): Column<Row> => ({ key: `col:${c}`, label: c, value: (r) => r.columns[c] ?? '', wide: true })),
    ];
  }, [kind, marks]);

  if (!identity) return null;
  const exactKind = (text: string) => findExact(kinds, text);

  const open = async (node: string, id: string) => {
    if (!kind) return;
    try {
      const got = await call('resources.get', { identityId: identity.id, node, type: kind.type, namespace: kind.namespace, id });
      setOpened({ node, id, ...got, revealed: false });
    } catch (e) {
      setError(errorText(e));
    }
  };

  /** Sensitive values leave the host only through this: admin-only, confirmed, and recorded in the audit trail. */
  const reveal = async () => {
    setConfirmReveal(false);
    if (!kind || !opened) return;
    try {
      const { yaml } = await call('resources.reveal', {
        identityId: identity.id,
        node: opened.node,
        type: kind.type,
        namespace: kind.namespace,
        id: opened.id,
      });
      setOpened({ ...opened, yaml, revealed: true });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="resources-layout">
      <aside>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            // The box's own text: Enter applies the filter in the same event, before `query` re-renders.
            const typed = e.currentTarget.querySelector('input')?.value ?? query;
            const exact = exactKind(typed);
            if (exact) setKind(exact);
            else if (kinds.length === 0) setWanted(typed);
          }}
        >
          <FilterBox
            label="Resource type or alias"
            placeholder="Type or alias: mc, members, svc (/)"
            value={query}
            onChange={setQuery}
            className="wide"
          />
        </form>
        {kinds.length === 0 && !error && <LoadingState what="resource types" />}
        {kinds.length > 0 && grouped.length === 0 && <EmptyState>No type or alias matches “{query}”.</EmptyState>}
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
            <NodeErrors results={results ?? []} />
            <WithDrawer
              drawer={
                opened && (
                  <Drawer title={`${kind.displayType} ${opened.id} on ${opened.node}`} onClose={() => setOpened(null)}>
                    <TeachLine
                      command={talosctl.get({ context: identity.name, nodes: [opened.node] }, kind.type, opened.id, { yaml: true })}
                      method="/cosi.resource.State/Get"
                    />
                    {opened.sensitive && !opened.revealed && (
                      <div className="reason" role="status" aria-label="Redaction summary">
                        {kind.displayType} is sensitive: {plural(opened.redactedPaths.length, 'secret value', 'secret values')} redacted
                        {opened.withheldPaths.length
                          ? `, ${plural(opened.withheldPaths.length, 'value', 'values')} withheld (not classified)`
                          : ''}
                        .{' '}
                        <button
                          disabled={!isAdmin}
                          data-reason={isAdmin ? undefined : `needs os:admin; this identity has ${identity.roles.join(', ')}`}
                          title={isAdmin ? undefined : `needs os:admin; this identity has ${identity.roles.join(', ')}`}
                          onClick={() => setConfirmReveal(true)}
                        >
                          Reveal secrets…
                        </button>
                      </div>
                    )}
                    {opened.revealed && (
                      <div className="warn-text" role="status" aria-label="Redaction summary">
                        Secrets shown in clear; the reveal is recorded in the audit trail.
                      </div>
                    )}
                    <YamlViewer text={opened.yaml} label={`${kind.displayType} ${opened.id}`} />
                  </Drawer>
                )
              }
            >
              <DataTable
                label="Resources"
                rows={rows}
                columns={columns}
                rowKey={(r) => `${r.node}/${r.id}`}
                rowData={(r) => ({ 'data-resource': `${r.node}/${r.id}`, 'data-mark': marks[`${r.node}/${r.id}`] ?? '' })}
                noun={['resource', 'resources']}
                loading={results === null}
                empty={`No ${kind.displayType} resources on the selected nodes.`}
                onOpen={(r) => void open(r.node, r.id)}
                openKey={opened ? `${opened.node}/${opened.id}` : null}
              />
            </WithDrawer>
          </>
        )}
      </section>
      {confirmReveal && opened && kind && (
        <ConfirmDialog
          title="Reveal secrets?"
          confirmLabel="Reveal"
          danger
          body={
            <p>
              The secret values of {kind.displayType} {opened.id} on {opened.node} will be shown on screen. The reveal is recorded in the
              audit trail (the values are not).
            </p>
          }
          onConfirm={() => void reveal()}
          onCancel={() => setConfirmReveal(false)}
        />
      )}
    </div>
  );
}
