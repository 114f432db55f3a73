/** One entry of the shortcut list: keys pressed in order (["g", "o"]) or alternatives shown side by side. */
export interface Shortcut {
  keys: readonly string[];
  /** "then": a sequence (g, then o); "or": alternatives (Alt+↓ or Alt+↑); "with": one chord. */
  join?: 'then' | 'or';
  what: string;
}

/** The prefix of the view mnemonics, as in Gmail or GitHub: `g`, then the view's letter. */
export const GO_PREFIX = 'g';
/** How long the mnemonic waits for its letter after `g`. */
export const GO_WINDOW_MS = 1500;

export const GLOBAL_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['?'], what: 'Show this list of shortcuts' },
  { keys: ['Ctrl+K'], what: 'Command palette: go anywhere, switch identity or node, toggle theme or teach mode' },
  { keys: ['/'], what: 'Focus the filter or search box of the screen' },
  { keys: ['Esc'], what: 'Leave the box you are typing in, close a dialog or a details pane' },
  { keys: ['Alt+↓', 'Alt+↑'], join: 'or', what: 'Select the next or previous node' },
  { keys: ['Enter'], what: 'Open the details of the focused table row' },
];

/** Keys typed into a text field belong to the field, not to the shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** True while a modal dialog (confirmation, palette, this list) has the screen. */
export function modalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

/** A screen's own single-key shortcut: not while typing, not with a modifier, not under a dialog. */
export function isPlainKey(e: KeyboardEvent, key: string): boolean {
  return e.key === key && !e.defaultPrevented && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target) && !modalOpen();
}
