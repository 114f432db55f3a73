import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from '../api';
import { useSession } from '../stores/session-store';
import { fakeApi, identity } from '../test-support/fake-api';
import { ServicesView } from './ServicesView';

const service = (id: string) => ({
  id,
  state: 'Running',
  health: 'ok',
  healthMessage: '',
  lastChange: new Date().toISOString(),
  lastEvent: 'Health check successful',
  events: [],
});

function setup(roles: string[]) {
  setApi(
    fakeApi({
      'talos.services': () => [
        { node: '10.5.0.2', ok: true, value: [service('etcd'), service('kubelet'), service('ext-nvidia')] },
        { node: '10.5.0.3', ok: false, error: { code: 'UNAVAILABLE', message: '10.5.0.3 is unreachable' } },
      ],
      'stream.open': () => ({}),
      'stream.close': () => ({ closed: true }),
    }),
  );
  const who = identity(`${roles[0]}@lab`, roles);
  useSession.setState({ identities: [who], activeId: who.id, selected: ['10.5.0.2', '10.5.0.3'] });
  render(<ServicesView />);
}

afterEach(() => useSession.setState({ identities: [], activeId: null, selected: [] }));

describe('ServicesView role gating', () => {
  it('disables every action for a reader, naming the role needed', async () => {
    setup(['os:reader']);
    const restart = await screen.findByRole('button', { name: 'restart kubelet on 10.5.0.2' });
    expect(restart).toHaveProperty('disabled', true);
    expect(restart.getAttribute('data-reason')).toBe('needs os:admin or os:operator; this identity has os:reader');
  });

  it('lets an operator restart kubelet and ext-* but not etcd, and not stop kubelet', async () => {
    setup(['os:operator']);
    expect(await screen.findByRole('button', { name: 'restart kubelet on 10.5.0.2' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button', { name: 'stop ext-nvidia on 10.5.0.2' })).toHaveProperty('disabled', false);
    const etcd = screen.getByRole('button', { name: 'restart etcd on 10.5.0.2' });
    expect(etcd).toHaveProperty('disabled', true);
    expect(etcd.getAttribute('data-reason')).toContain('only for kubelet and extension services');
    expect(screen.getByRole('button', { name: 'stop kubelet on 10.5.0.2' }).getAttribute('data-reason')).toBe(
      'Talos does not allow stopping kubelet through the API',
    );
  });

  it('shows a failing node inline and keeps the other node rows', async () => {
    setup(['os:admin']);
    await waitFor(() => expect(screen.getByText(/10\.5\.0\.3 is unreachable/)).toBeTruthy());
    expect(screen.getAllByRole('row').length).toBe(4);
  });
});
