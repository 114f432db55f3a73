import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Modal } from './Modal';

/** A dialog whose only button disables itself when pressed (the focus then falls out to the page). */
function OneShot({ closed }: { closed: string[] }) {
  const [done, setDone] = useState(false);
  return (
    <Modal label="Outer" onClose={() => closed.push('outer')}>
      <button disabled={done} onClick={() => setDone(true)}>
        Stage
      </button>
      {done && (
        <Modal label="Inner" onClose={() => closed.push('inner')}>
          <button>Inner button</button>
        </Modal>
      )}
    </Modal>
  );
}

describe('Modal', () => {
  it('closes on Escape even when the focus has fallen out of it', () => {
    const closed: string[] = [];
    render(<OneShot closed={closed} />);
    (document.activeElement as HTMLElement).blur();
    expect(document.activeElement).toBe(document.body);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(closed).toEqual(['outer']);
  });

  it('closes only the innermost of nested dialogs, and takes Tab back inside', () => {
    const closed: string[] = [];
    render(<OneShot closed={closed} />);
    fireEvent.click(screen.getByRole('button', { name: 'Stage' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Inner button' }));
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Inner button' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Inner button' }), { key: 'Escape' });
    expect(closed).toEqual(['inner']);
  });
});
