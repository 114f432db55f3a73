import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FILTER_DEBOUNCE_MS, FilterBox } from './FilterBox';

function Harness({ seen }: { seen: string[] }) {
  const [value, setValue] = useState('');
  return (
    <>
      <FilterBox
        label="Filter things"
        value={value}
        onChange={(v) => {
          seen.push(v);
          setValue(v);
        }}
      />
      <output aria-label="applied">{value}</output>
    </>
  );
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('FilterBox', () => {
  it('applies as you type, once the typing pauses', () => {
    const seen: string[] = [];
    render(<Harness seen={seen} />);
    const box = screen.getByLabelText('Filter things');
    fireEvent.change(box, { target: { value: 'k' } });
    fireEvent.change(box, { target: { value: 'ku' } });
    fireEvent.change(box, { target: { value: 'kub' } });
    expect(seen).toEqual([]);
    act(() => void vi.advanceTimersByTime(FILTER_DEBOUNCE_MS));
    expect(seen).toEqual(['kub']);
    expect(screen.getByLabelText('applied').textContent).toBe('kub');
  });

  it('clears the filter at once when the box is emptied, and Enter applies without waiting', () => {
    const seen: string[] = [];
    render(<Harness seen={seen} />);
    const box = screen.getByLabelText('Filter things');
    fireEvent.change(box, { target: { value: 'etcd' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(seen).toEqual(['etcd']);
    fireEvent.change(box, { target: { value: '' } });
    expect(seen).toEqual(['etcd', '']);
    act(() => void vi.advanceTimersByTime(FILTER_DEBOUNCE_MS * 2));
    expect(seen).toEqual(['etcd', '']);
  });

  it('leaves the box on Escape, keeping (and applying) what was typed', () => {
    const seen: string[] = [];
    render(<Harness seen={seen} />);
    const box = screen.getByLabelText('Filter things');
    box.focus();
    fireEvent.change(box, { target: { value: 'apid' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(document.activeElement).not.toBe(box);
    expect(seen).toEqual(['apid']);
    expect((box as HTMLInputElement).value).toBe('apid');
  });

  it('is the box that / focuses', () => {
    render(<Harness seen={[]} />);
    expect(screen.getByLabelText('Filter things').hasAttribute('data-filter')).toBe(true);
  });
});
