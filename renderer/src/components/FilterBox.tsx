import { useEffect, useRef, useState } from 'react';

export const FILTER_DEBOUNCE_MS = 150;

export interface FilterBoxProps {
  /** What it filters, for screen readers: "Filter services". */
  label: string;
  /** The filter in force. */
  value: string;
  /** Called as the operator types (debounced), at once on Enter, and at once when the box is cleared. */
  onChange(value: string): void;
  placeholder?: string;
  /** Marks the box that `/` focuses; a screen with two boxes marks only its main one. */
  primary?: boolean;
  className?: string;
  invalid?: boolean;
  /** Enter, after applying the value: "find next" where the box searches rather than filters. */
  onEnter?(value: string): void;
}

/**
 * The one filter box of the app: it applies as you type, clearing it clears the filter, Escape leaves it,
 * and `/` (see the global keys) comes back to it.
 */
export function FilterBox({
  label,
  value,
  onChange,
  placeholder = 'Filter (/)',
  primary = true,
  className,
  invalid,
  onEnter,
}: FilterBoxProps) {
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;

  // A filter set from outside (a reset, another control) shows in the box.
  if (value !== committed) {
    setCommitted(value);
    setText(value);
  }

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const apply = (next: string, wait: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const run = () => {
      setCommitted(next);
      latest.current(next);
    };
    if (wait === 0) run();
    else timer.current = setTimeout(run, wait);
  };

  return (
    <span className={`filter-box${className ? ` ${className}` : ''}`}>
      <input
        type="search"
        data-filter={primary ? '' : undefined}
        aria-label={label}
        aria-invalid={invalid || undefined}
        placeholder={placeholder}
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          apply(e.target.value, e.target.value === '' ? 0 : FILTER_DEBOUNCE_MS);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            apply(text, 0);
            onEnter?.(text);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            if (timer.current) apply(text, 0);
            e.currentTarget.blur();
          }
        }}
      />
    </span>
  );
}
