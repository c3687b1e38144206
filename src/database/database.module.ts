import { Global, Module } from '@nestjs/common';
import { DatabaseService } from './database.service.js';

/** The application's PostgreSQL connection (external or embedded), shared by every module. */
@Global()
@Module({
  providers: [DatabaseService],
  exports: [DatabaseService],
})
export class DatabaseModule {}
