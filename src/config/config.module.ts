import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { AppConfig } from './app-config';

/** Where `ConfigService` holds the validated configuration: `configService.get('app')`. */
export const APP_CONFIG_NAMESPACE = 'app';

/**
 * The configuration through `@nestjs/config`: its `ConfigService` holds the validated
 * `AppConfig`, and code injects `AppConfig` itself (typed, no string keys). The environment is
 * validated by `loadConfig` before Nest starts (main.ts needs the result for the logger, the
 * database and the port), so ConfigModule reads neither `process.env` nor a `.env` file here.
 */
@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validatePredefined: false,
          skipProcessEnv: true,
          load: [registerAs(APP_CONFIG_NAMESPACE, () => config)],
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (configService: ConfigService) =>
            configService.getOrThrow<AppConfig>(APP_CONFIG_NAMESPACE),
        },
      ],
      exports: [AppConfig],
    };
  }
}
