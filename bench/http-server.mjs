// The application as `npm start` serves it (bootstrap(), the same global pipes, interceptors and guards), plus the
// bench-only module below: a bare `GET /bench/ok` route to compare POST /jobs with, and the `bench.noop` handler that
// POST /jobs enqueues. Started by http-enqueue.mjs with the environment it chooses (an API-only process).
import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { bootstrap, exitOnStartupError } from '../dist/bootstrap.js';
import { JobHandler } from '../dist/jobs/index.js';

class BareController {
  ok() {
    return 'ok';
  }
}
Controller('bench')(BareController);
Get('ok')(BareController.prototype, 'ok', Object.getOwnPropertyDescriptor(BareController.prototype, 'ok'));

class BenchHandlers {
  async run() {}
}
Injectable()(BenchHandlers);
JobHandler('bench.noop')(BenchHandlers.prototype, 'run', Object.getOwnPropertyDescriptor(BenchHandlers.prototype, 'run'));

class BenchHttpModule {}
Module({ controllers: [BareController], providers: [BenchHandlers] })(BenchHttpModule);

bootstrap({ modules: [BenchHttpModule] }).catch(exitOnStartupError);
