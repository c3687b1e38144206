import swc from 'unplugin-swc';

/**
 * SWC instead of Vite's default transform, for every Vitest config: Nest's dependency injection needs the
 * `design:paramtypes` metadata that only a decorator-metadata-aware compiler emits.
 */
export const decoratorMetadataTransform = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'es6' },
  });
