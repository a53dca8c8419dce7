const encoder = new TextEncoder();

/** SHA-256 of a string's UTF-8 bytes, lowercase hex (WebCrypto, so it runs wherever core does). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
