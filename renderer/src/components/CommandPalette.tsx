import { useEffect, useMemo, useRef, useState } from 'react';
import { buildCommands, matchCommands } from '../lib/commands';
import { useUi } from '../stores/ui-store';
import { Modal } from './Modal';

export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  const setOpen = useUi((s) => s.setPaletteOpen);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const commands = useMemo(() => (open ? buildCommands() : []), [open]);
  const matches = matchCommands(commands, query);

  useEffect(() => {
    if (open) {
      setQuery('');
      setIndex(0);
    }
  }, [open]);

  if (!open) return null;

  const runAt = (i: number) => {
    const command = matches[i];
    if (!command) return;
    setOpen(false);
    void command.run();
  };

  return (
    <Modal
      label="Command palette"
      className="palette"
      backdropClassName="palette-backdrop"
      onClose={() => setOpen(false)}
      initialFocus={input}
    >
      <input
        ref={input}
        aria-label="Command"
        placeholder="Type a command…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter') runAt(index);
          else return;
          e.preventDefault();
        }}
      />
      <ul role="listbox" aria-label="Commands" tabIndex={0}>
        {matches.slice(0, 50).map((c, i) => (
          <li key={c.id} role="option" aria-selected={i === index} className={i === index ? 'active' : ''} onMouseDown={() => runAt(i)}>
            <span>{c.title}</span>
            {c.hint && <small>{c.hint}</small>}
          </li>
        ))}
        {matches.length === 0 && <li className="empty">No command matches “{query}”.</li>}
      </ul>
    </Modal>
  );
}
