// The scenarios the UI lists and edits: the shipped ones (scenarios/*.yaml, read-only) and the user's
// (workspace/scenarios/*.yaml). Saving a shipped scenario stores an edited copy under the same name in
// the workspace, which then shadows the shipped file — the repository's files are never overwritten.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { parseScenario, ScenarioError, type LoadedScenario } from '../scenarios/index.js';
import type { ScenarioDocumentDto, ScenarioSummaryDto, ValidationDto } from '../../electron/common/contract.js';

export class NotFoundError extends UserError {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ScenarioLibrary {
  constructor(
    private readonly shippedDir: string,
    private readonly userDir: string,
  ) {
    mkdirSync(userDir, { recursive: true });
  }

  private names(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .map((f) => f.replace(/\.ya?ml$/, ''));
  }

  /** The file a name refers to: the user's copy first. */
  file(name: string): { file: string; readOnly: boolean } {
    const user = path.join(this.userDir, `${name}.yaml`);
    if (existsSync(user)) return { file: user, readOnly: false };
    const shipped = path.join(this.shippedDir, `${name}.yaml`);
    if (existsSync(shipped)) return { file: shipped, readOnly: true };
    throw new NotFoundError(`scenario "${name}"`);
  }

  list(): ScenarioSummaryDto[] {
    const names = [...new Set([...this.names(this.shippedDir), ...this.names(this.userDir)])].sort();
    return names.map((name) => {
      const { file, readOnly } = this.file(name);
      const text = readFileSync(file, 'utf8');
      const check = this.validate(text, file);
      let description = '';
      try {
        description = check.loaded?.base.description ?? '';
      } catch {
        description = '';
      }
      return { name, description, readOnly, isMatrix: check.isMatrix, combinations: check.combinations, valid: check.valid };
    });
  }

  read(name: string): ScenarioDocumentDto {
    const { file, readOnly } = this.file(name);
    return { name, text: readFileSync(file, 'utf8'), readOnly };
  }

  load(name: string): LoadedScenario {
    const { file, readOnly } = this.file(name);
    // Relative paths inside a user's copy resolve against the shipped folder, as if it lived there.
    const asFile = readOnly ? file : path.join(this.shippedDir, path.basename(file));
    return parseScenario(readFileSync(file, 'utf8'), asFile);
  }

  validate(text: string, file = 'scenario.yaml'): ValidationDto & { loaded?: LoadedScenario } {
    try {
      const loaded = parseScenario(text, file);
      return { valid: true, problems: [], isMatrix: loaded.isMatrix, combinations: loaded.runs.length, loaded };
    } catch (error) {
      if (error instanceof ScenarioError)
        return {
          valid: false,
          isMatrix: false,
          combinations: 0,
          problems: error.problems.map((p) => ({
            line: p.location.line ?? null,
            column: p.location.column ?? null,
            field: p.location.field ?? null,
            message: p.message,
          })),
        };
      if (error instanceof UserError)
        return {
          valid: false,
          isMatrix: false,
          combinations: 0,
          problems: [{ line: error.location.line ?? null, column: error.location.column ?? null, field: error.location.field ?? null, message: error.message }],
        };
      throw error;
    }
  }

  /** Validates, then saves into the workspace even when invalid (an editor must not lose work); the result says which. */
  save(name: string, text: string): ValidationDto & { name: string } {
    const { loaded: _loaded, ...check } = this.validate(text, path.join(this.shippedDir, `${name}.yaml`));
    writeFileSync(path.join(this.userDir, `${name}.yaml`), text);
    return { ...check, name };
  }
}
