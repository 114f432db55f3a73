import { useCallback, useEffect, useState } from 'react';
import type { FileEntry } from '../../../shared/domain/inspect';
import { talosctl } from '../../../shared/talosctl';
import { call, errorText } from '../api/call';
import { TeachLine } from '../components/TeachLine';
import { downloadBytes } from '../lib/download';
import { useActiveIdentity, useSession } from '../stores/session-store';

const parent = (path: string) => (path === '/' ? '/' : path.slice(0, path.lastIndexOf('/')) || '/');

/** `talosctl ls -l` and `talosctl read`: browse the node's read-only file tree. */
export function FilesView() {
  const identity = useActiveIdentity();
  const node = useSession((s) => s.selected[0] ?? '');
  const [path, setPath] = useState('/var/log');
  const [entries, setEntries] = useState<FileEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<{ path: string; text: string; bytes: Uint8Array } | null>(null);
  const isAdmin = identity?.roles.includes('os:admin') ?? false;

  const list = useCallback(async () => {
    if (!identity || !node) return;
    setError(null);
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

  if (!identity) return null;
  const read = async (target: string) => {
    setError(null);
    try {
      const r = await call('files.read', { identityId: identity.id, node, path: target });
      const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
      setFile({ path: target, bytes, text: new TextDecoder('utf-8', { fatal: false }).decode(bytes) });
    } catch (e) {
      setFile(null);
      setError(errorText(e));
    }
  };
  const reason = isAdmin ? null : `Reading files needs os:admin; this identity has ${identity.roles.join(', ') || 'no roles'}.`;

  return (
    <div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void list();
        }}
      >
        <span>
          Files on <strong>{node}</strong>
        </span>
        <input aria-label="Path" value={path} onChange={(e) => setPath(e.target.value)} style={{ minWidth: 320 }} />
        <button type="submit">List</button>
        <button type="button" onClick={() => setPath(parent(path))} disabled={path === '/'}>
          Up
        </button>
        {reason && <span className="reason">{reason}</span>}
      </form>
      <TeachLine command={talosctl.ls({ context: identity.name, nodes: [node] }, path)} method="/machine.MachineService/List" />
      {error && (
        <p className="node-error" role="alert">
          {error}
        </p>
      )}
      <table className="grid mono" aria-label="Directory listing">
        <thead>
          <tr>
            <th>Mode</th>
            <th>UID</th>
            <th>GID</th>
            <th>Size (B)</th>
            <th>Last modified</th>
            <th>Name</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.path} data-file={e.name}>
              <td>{e.mode}</td>
              <td>{e.uid}</td>
              <td>{e.gid}</td>
              <td>{e.size}</td>
              <td>{e.modified}</td>
              <td>
                {e.isDir ? (
                  <button className="link" onClick={() => setPath(e.path)}>
                    {e.name}/
                  </button>
                ) : e.link ? (
                  `${e.name} -> ${e.link}`
                ) : (
                  <button
                    className="link"
                    disabled={!isAdmin}
                    title={reason ?? `Read ${e.path}`}
                    data-reason={reason ?? ''}
                    onClick={() => void read(e.path)}
                  >
                    {e.name}
                  </button>
                )}
                {e.error && <span className="error-text"> {e.error}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {file && (
        <section className="card" aria-label="File content">
          <div className="toolbar">
            <strong>{file.path}</strong> <span className="muted">{file.bytes.length} bytes</span>
            <button onClick={() => downloadBytes(file.path.slice(file.path.lastIndexOf('/') + 1), file.bytes)}>Download</button>
          </div>
          <TeachLine command={talosctl.read({ context: identity.name, nodes: [node] }, file.path)} method="/machine.MachineService/Read" />
          <pre className="mono" style={{ maxHeight: '60vh', overflow: 'auto' }} data-testid="file-text">
            {file.text}
          </pre>
        </section>
      )}
    </div>
  );
}
