export { allowedRoles, isAuthorized } from '../../shared/talos-rbac';

/** Prefixes apid accepts for legacy multi-node (`nodes`) proxying, Talos >= 1.13. */
export function supportsOneToMany(method: string): boolean {
  return [
    '/machine.MachineService/',
    '/cluster.ClusterService/',
    '/inspect.InspectService/',
    '/storage.StorageService/',
    '/time.TimeService/',
  ].some((p) => method.startsWith(p));
}
