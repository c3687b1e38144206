import { readFileSync } from 'node:fs';
import { getMetadataStorage } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { EnvironmentVariables } from './environment.variables.js';

/**
 * `.env.example` is the operator's reference: every variable the server validates must be listed there (set, or
 * commented out when it has no default), and nothing it lists may be unknown to the server.
 */
describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const listed = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
  const validated = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
        .map((metadata) => metadata.propertyName),
    ),
  ];

  it('lists every validated variable once', () => {
    expect(validated.length).toBeGreaterThan(20);
    expect([...listed].sort()).toEqual([...validated].sort());
  });

  it('gives each listed default the value the server uses', () => {
    const defaults = new EnvironmentVariables() as unknown as Record<string, unknown>;
    for (const [, name, value] of example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) {
      expect({ name, value }).toEqual({ name, value: String(defaults[name]) });
    }
  });
});
