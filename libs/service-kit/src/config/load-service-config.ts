import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { BaseServiceConfig } from './base-service.config';
import { ConfigValidationError, type ConfigProblem } from './config-validation.error';

export type Environment = Record<string, string | undefined>;

/**
 * Reads and validates a service's configuration from `env` (normally `process.env`).
 *
 * Only the variables the schema declares are read; an empty value counts as unset, so the default
 * applies. Throws a {@link ConfigValidationError} listing every invalid or missing variable.
 */
export function loadServiceConfig<T extends BaseServiceConfig>(schema: new () => T, env: Environment): T {
  const variables = declaredVariables(schema);
  const given = Object.fromEntries(
    variables.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const config = plainToInstance(schema, given);

  const problems: ConfigProblem[] = validateSync(config).map((error) => ({
    variable: error.property,
    value: maskCredentials(given[error.property]),
    messages:
      error.value === undefined
        ? [`${error.property} is required`]
        : [...new Set(Object.values(error.constraints ?? {}))],
  }));
  if (problems.length > 0) throw new ConfigValidationError(schema.name, problems);
  return config;
}

/** The variables a schema (and the classes it extends) declares, i.e. those carrying validation rules. */
function declaredVariables(schema: new () => unknown): string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))];
}

/** Hides the password of URLs such as `postgres://user:secret@host/db` before they reach a log. */
export function maskCredentials(value: string | undefined): string | undefined {
  return value?.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/, '$1***@');
}
