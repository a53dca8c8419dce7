import { isJobError } from "@glasswork/core";
import { describe, expect, it } from "vitest";
import { imageFormat, makeThumbnail, thumbnailKey } from "./make-thumbnail.js";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(
    values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])),
  );

describe("makeThumbnail", () => {
  it.each([
    ["png", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0)],
    ["jpeg", bytes(0xff, 0xd8, 0xff, 0xe0)],
    ["gif", bytes("GIF89a")],
    ["webp", bytes("RIFF", 0, 0, 0, 0, "WEBP")],
  ] as const)("knows a %s by its first bytes", (format, image) => {
    expect(imageFormat(image)).toBe(format);
    const thumbnail = makeThumbnail("uploads/a.bin", image);
    expect(thumbnail).toMatchObject({ format, contentType: "image/svg+xml" });
    expect(new TextDecoder().decode(thumbnail.bytes)).toContain(
      `${format.toUpperCase()} · ${image.length} bytes`,
    );
  });

  it("refuses bytes that are no image, permanently, naming the key", () => {
    for (const notImage of [
      bytes(),
      bytes("<svg/>"),
      bytes(0x89, "PNX"),
      bytes("RIFF", 0, 0, 0, 0, "WAVE"),
    ]) {
      expect(imageFormat(notImage)).toBeUndefined();
      const error = (() => {
        try {
          makeThumbnail("uploads/x.png", notImage);
        } catch (e) {
          return e;
        }
      })();
      expect(isJobError(error, "PERMANENT")).toBe(true);
      expect((error as Error).message).toBe("uploads/x.png is not a PNG, JPEG, GIF or WebP image");
    }
  });

  it("puts the thumbnail under thumbnails/ with the upload's path", () => {
    expect(thumbnailKey("uploads/2026/cat.v2.png")).toBe("thumbnails/2026/cat.v2.thumb.svg");
    expect(thumbnailKey("uploads/noext")).toBe("thumbnails/noext.thumb.svg");
  });
});
