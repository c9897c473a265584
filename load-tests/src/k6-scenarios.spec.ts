/**
 * The k6 scenarios (load-tests/k6) run only inside k6: they import k6/http and friends, which do not
 * exist under Node, and k6 is not installed where the tests run. So this reads them as source with the
 * TypeScript parser instead of importing them, and checks what `tsc` cannot: that each scenario uses the
 * executor it is meant to, carries the thresholds that make it a test (purchases p99 < 50 ms, no failed
 * request, no unexpected answer), exports what k6 calls, and imports only what k6 can load.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ts from 'typescript';

const K6_DIR = path.join(__dirname, '..', 'k6');

function parse(file: string): ts.SourceFile {
  const text = readFileSync(file, 'utf8');
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isParenthesizedExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The initializer of `export const <name> = ...`. */
function exportedConst(source: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !isExported(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
        return unwrap(declaration.initializer);
      }
    }
  }
  return undefined;
}

function exportsFunction(source: ts.SourceFile, name: string): boolean {
  const declared = source.statements.some(
    (s) => ts.isFunctionDeclaration(s) && isExported(s) && s.name?.text === name,
  );
  return declared || exportedConst(source, name) !== undefined;
}

function hasDefaultFunction(source: ts.SourceFile): boolean {
  return source.statements.some(
    (s) =>
      ts.isFunctionDeclaration(s) &&
      (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) &&
      isExported(s),
  );
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** The properties of an object literal whose names are written out (spreads and computed keys skipped). */
function properties(node: ts.Expression | undefined): Map<string, ts.Expression> {
  const result = new Map<string, ts.Expression>();
  if (node === undefined || !ts.isObjectLiteralExpression(unwrap(node))) return result;
  for (const property of (unwrap(node) as ts.ObjectLiteralExpression).properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const name = propertyName(property.name);
    if (name !== undefined) result.set(name, unwrap(property.initializer));
  }
  return result;
}

function stringList(node: ts.Expression | undefined): string[] {
  if (node === undefined || !ts.isArrayLiteralExpression(node)) return [];
  return node.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
}

interface ScenarioFile {
  file: string;
  executor: string;
}

const SCENARIOS: ScenarioFile[] = [
  { file: 'flash-sale-spike.ts', executor: 'ramping-arrival-rate' },
  { file: 'flash-sale-sustained.ts', executor: 'constant-arrival-rate' },
  { file: 'checkout.ts', executor: 'shared-iterations' },
];

/** The check purchase.ts makes on every purchase answer, as it spells it. */
function purchaseStatusCheckName(): string {
  const value = exportedConst(parse(path.join(K6_DIR, 'lib', 'purchase.ts')), 'PURCHASE_STATUS_CHECK');
  if (value === undefined || !ts.isStringLiteralLike(value))
    throw new Error('PURCHASE_STATUS_CHECK not found');
  return value.text;
}

function k6Files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return k6Files(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe.each(SCENARIOS)('k6 scenario $file', ({ file, executor }) => {
  const fullPath = path.join(K6_DIR, file);

  it('exists and exports options with one scenario', () => {
    expect(existsSync(fullPath)).toBe(true);
    const scenarios = properties(properties(exportedConst(parse(fullPath), 'options')).get('scenarios'));
    expect(scenarios.size).toBe(1);
  });

  it(`runs on the ${executor} executor`, () => {
    const scenarios = properties(properties(exportedConst(parse(fullPath), 'options')).get('scenarios'));
    const [scenario] = [...scenarios.values()];
    const executorNode = properties(scenario).get('executor');
    expect(executorNode && ts.isStringLiteralLike(executorNode) ? executorNode.text : undefined).toBe(
      executor,
    );
  });

  it('holds purchases to p99 < 50 ms, no failed request, no unexpected answer, every purchase check passing', () => {
    const thresholds = properties(properties(exportedConst(parse(fullPath), 'options')).get('thresholds'));
    const of = (metric: string) => stringList(thresholds.get(metric));

    expect(of('http_req_duration{name:purchase}')).toContain('p(99)<50');
    expect(of('http_req_failed')).toContain('rate==0');
    expect(of('purchase_unexpected_status')).toContain('rate==0');
    // The threshold must name a check purchase.ts really makes: a misspelt one selects no samples.
    expect(of(`checks{check:${purchaseStatusCheckName()}}`)).toContain('rate==1');
  });

  it('exports setup, a default function and handleSummary', () => {
    const source = parse(fullPath);
    expect(exportsFunction(source, 'setup')).toBe(true);
    expect(hasDefaultFunction(source)).toBe(true);
    expect(exportsFunction(source, 'handleSummary')).toBe(true);
  });
});

describe('k6 sources', () => {
  it('import only k6 modules and existing .ts files by relative path (what k6 can load)', () => {
    const problems: string[] = [];
    for (const file of k6Files(K6_DIR)) {
      for (const statement of parse(file).statements) {
        if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
        const specifier = statement.moduleSpecifier.text;
        const where = `${path.relative(K6_DIR, file)}: '${specifier}'`;
        if (specifier === 'k6/options') {
          // Types only: there is no k6/options module at run time.
          if (!statement.importClause?.isTypeOnly) problems.push(`${where} must be 'import type'`);
        } else if (specifier.startsWith('.')) {
          // k6 resolves the path as written: no extension guessing, no index files.
          const target = path.resolve(path.dirname(file), specifier);
          if (!specifier.endsWith('.ts') || !existsSync(target))
            problems.push(`${where} is not an existing .ts file`);
        } else if (!/^k6(\/[a-z-]+)*$/.test(specifier)) {
          problems.push(`${where} is neither a k6 module nor a relative file`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('are type-checked by npm run typecheck', () => {
    const pkg = JSON.parse(readFileSync(path.join(K6_DIR, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.typecheck).toContain('tsc -p load-tests/k6/tsconfig.json --noEmit');
  });
});
