/** The practice cluster's public face: the only part of lab/ that electron/ may import. */
export { startLab, type Lab, type LabOptions } from './cluster';
