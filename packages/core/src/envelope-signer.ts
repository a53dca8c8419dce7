/** A secret for signing envelopes. Rotate keys by adding a new one first and keeping the old one for verifying. */
export interface SigningKey {
  /** Names the key in signatures, so verifiers pick it without trying every key. */
  readonly id: string;
  /** At least 32 bytes of randomness (a string is taken as UTF-8). */
  readonly secret: string | Uint8Array;
}

/** Message attribute that carries the envelope's signature: `<keyId>.<base64url HMAC-SHA256>`. */
export const SIGNATURE_ATTRIBUTE = "glasswork.signature";

/** What {@link EnvelopeSigner.check} found. */
export type SignatureCheck = "valid" | "invalid" | "unknown-key";

type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MIN_SECRET_BYTES = 32;
const encoder = new TextEncoder();

/**
 * Signs and verifies message bodies with HMAC-SHA256 (WebCrypto, so it runs wherever core
 * does). Anyone who may send to a queue can otherwise run any job with any payload; with signing,
 * only holders of a key can. The first key signs; every key verifies, which allows rotation.
 *
 * @example
 * const signer = new EnvelopeSigner([{ id: "k2", secret: process.env.JOBS_KEY_2! }, { id: "k1", secret: process.env.JOBS_KEY_1! }]);
 */
export class EnvelopeSigner {
  readonly #keys: ReadonlyMap<string, Promise<HmacKey>>;
  readonly #signingKeyId: string;

  constructor(keys: readonly SigningKey[]) {
    const [first] = keys;
    if (!first) throw new TypeError("EnvelopeSigner needs at least one key");
    const imported = new Map<string, Promise<HmacKey>>();
    for (const key of keys) {
      if (!KEY_ID.test(key.id))
        throw new TypeError(
          `Invalid signing key id ${JSON.stringify(key.id)}: use 1-32 of A-Z a-z 0-9 _ -`,
        );
      if (imported.has(key.id)) throw new TypeError(`Two signing keys have the id "${key.id}"`);
      const secret = typeof key.secret === "string" ? encoder.encode(key.secret) : key.secret;
      if (secret.byteLength < MIN_SECRET_BYTES) {
        throw new TypeError(
          `Signing key "${key.id}" is too short: use at least ${MIN_SECRET_BYTES} random bytes`,
        );
      }
      imported.set(
        key.id,
        crypto.subtle.importKey(
          "raw",
          secret as Uint8Array<ArrayBuffer>,
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign", "verify"],
        ),
      );
    }
    this.#keys = imported;
    this.#signingKeyId = first.id;
  }

  /** The signature of a body, for {@link SIGNATURE_ATTRIBUTE}. */
  async sign(body: string): Promise<string> {
    const key = await (this.#keys.get(this.#signingKeyId) as Promise<HmacKey>);
    const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
    return `${this.#signingKeyId}.${toBase64Url(new Uint8Array(mac))}`;
  }

  /** True when `signature` is a valid signature of `body` by one of the keys. Never throws. */
  async verify(body: string, signature: string | undefined): Promise<boolean> {
    return (await this.check(body, signature)) === "valid";
  }

  /**
   * Like {@link verify}, but tells a well-formed signature by a key id this signer does not
   * hold (`"unknown-key"`: during a rotation the producers may have the new key before this
   * worker) from a wrong or garbled one (`"invalid"`). Never throws.
   */
  async check(body: string, signature: string | undefined): Promise<SignatureCheck> {
    if (typeof signature !== "string") return "invalid";
    const dot = signature.indexOf(".");
    if (dot < 0) return "invalid";
    const keyId = signature.slice(0, dot);
    const mac = fromBase64Url(signature.slice(dot + 1));
    if (!mac || !KEY_ID.test(keyId)) return "invalid";
    const key = this.#keys.get(keyId);
    if (!key) return "unknown-key";
    // subtle.verify compares in constant time.
    const valid = await crypto.subtle.verify(
      "HMAC",
      await key,
      mac as Uint8Array<ArrayBuffer>,
      encoder.encode(body),
    );
    return valid ? "valid" : "invalid";
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined; // 32 bytes
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
