/**
 * Fake credentials in real formats, fresh per run: any decent detector recognises them, and no
 * test depends on one particular detector's rules.
 */
import { generateKeyPairSync, randomBytes, randomInt } from "node:crypto";

const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function pick(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** An AWS access key ID: AKIA + 16 of [A-Z2-7] (never AWS's documented EXAMPLE key). */
export function fakeAwsKeyId(): string {
  return `AKIA${pick(UPPER_DIGITS, 16)}`;
}

/** A classic GitHub personal access token: ghp_ + 36 alphanumerics. */
export function fakeGithubToken(): string {
  return `ghp_${pick(ALNUM, 36)}`;
}

/** A real (throwaway) RSA private key in PKCS#8 PEM. */
export function fakePemKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
}

/** A strong random password (24 characters, URL-safe). */
export function fakePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** postgres://USER:PASSWORD@host/db with a random password; returns the URL and the password. */
export function fakeDatabaseUrl(): { url: string; password: string } {
  const password = fakePassword();
  return { url: `postgres://app:${password}@db.internal:5432/shop`, password };
}
