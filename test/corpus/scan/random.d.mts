export const ALNUM: string;
export const UPPER_ALNUM: string;
export const LOWER_ALNUM: string;
export const HEX: string;
export const B64URL: string;
export const BASE32: string;
export const BECH32: string;
export const LETTERS: string;
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chars(alphabet: string, n: number): string;
  bytes(n: number): Buffer;
  hex(n: number): string;
  digits(n: number): string;
  b64(nBytes: number): string;
  b64url(nBytes: number): string;
  uuid(): string;
}
export function rng(seed: number): Random;
export function checksummedToken(r: Random, prefix: string): string;
export function pem(r: Random, label: string, bytes: number, headers?: string): string;
export function jwt(r: Random, payload: Record<string, unknown>): string;
export function sha256Hex(text: string): string;
