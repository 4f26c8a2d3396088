/** Escaping for the two text outputs of the report: HTML (text and attributes) and Markdown. */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for an inline `<script type="application/json">` block: `<`, `>` and `&` become \u escapes
 * (so no `</script>` or `<!--` can appear), as do U+2028 and U+2029. `JSON.parse` reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * A library's source for an inline `<script>` element: every `</script` (any case) becomes
 * `<\/script`, which means the same inside JavaScript strings, regular expressions and comments.
 */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, "<\\/$1");
}

/**
 * Escapes text for inline Markdown (CommonMark/GFM), including a table cell: backslash-escapes
 * the punctuation Markdown interprets inline (\\ ` * _ [ ] | ~), writes `<`, `>` and `&` as
 * entities (so no raw HTML gets through), and turns line breaks into spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r\n|\r|\n/g, " ");
}

/**
 * Escapes text that starts a Markdown paragraph: `escapeMarkdown`, and also a leading block
 * marker (a heading "#", a list item "- ", "+ ", "1. ", "1) ").
 */
export function escapeMarkdownParagraph(text: string): string {
  return escapeMarkdown(text)
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/, "$1$2\\$3")
    .replace(/^(\s*)([#+-])(?=\s|$|#)/, "$1\\$2");
}
