import { useEffect } from 'react';
import { useSession } from '../stores/session-store';
import { useUi } from '../stores/ui-store';
import { VIEWS } from '../views/registry';
import { GO_PREFIX, GO_WINDOW_MS, isTyping, modalOpen } from './shortcuts';

/** The keys that work on every screen; each is listed in GLOBAL_SHORTCUTS (press `?`). */
export function useGlobalKeys() {
  useEffect(() => {
    let goPressedAt = -Infinity;
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        ui.setPaletteOpen(!ui.paletteOpen);
        return;
      }
      if (e.defaultPrevented || isTyping(e.target) || modalOpen()) return;
      if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        const { nodes, selected, setSelected } = useSession.getState();
        if (nodes.length === 0) return;
        const at = nodes.findIndex((n) => n.address === selected[0]);
        const step = e.key === 'ArrowDown' ? 1 : -1;
        const next = nodes[(at + step + nodes.length) % nodes.length];
        if (next) setSelected([next.address]);
        e.preventDefault();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const afterGo = e.timeStamp - goPressedAt < GO_WINDOW_MS;
      goPressedAt = -Infinity;
      if (afterGo) {
        const view = VIEWS.find((v) => v.key === e.key.toLowerCase());
        if (view) {
          e.preventDefault();
          ui.setView(view.id);
        }
        return;
      }
      if (e.key === GO_PREFIX) {
        goPressedAt = e.timeStamp;
      } else if (e.key === '?') {
        e.preventDefault();
        ui.setShortcutsOpen(true);
      } else if (e.key === '/') {
        const filter = document.querySelector<HTMLInputElement>('[data-filter]');
        if (filter) {
          e.preventDefault();
          filter.focus();
          filter.select();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
