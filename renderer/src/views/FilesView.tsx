import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FileEntry } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { DataTable, type Column } from '../components/DataTable';
import { Drawer, WithDrawer } from '../components/Drawer';
import { TeachLine } from '../components/TeachLine';
import { Ago, Size } from '../components/Values';
import { DownloadButton } from '../day-two/DownloadButton';
import { downloadBytes } from '../lib/download';
import { downloadFromNode, type NodeDownload } from '../lib/download-from-node';
import { bytes, exactBytes } from '../lib/format';
import { useActiveIdentity, useSession } from '../stores/session-store';

/** What Nodeglass shows on screen; the host refuses to read more (`files.read`), bigger files are downloaded. */
export const READ_CAP_BYTES = 4 * 1024 * 1024;

const parent = (path: string) => (path === '/' ? '/' : path.slice(0, path.lastIndexOf('/')) || '/');
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
/** The archive name talosctl users would pick: node, folder (or `root`), `.tar.gz`. */
const archiveName = (node: string, path: string) => `${node}-${baseName(path) || 'root'}.tar.gz`;

/** `talosctl copy <path> -`: the folder or file as a .tar.gz streamed to disk, with progress and its SHA-256. */
function CopyButton(props: { identityId: string; node: string; path: string; reason: string | null; label: string }) {
  return (
    <DownloadButton
      channel="downloads.copy"
      label={props.label}
      request={{ identityId: props.identityId, node: props.node, path: props.path }}
      filename={archiveName(props.node, props.path)}
      disabledReason={props.reason}
    />
  );
}

function CopyLine(props: { context: string; node: string; path: string }) {
  return (
    <TeachLine
      command={talosctl.copy({ context: props.context, nodes: [props.node] }, props.path, archiveName(props.node, props.path))}
      method="/machine.MachineService/Copy"
    />
  );
}

type Opened =
  | { kind: 'text'; path: string; text: string; bytes: Uint8Array }
  | { kind: 'large'; path: string; size: number | null }
  | { kind: 'error'; path: string; message: string };

/** `talosctl ls -l` and `talosctl read`: browse the node's read-only file tree. */
export function FilesView() {
  const identity = useActiveIdentity();
  const node = useSession((s) => s.selected[0] ?? '');
  const [path, setPath] = useState('/var/log');
  const [typed, setTyped] = useState('/var/log');
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const isAdmin = identity?.roles.includes('os:admin') ?? false;

  const list = useCallback(async () => {
    if (!identity || !node) return;
    setError(null);
    setEntries(null);
    try {
      setEntries(await call('files.list', { identityId: identity.id, node, path }));
    } catch (e) {
      setEntries([]);
      setError(errorText(e));
    }
  }, [identity, node, path]);

  useEffect(() => {
    void list();
  }, [list]);

  const go = useCallback((next: string) => {
    setPath(next);
    setTyped(next);
    setOpened(null);
  }, []);
  const reason =
    identity && !isAdmin ? `Reading files needs os:admin; this identity has ${identity.roles.join(', ') || 'no roles'}.` : null;

  const read = useCallback(
    async (entry: FileEntry) => {
      if (!identity) return;
      if (entry.size > READ_CAP_BYTES) return setOpened({ kind: 'large', path: entry.path, size: entry.size });
      try {
        const r = await call('files.read', { identityId: identity.id, node, path: entry.path });
        const data = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
        setOpened({ kind: 'text', path: entry.path, bytes: data, text: new TextDecoder('utf-8', { fatal: false }).decode(data) });
      } catch (e) {
        // Files like those under /proc list as 0 bytes and still turn out larger than the cap.
        if (e instanceof Error && 'code' in e && e.code === 'TOO_LARGE') setOpened({ kind: 'large', path: entry.path, size: null });
        else setOpened({ kind: 'error', path: entry.path, message: errorText(e) });
      }
    },
    [identity, node],
  );

  const columns = useMemo((): Column<FileEntry>[] => {
    const nameCell = (e: FileEntry) =>
      e.isDir ? (
        <button className="link" onClick={() => go(e.path)}>
          {e.name}/
        </button>
      ) : e.link ? (
        <span>
          {e.name} <span className="muted">→ {e.link}</span>
        </span>
      ) : (
        <button
          className="link"
          disabled={reason !== null}
          title={reason ?? `Read ${e.path}`}
          data-reason={reason ?? ''}
          onClick={() => void read(e)}
        >
          {e.name}
        </button>
      );
    return [
      {
        key: 'name',
        label: 'Name',
        value: (e) => e.name,
        render: (e) => (
          <>
            {nameCell(e)}
            {e.error && <span className="error-text"> {e.error}</span>}
          </>
        ),
        wide: true,
      },
      { key: 'size', label: 'Size', value: (e) => e.size, render: (e) => (e.isDir ? '' : <Size value={e.size} />), align: 'right' },
      { key: 'modified', label: 'Modified', value: (e) => e.modifiedAt, render: (e) => <Ago at={e.modifiedAt} />, align: 'right' },
      { key: 'mode', label: 'Mode', value: (e) => e.mode, render: (e) => <span className="mono">{e.mode}</span> },
      { key: 'uid', label: 'UID', value: (e) => e.uid, align: 'right' },
      { key: 'gid', label: 'GID', value: (e) => e.gid, align: 'right' },
    ];
  }, [reason, read, go]);

  if (!identity) return null;
  const target = { context: identity.name, nodes: [node] };
  const copyReason = reason && reason.replace('Reading files', 'Copying files');
  const crumbs = path.split('/').filter(Boolean);

  return (
    <div>
      <form
        className="toolbar files-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          go(typed.trim() || '/');
        }}
      >
        <span>
          Files on <strong>{node}</strong>
        </span>
        <label>
          Path <input value={typed} onChange={(e) => setTyped(e.target.value)} className="path-input" spellCheck={false} />
        </label>
        <button type="submit">List</button>
        <button type="button" onClick={() => go(parent(path))} disabled={path === '/'}>
          Up
        </button>
        <CopyButton identityId={identity.id} node={node} path={path} reason={copyReason} label={`Copy ${path} (folder) as .tar.gz`} />
        {reason && <span className="reason">{reason}</span>}
      </form>
      <nav className="crumbs" aria-label="Folder">
        <button className="link" onClick={() => go('/')}>
          /
        </button>
        {crumbs.map((c, i) => (
          <span key={i}>
            <button
              className="link"
              onClick={() => go(`/${crumbs.slice(0, i + 1).join('/')}`)}
              aria-current={i === crumbs.length - 1 ? 'page' : undefined}
            >
              {c}
            </button>
            {i < crumbs.length - 1 && '/'}
          </span>
        ))}
      </nav>
      <TeachLine command={talosctl.ls(target, path)} method="/machine.MachineService/List" />
      <CopyLine context={identity.name} node={node} path={path} />
      {error && (
        <p className="node-error" role="alert">
          {error}
        </p>
      )}
      <WithDrawer
        drawer={
          opened && (
            <Drawer title={opened.path} onClose={() => setOpened(null)}>
              <TeachLine command={talosctl.read(target, opened.path)} method="/machine.MachineService/Read" />
              <div className="copy-out">
                <CopyButton identityId={identity.id} node={node} path={opened.path} reason={copyReason} label="Copy this file as .tar.gz" />
              </div>
              <CopyLine context={identity.name} node={node} path={opened.path} />
              {opened.kind === 'text' && (
                <section aria-label="File content">
                  <div className="toolbar">
                    <span className="muted" title={exactBytes(opened.bytes.length)}>
                      {bytes(opened.bytes.length)}
                    </span>
                    <button onClick={() => downloadBytes(baseName(opened.path), opened.bytes)}>Download</button>
                  </div>
                  {opened.bytes.length === 0 ? (
                    <p className="muted">This file is empty.</p>
                  ) : (
                    <pre className="mono file-text" data-testid="file-text">
                      {opened.text}
                    </pre>
                  )}
                </section>
              )}
              {opened.kind === 'large' && <LargeFile identityId={identity.id} node={node} path={opened.path} size={opened.size} />}
              {opened.kind === 'error' && (
                <p className="node-error" role="alert">
                  {opened.message}
                </p>
              )}
            </Drawer>
          )
        }
      >
        <DataTable
          label="Directory listing"
          rows={entries ?? []}
          columns={columns}
          rowKey={(e) => e.path}
          rowData={(e) => ({ 'data-file': e.name })}
          noun={['entry', 'entries']}
          loading={entries === null}
          empty={error ? `Nothing listed in ${path}.` : `${path} is empty.`}
          openKey={opened?.path ?? null}
        />
      </WithDrawer>
    </div>
  );
}

/** A file over the read cap: not shown, but downloaded whole (to disk on desktop, in chunks in browser mode). */
function LargeFile({ identityId, node, path, size }: { identityId: string; node: string; path: string; size: number | null }) {
  const [state, setState] = useState<{ phase: 'idle' | 'running' | 'done' | 'cancelled' | 'failed'; bytes: number; note?: string }>({
    phase: 'idle',
    bytes: 0,
  });
  const running = useRef<NodeDownload | null>(null);
  useEffect(() => () => running.current?.cancel(), []);
  const start = () => {
    setState({ phase: 'running', bytes: 0 });
    const download = downloadFromNode({ identityId, node, path }, (bytes) => setState((s) => ({ ...s, bytes })));
    running.current = download;
    download.done.then(
      (r) =>
        setState({
          phase: r.cancelled ? 'cancelled' : 'done',
          bytes: r.bytes,
          note: r.savedTo ? `Saved to ${r.savedTo}.` : r.cancelled ? undefined : 'Saved by the browser to your downloads.',
        }),
      (e) => setState((s) => ({ ...s, phase: 'failed', note: errorText(e) })),
    );
  };
  return (
    <section aria-label="Large file">
      <p role="status">
        {baseName(path)} is {size ? <span title={exactBytes(size)}>{bytes(size)}</span> : 'larger than that'}: over the{' '}
        {bytes(READ_CAP_BYTES)} Nodeglass shows on screen. Download it to read it whole.
      </p>
      <div className="toolbar">
        <button className="primary" onClick={start} disabled={state.phase === 'running'}>
          Download {baseName(path)}
        </button>
        {state.phase === 'running' && (
          <>
            <progress aria-label="Download progress" max={size ?? undefined} value={state.bytes} />
            <span className="muted">
              {bytes(state.bytes)}
              {size ? ` of ${bytes(size)}` : ''}
            </span>
            <button onClick={() => running.current?.cancel()}>Cancel</button>
          </>
        )}
      </div>
      {state.phase === 'done' && (
        <p className="ok-text" data-download="done">
          Downloaded {exactBytes(state.bytes)}. {state.note}
        </p>
      )}
      {state.phase === 'cancelled' && <p className="muted">Download cancelled; nothing was saved.</p>}
      {state.phase === 'failed' && (
        <p className="node-error" role="alert">
          {state.note}
        </p>
      )}
    </section>
  );
}
