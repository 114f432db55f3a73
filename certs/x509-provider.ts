import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// @peculiar/x509 types this as the DOM Crypto; Node's webcrypto implements it.
x509.cryptoProvider.set(webcrypto as never);

export { x509 };
