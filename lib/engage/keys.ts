// Secret keys (ENGAGE_API.md §1): a readable prefix, 131 random bits in base62 and a CRC-32
// checksum, so a mistyped key is refused without a lookup and a leaked one is easy to scan
// for. Only the SHA-256 hash and the last four characters are ever stored.
import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_CHARS = 22; // 62^22 ≈ 2^131
const CHECKSUM_CHARS = 6; // 62^6 > 2^32

export const GROUP_KEY_PREFIX = "eng_grp_";
export const LOCATION_KEY_PREFIX = "eng_loc_";
const KEY_PATTERN = /^eng_(grp|loc)_([0-9A-Za-z]{22})([0-9A-Za-z]{6})$/;

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body) >>> 0, CHECKSUM_CHARS);
}

export function generateKey(kind: "group" | "location"): string {
  let random = "";
  for (let i = 0; i < RANDOM_CHARS; i++) random += ALPHABET[randomInt(62)];
  const body = (kind === "group" ? GROUP_KEY_PREFIX : LOCATION_KEY_PREFIX) + random;
  return body + checksum(body);
}

/** True when the key has our shape and its checksum matches: worth a database lookup. */
export function isWellFormedKey(key: string): boolean {
  const m = KEY_PATTERN.exec(key);
  if (!m) return false;
  const body = key.slice(0, key.length - CHECKSUM_CHARS);
  return checksum(body) === m[3];
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function maskKey(last4: string, kind: "group" | "location"): string {
  return `${kind === "group" ? GROUP_KEY_PREFIX : LOCATION_KEY_PREFIX}…${last4}`;
}
