import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import path from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from './app-process.js';
import type { ManifestDocument } from './deployment-files.js';

interface ModelEntry {
  Model: new (data: any) => { validate(): void };
  /** Where its TypeScript interface lives, for the unknown-field check. */
  module: string;
  type: string;
}

/**
 * Every kind docker/k8s/ may hold, with its schema: Kubernetes' own (kubernetes-models, generated from the API's
 * OpenAPI) and KEDA's (@kubernetes-models/keda, generated from its CRDs). A manifest of another kind fails until
 * its model is added here.
 */
const MODELS: Record<string, ModelEntry> = {
  'apps/v1 Deployment': { Model: Deployment, module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'v1 Service': { Model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1 Secret': { Model: Secret, module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'keda.sh/v1alpha1 ScaledObject': {
    Model: ScaledObject, module: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', type: 'IScaledObject',
  },
  'keda.sh/v1alpha1 TriggerAuthentication': {
    Model: TriggerAuthentication, module: '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
    type: 'ITriggerAuthentication',
  },
};

function modelOf(object: Record<string, any>): ModelEntry {
  const key = `${object.apiVersion} ${object.kind}`;
  const entry = MODELS[key];
  if (!entry) throw new Error(`no schema for ${key}: add its kubernetes-models class to test/support/kubernetes-models.ts`);
  return entry;
}

/** Validates one manifest against the JSON schema of its apiVersion and kind; throws with the schema's errors. */
export function validateManifest(object: Record<string, any>): void {
  new (modelOf(object).Model)(object).validate();
}

/**
 * Fields the schemas do not know. The JSON schemas accept unknown fields (as the API server does without strict
 * validation), so a misspelt `terminationGracePeriodSecond` would pass them; the models' TypeScript interfaces,
 * generated from the same schemas, do not: each manifest is type-checked as an object literal of its interface, and
 * every excess-property (or type) error is returned as `<file> <kind>: <message>`.
 */
export function unknownFieldErrors(documents: ManifestDocument[]): string[] {
  const file = path.join(PROJECT_ROOT, 'test', '.manifests-type-check.ts'); // in memory only
  const lines = documents.flatMap((document, index) => {
    const { module, type } = modelOf(document.object);
    return [`import type { ${type} as T${index} } from '${module}';`, `export const m${index}: T${index} = ${JSON.stringify(document.object)};`];
  });
  const source = ts.createSourceFile(file, lines.join('\n'), ts.ScriptTarget.ES2023, true);
  const host = ts.createCompilerHost({});
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, ...rest) => (name === file ? source : getSourceFile(name, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023,
    strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts'],
  };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options, host)).filter((d) => d.file === source);
  return diagnostics.map((diagnostic) => {
    const line = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
    const document = documents[Math.floor(line / 2)];
    return `${document.file} ${document.object.kind}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
