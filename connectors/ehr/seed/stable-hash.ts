import { createHash } from 'node:crypto';

// Deterministic values for seeded data: the same input gives the same department, subscriber id or clone id on
// every run and machine, so tests and demos can name them.

/** 32-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/): cheap, stable, good enough to spread ids. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A UUID-shaped id derived from `seed` (version nibble 5, like RFC 9562 name-based ids, without the namespace). */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `digits` decimal digits derived from `seed`. */
export function stableDigits(seed: string, digits: number): string {
  return digitsOf(createHash('sha256').update(seed).digest('hex'), digits);
}

/** `digits` decimal digits of a hex digest (its first 96 bits). */
export function digitsOf(hex: string, digits: number): string {
  return BigInt(`0x${hex.slice(0, 24)}`).toString().padStart(digits, '0').slice(-digits);
}
