/**
 * Reading the services' JSON answers defensively. Under overload a proxy or a crashed handler may answer
 * with HTML or nothing at all; a body we cannot read must count as an unexpected answer, not abort the
 * iteration with an exception (which k6 would only log, hiding it from the thresholds).
 */
import type { JSONObject, JSONValue } from 'k6';
import type { RefinedResponse, ResponseType } from 'k6/http';

export function asObject(value: JSONValue | undefined): JSONObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** The body as a JSON object, or null when it is not one. */
export function jsonBody(res: RefinedResponse<ResponseType | undefined>): JSONObject | null {
  try {
    return asObject(res.json());
  } catch {
    return null;
  }
}

export function stringField(body: JSONObject | null, field: string): string | undefined {
  const value = body?.[field];
  return typeof value === 'string' ? value : undefined;
}
