import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../api';
import { useSession } from '../stores/session-store';
import { fakeApi, identity } from '../test-support/fake-api';
import { ServicesView } from '../views/ServicesView';
import { visibleText, Visible } from './Visible';

afterEach(() => useSession.setState({ identities: [], activeId: null, selected: [] }));

describe('node-supplied text with hidden characters', () => {
  it('shows bidi overrides, zero-width and control characters as marked escapes', () => {
    const { container } = render(<Visible text={'ext-\u202Eevil\u200B\u0007 ok\ttab'} />);
    expect(container.textContent).toBe('ext-\\u202Eevil\\u200B\\u0007 ok\ttab');
    const marks = container.querySelectorAll('.escaped-char');
    expect([...marks].map((m) => m.getAttribute('title'))).toEqual([
      'right-to-left override, shown escaped',
      'zero width space, shown escaped',
      'invisible control character, shown escaped',
    ]);
    expect(visibleText('a\u2066b\u2069')).toBe('a\\u2066b\\u2069');
    expect(visibleText('plain')).toBe('plain');
  });

  it('escapes a service name in the Services table (it does not read "ext-live")', async () => {
    setApi(
      fakeApi({
        'talos.services': () => [
          {
            node: '10.5.0.2',
            ok: true,
            value: [
              {
                id: 'ext-\u202Eevil',
                state: 'Running',
                health: 'ok',
                healthMessage: '',
                lastChange: new Date().toISOString(),
                lastEvent: 'started \u202Eeht',
                events: [],
              },
            ],
          },
        ],
        'stream.open': () => ({ streamId: 's1' }),
        'stream.close': () => ({}),
      }),
    );
    const who = identity('admin@lab', ['os:admin']);
    useSession.setState({ identities: [who], activeId: who.id, selected: ['10.5.0.2'] });
    render(<ServicesView />);
    const cell = await screen.findByText((_t, el) => el?.tagName === 'TD' && el.textContent === 'ext-\\u202Eevil');
    expect(cell.querySelector('.escaped-char')).not.toBeNull();
    expect(document.body.textContent).not.toContain('\u202E');
  });
});
