/**
 * Private keys in text, as both secret scanners look for them (the incident bundle refuses a file that holds
 * one; the support bundle scrubs it): one definition, so a key form learned by one is learned by both.
 */

/** A PEM private-key block, from its BEGIN line to its END line (or to the end of a text that cuts it off). */
export const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;

/** A base64 run that starts with base64 of "-----BEGIN ", as Talos machine configs and talosconfigs embed PEM blocks. */
export const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/]*={0,2}/g;

/** Whether a run matched by BASE64_PEM holds a private key (a certificate's does not). */
export const isBase64PrivateKey = (run: string): boolean => Buffer.from(run, 'base64').toString('latin1').includes('PRIVATE KEY');

/** Whether `text` holds a PEM private-key block. */
export const hasPemPrivateKey = (text: string): boolean => text.search(PEM_PRIVATE_KEY) !== -1;

/** Whether `text` holds a base64-encoded PEM private key. */
export const hasBase64PrivateKey = (text: string): boolean => (text.match(BASE64_PEM) ?? []).some(isBase64PrivateKey);
