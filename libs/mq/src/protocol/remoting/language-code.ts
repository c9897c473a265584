/**
 * `LanguageCode`: which client implementation sent a command. JSON headers carry the name ("JAVA"),
 * ROCKETMQ binary headers carry the number in one byte, so both directions are needed.
 */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
} as const;

export type LanguageName = keyof typeof LanguageCode;

const NAMES_BY_CODE: readonly LanguageName[] = (Object.keys(LanguageCode) as LanguageName[]).sort(
  (a, b) => LanguageCode[a] - LanguageCode[b],
);

/** Unknown codes map to OTHER: the language is informational and must never fail a request. */
export function languageNameOf(code: number): LanguageName {
  return NAMES_BY_CODE[code] ?? 'OTHER';
}

export function isLanguageName(name: string): name is LanguageName {
  return Object.prototype.hasOwnProperty.call(LanguageCode, name);
}

export function languageCodeOf(name: LanguageName): number {
  return LanguageCode[name];
}
