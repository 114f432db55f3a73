/** The xid decoder lives in shared/ so the privileged side dates events the same way. */
export { xidTime } from '../../../shared/xid';
