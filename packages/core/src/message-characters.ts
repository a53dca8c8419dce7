// The characters SQS accepts in a message body and in attribute values: #x9 #xA #xD
// #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. With the `u` flag a lone surrogate is one code
// point in #xD800-#xDFFF, so it is refused too.
const REFUSED = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFUSED_ALL = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// Terminal escape sequences as a whole — colour and cursor codes (CSI), hyperlinks and titles
// (OSC), two-character escapes — which error messages of test runners, loggers and CLI tools
// carry: their ESC is refused, and dropping only ESC would leave "[31m".
const ANSI_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what these sequences start with.
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;

/**
 * The first character SQS refuses in a message body or attribute value
 * (`InvalidMessageContents`), with its position, or `undefined` when SQS accepts the text.
 *
 * @example
 * findRefusedCharacter("a\uFFFFb"); // { index: 1, codePoint: "U+FFFF" }
 */
export function findRefusedCharacter(
  text: string,
): { readonly index: number; readonly codePoint: string } | undefined {
  const match = REFUSED.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0) ?? 0;
  return { index: match.index, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, "0")}` };
}

/**
 * Text that SQS accepts as an attribute value: terminal escape codes removed, every other refused
 * character replaced by U+FFFD. For free text such as error messages, never for bodies.
 */
export function toAcceptedText(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(REFUSED_ALL, "\uFFFD");
}
