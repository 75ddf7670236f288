// Secret keys (ENGAGE_API.md §1): shape, checksum and hashing, without a database.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { generateKey, hashKey, isWellFormedKey, maskKey } from "./keys";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("generateKey", () => {
  test("a readable prefix, at least 128 random bits in base62, then a checksum", () => {
    const group = generateKey("group");
    const location = generateKey("location");
    expect(group).toMatch(/^eng_grp_[0-9A-Za-z]+$/);
    expect(location).toMatch(/^eng_loc_[0-9A-Za-z]+$/);
    for (const key of [group, location]) {
      // 22 random base62 characters (≈131 bits) and a 6-character checksum.
      const randomChars = key.length - "eng_xxx_".length - 6;
      expect(randomChars * Math.log2(62)).toBeGreaterThanOrEqual(128);
    }
  });

  test("keys are random: no two alike, and every base62 character turns up", () => {
    const keys = Array.from({ length: 2000 }, () => generateKey("location"));
    expect(new Set(keys).size).toBe(keys.length);
    const seen = new Set(keys.flatMap((k) => [...k.slice("eng_loc_".length, -6)]));
    expect([...seen].sort().join("")).toBe([...BASE62].sort().join(""));
  });

  test("a generated key is well formed", () => {
    for (let i = 0; i < 200; i++) {
      expect(isWellFormedKey(generateKey(i % 2 === 0 ? "group" : "location"))).toBe(true);
    }
  });
});

describe("isWellFormedKey: a mistyped key is refused without a lookup", () => {
  test("any single changed character breaks the checksum", () => {
    const key = generateKey("location");
    const start = "eng_loc_".length;
    for (let i = start; i < key.length; i++) {
      const replacement = key[i] === "a" ? "b" : "a";
      const typo = key.slice(0, i) + replacement + key.slice(i + 1);
      expect(isWellFormedKey(typo), `typo at ${i}`).toBe(false);
    }
  });

  test("two swapped neighbours break the checksum", () => {
    const key = generateKey("group");
    const start = "eng_grp_".length;
    let swaps = 0;
    for (let i = start; i < key.length - 1; i++) {
      if (key[i] === key[i + 1]) continue;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      expect(isWellFormedKey(swapped), `swap at ${i}`).toBe(false);
      swaps++;
    }
    expect(swaps).toBeGreaterThan(10);
  });

  test("wrong prefix, wrong length, extra characters and other shapes are refused", () => {
    const key = generateKey("location");
    expect(isWellFormedKey(key.replace("eng_loc_", "eng_grp_"))).toBe(false);
    expect(isWellFormedKey(key.replace("eng_loc_", "eng_xyz_"))).toBe(false);
    expect(isWellFormedKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedKey(key + "0")).toBe(false);
    expect(isWellFormedKey(` ${key}`)).toBe(false);
    expect(isWellFormedKey(key.toUpperCase())).toBe(false);
    expect(isWellFormedKey("")).toBe(false);
    expect(isWellFormedKey("secretKEYGOESHERE")).toBe(false);
  });
});

describe("hashKey and maskKey: only a hash and the last 4 characters are stored", () => {
  test("the hash is SHA-256 of the key, hex, and does not contain it", () => {
    const key = generateKey("group");
    const hash = hashKey(key);
    expect(hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(8));
    expect(hashKey(generateKey("group"))).not.toBe(hash);
  });

  test("a masked key shows the prefix and the last 4 characters only", () => {
    expect(maskKey("Ab12", "group")).toBe("eng_grp_…Ab12");
    expect(maskKey("Zz99", "location")).toBe("eng_loc_…Zz99");
  });
});
