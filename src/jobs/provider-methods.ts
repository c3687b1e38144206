import type { DiscoveryService, MetadataScanner } from '@nestjs/core';

/** A method of a singleton provider, with the `Class.method` name used in start-up messages. */
export interface ProviderMethod {
  instance: object;
  method: (...args: unknown[]) => unknown;
  source: string;
}

/**
 * Every method of every singleton provider of the application: what the handler and schedule explorers read their
 * decorators' metadata from. Request-scoped providers have no single instance to call, so they are passed over.
 */
export function* providerMethods(discovery: DiscoveryService, scanner: MetadataScanner): Generator<ProviderMethod> {
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | null | undefined;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const method = instance[methodName];
      if (typeof method !== 'function') continue;
      yield { instance, method: method as ProviderMethod['method'], source: `${instance.constructor.name}.${methodName}` };
    }
  }
}
