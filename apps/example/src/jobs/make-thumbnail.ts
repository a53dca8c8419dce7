import { PermanentJobError } from "@glasswork/core";
import { THUMBNAILS_PREFIX, UPLOADS_PREFIX } from "../store/image-store.js";

/** A thumbnail made from an upload. */
export interface Thumbnail {
  /** The upload's format, from its first bytes (never from its name or content type). */
  readonly format: "png" | "jpeg" | "gif" | "webp";
  readonly bytes: Uint8Array;
  readonly contentType: "image/svg+xml";
}

const SIGNATURES: readonly [Thumbnail["format"], (b: Uint8Array) => boolean][] = [
  ["png", (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ["jpeg", (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ["gif", (b) => ascii(b, 0, 4) === "GIF8"],
  ["webp", (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP"],
];

/**
 * Makes the thumbnail of an image. The example has no image library (a real app would call
 * sharp or an image service here), so the thumbnail is a small SVG card naming the format and
 * size; what matters is the flow: the bytes come from S3 by key and the result goes back to S3.
 * Bytes that are not an image can never succeed: a permanent error.
 */
export function makeThumbnail(storageKey: string, bytes: Uint8Array): Thumbnail {
  const format = imageFormat(bytes);
  if (!format) {
    throw new PermanentJobError(`${storageKey} is not a PNG, JPEG, GIF or WebP image`);
  }
  const label = `${format.toUpperCase()} · ${bytes.length.toLocaleString("en")} bytes`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><rect width="128" height="128" fill="#eee"/><text x="64" y="68" font-size="10" text-anchor="middle">${label}</text></svg>`;
  return { format, bytes: new TextEncoder().encode(svg), contentType: "image/svg+xml" };
}

/** The image format of `bytes`, from their first bytes, or `undefined` when they are no image the app takes. */
export function imageFormat(bytes: Uint8Array): Thumbnail["format"] | undefined {
  return SIGNATURES.find(([, matches]) => matches(bytes))?.[0];
}

/** Where the thumbnail of an upload goes: `uploads/a/cat.png` → `thumbnails/a/cat.thumb.svg`. */
export function thumbnailKey(storageKey: string): string {
  const path = storageKey.startsWith(UPLOADS_PREFIX)
    ? THUMBNAILS_PREFIX + storageKey.slice(UPLOADS_PREFIX.length)
    : storageKey;
  return path.replace(/(\.[\w-]+)?$/, ".thumb.svg");
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
