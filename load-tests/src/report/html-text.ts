/**
 * Every run field that reaches the report (a scenario name, a tool string, a violation, an HTTP status
 * key) comes from a JSON file anyone can write. These helpers are the one way text and numbers get
 * into the page, so nothing from the file can become markup and every figure reads the same way.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe both between tags and inside a quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

const formatters = new Map<number, Intl.NumberFormat>();

/**
 * A number with thousands separators ("4,870", "148.3"), the same on every machine whatever its
 * locale, so a report reads the same wherever it was rendered.
 */
export function formatNumber(value: number, maxFractionDigits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  let formatter = formatters.get(maxFractionDigits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxFractionDigits });
    formatters.set(maxFractionDigits, formatter);
  }
  // -0 would print as "-0".
  return formatter.format(value === 0 ? 0 : value);
}
